package dev.updraft.server.decision;

import dev.updraft.server.web.JsonText;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The answer of an update check: an update ({@link Outcome#UPDATE}), a revert to the built-in bundle, or a refusal
 * ({@code {error, message, kind, ...extras}}). Always sent with HTTP 200.
 *
 * @param bundle  the bundle to install, for {@link Outcome#UPDATE}
 * @param version the target version, an extra of some refusals
 * @param old     the device's native version, an extra of some refusals
 */
public record UpdateAnswer(Outcome outcome, BundleView bundle, String version, String old, String deviceKeyId, String bundleKeyId) {
    private static final byte[] BUILTIN_JSON = "{\"version\":\"builtin\"}".getBytes(StandardCharsets.UTF_8);
    private static final Map<Outcome, byte[]> PLAIN = new EnumMap<>(Outcome.class);

    static {
        for (Outcome o : Outcome.values()) {
            if (o.isRefusal()) {
                PLAIN.put(o, refusal(o, null, null, null, null).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    static UpdateAnswer update(BundleView bundle) {
        return new UpdateAnswer(Outcome.UPDATE, bundle, null, null, null, null);
    }

    static UpdateAnswer of(Outcome outcome) {
        return new UpdateAnswer(outcome, null, null, null, null, null);
    }

    static UpdateAnswer of(Outcome outcome, String version, String old) {
        return new UpdateAnswer(outcome, null, version, old, null, null);
    }

    static UpdateAnswer keyMismatch(String deviceKeyId, String bundleKeyId) {
        return new UpdateAnswer(Outcome.KEY_ID_MISMATCH, null, null, null, deviceKeyId, bundleKeyId);
    }

    /** The JSON body. Update answers were serialized when the snapshot was built. */
    public byte[] toJson() {
        return switch (outcome) {
            case UPDATE -> bundle.updateJson();
            case REVERT_TO_BUILTIN -> BUILTIN_JSON;
            default -> version == null && old == null && deviceKeyId == null && !majorFlag(outcome)
                    ? PLAIN.get(outcome)
                    : refusal(outcome, version, old, deviceKeyId, bundleKeyId).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static boolean majorFlag(Outcome o) {
        return o == Outcome.DISABLE_AUTO_UPDATE_TO_MAJOR || o == Outcome.DISABLE_AUTO_UPDATE_TO_MINOR || o == Outcome.DISABLE_AUTO_UPDATE_TO_PATCH;
    }

    private static String refusal(Outcome o, String version, String old, String deviceKeyId, String bundleKeyId) {
        StringBuilder sb = new StringBuilder(160).append('{');
        JsonText.field(sb, true, "error", o.code);
        JsonText.field(sb, false, "message", o.message);
        JsonText.field(sb, false, "kind", o.kind.wire);
        if (majorFlag(o)) {
            sb.append(",\"major\":true");
        }
        if (version != null) {
            JsonText.field(sb, false, "version", version);
        }
        if (old != null) {
            JsonText.field(sb, false, "old", old);
        }
        if (deviceKeyId != null) {
            JsonText.field(sb, false, "deviceKeyId", deviceKeyId);
            JsonText.field(sb, false, "bundleKeyId", bundleKeyId == null ? "" : bundleKeyId);
        }
        return sb.append('}').toString();
    }
}
