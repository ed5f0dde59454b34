package dev.updraft.server.decision;

import dev.updraft.protocol.UpdateError;

/**
 * The answer of an update check: an update ({@link Outcome#UPDATE}), a revert to the built-in bundle, or a refusal
 * ({@code {error, message, kind, ...extras}}). Always sent with HTTP 200; the bytes are the protocol's.
 *
 * @param bundle     the bundle to install, for {@link Outcome#UPDATE}
 * @param updateJson the update answer as this device may read it, for {@link Outcome#UPDATE}
 * @param version    the target version, an extra of some refusals
 * @param old        the device's native version, an extra of some refusals
 * @param rollout    the rollout that served the update, {@code null} when the stable bundle did
 * @param channel    the channel that served the update
 */
public record UpdateAnswer(
        Outcome outcome,
        BundleView bundle,
        byte[] updateJson,
        String version,
        String old,
        String deviceKeyId,
        String bundleKeyId,
        Rollout rollout,
        String channel) {

    static UpdateAnswer update(BundleView bundle, byte[] updateJson, Rollout rollout, String channel) {
        return new UpdateAnswer(Outcome.UPDATE, bundle, updateJson, null, null, null, null, rollout, channel);
    }

    static UpdateAnswer of(Outcome outcome) {
        return new UpdateAnswer(outcome, null, null, null, null, null, null, null, null);
    }

    static UpdateAnswer of(Outcome outcome, String version, String old) {
        return new UpdateAnswer(outcome, null, null, version, old, null, null, null, null);
    }

    static UpdateAnswer keyMismatch(String deviceKeyId, String bundleKeyId) {
        return new UpdateAnswer(Outcome.KEY_ID_MISMATCH, null, null, null, null, deviceKeyId, bundleKeyId, null, null);
    }

    /** The JSON body: serialised when the snapshot was built (updates) or once per code (plain refusals). */
    public byte[] toJson() {
        return switch (outcome) {
            case UPDATE -> updateJson;
            case REVERT_TO_BUILTIN -> dev.updraft.protocol.UpdateAnswer.revertToBuiltinJson();
            default ->
                deviceKeyId != null
                        ? UpdateError.keyIdMismatch(deviceKeyId, bundleKeyId)
                        : outcome.error.toJson(version, old);
        };
    }
}
