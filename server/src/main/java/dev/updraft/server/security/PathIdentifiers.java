package dev.updraft.server.security;

import dev.updraft.protocol.Identifier;
import dev.updraft.server.web.ApiException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every path parameter of every resource is checked against its {@link Identifier} right after matching (and after
 * the security check: without a key nothing is said about the path), before the resource method and any lookup runs.
 * A value that does not match is refused with {@code 400 validation_failed}; a parameter name without a rule here is
 * a programming error, refused with a 500 so it cannot slip through unchecked (docs/security-model.md, "Identifiers").
 */
public class PathIdentifiers {
    /** The path parameter names the resources use, and what each must be. */
    public static final Map<String, Identifier> RULES = Map.of(
            "app_id", Identifier.APP_ID,
            "version", Identifier.BUNDLE_VERSION,
            "channel", Identifier.CHANNEL_NAME,
            "device_id", Identifier.DEVICE_ID,
            "key_name", Identifier.ADMIN_KEY_NAME,
            "file", Identifier.STORED_FILE,
            "token", Identifier.UPLOAD_TOKEN,
            "rpc", Identifier.RPC_NAME);

    @ServerRequestFilter
    public void check(UriInfo uri) {
        MultivaluedMap<String, String> params = uri.getPathParameters();
        if (params.isEmpty()) {
            return;
        }
        List<ApiException.Detail> problems = new ArrayList<>();
        params.forEach((name, values) -> {
            Identifier kind = RULES.get(name);
            if (kind == null) {
                throw new IllegalStateException(
                        "no identifier rule for the path parameter '" + name + "' (see PathIdentifiers.RULES)");
            }
            for (String value : values) {
                kind.problem(value).ifPresent(p -> problems.add(new ApiException.Detail(name, p)));
            }
        });
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
    }
}
