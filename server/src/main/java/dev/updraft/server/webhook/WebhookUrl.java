package dev.updraft.server.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which webhook URLs are accepted (docs/security-model.md, "Webhooks"): absolute http or https with a host, no user
 * name or password (they would be shown in every answer), no fragment, at most 2048 characters. Any host is allowed:
 * an admin chooses where the server sends its events.
 */
public final class WebhookUrl {
    static final int MAX_LENGTH = 2048;

    private WebhookUrl() {}

    /** What is wrong with {@code url}, or empty when it is accepted. */
    public static Optional<String> problem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("is required");
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("must be an http or https URL");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            return Optional.of("must name a host");
        }
        if (u.getRawUserInfo() != null) {
            return Optional.of("must not hold a user name or password; the signature authenticates the server");
        }
        if (u.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        return Optional.empty();
    }
}
