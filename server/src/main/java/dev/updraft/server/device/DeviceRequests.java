package dev.updraft.server.device;

import dev.updraft.protocol.DeviceApiRules;
import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.ProtocolException;
import dev.updraft.protocol.Semver;
import dev.updraft.server.decision.UpdateRequest;
import dev.updraft.server.web.ApiException;

/**
 * The schema check every device endpoint starts with (docs/protocol.md §1.6): the protocol's rules for the call, and
 * HTTP 400 {@code {error, message}} with the protocol's code for what can never succeed.
 */
final class DeviceRequests {
    private DeviceRequests() {}

    /** Checks an info object for a call; {@code 400 invalid_json_body} or {@code semver_error} otherwise. */
    static InfoObject checked(InfoObject info, DeviceApiRules call) {
        try {
            call.check(info);
            return info;
        } catch (ProtocolException e) {
            throw badRequest(e);
        }
    }

    static ApiException badRequest(ProtocolException e) {
        return ApiException.badRequest(e.code(), e.getMessage());
    }

    /** The platform of an info object that passed the schema (which requires a known one). */
    static Platform platform(InfoObject info) {
        return info.platformValue().orElseThrow();
    }

    /** The update-check request of an info object that passed {@link DeviceApiRules#UPDATES}. */
    static UpdateRequest toUpdateRequest(InfoObject info) {
        String build = info.versionBuild();
        return new UpdateRequest(
                info.appId(),
                info.deviceId(),
                platform(info),
                build,
                Semver.parseLenient(build).orElse(null),
                info.versionName(),
                DeviceApiRules.pluginOf(info),
                Boolean.TRUE.equals(info.isEmulator()),
                !Boolean.FALSE.equals(info.isProd()),
                info.defaultChannel(),
                info.keyId());
    }
}
