package dev.updraft.server.device;

import dev.updraft.protocol.DeviceApiRules;
import dev.updraft.protocol.Identifier;
import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.Semver;
import dev.updraft.server.decision.UpdateRequest;
import dev.updraft.server.web.ApiException;

/** The validation every device endpoint shares: HTTP 400 {@code {error, message}} for what can never succeed. */
final class DeviceRequests {
    private DeviceRequests() {
    }

    /** app_id, device_id and platform: present and well-formed. */
    static Platform requireIdentity(InfoObject info) {
        if (info.appId() == null || info.appId().isEmpty()) {
            throw ApiException.badRequest("missing_app_id", "The field 'app_id' is required");
        }
        if (!Identifier.APP_ID.matches(info.appId())) {
            throw ApiException.badRequest("invalid_app_id", "The field 'app_id' must be a reverse-domain id such as com.example.app");
        }
        if (info.deviceId() == null || info.deviceId().isEmpty()) {
            throw ApiException.badRequest("missing_device_id", "The field 'device_id' is required");
        }
        if (!DeviceApiRules.acceptsDeviceId(info.deviceId())) {
            throw ApiException.badRequest("invalid_device_id", "The field 'device_id' must be " + DeviceApiRules.DEVICE_ID_RULE);
        }
        if (info.platform() == null || info.platform().isEmpty()) {
            throw ApiException.badRequest("missing_platform", "The field 'platform' is required");
        }
        return info.platformValue().orElseThrow(
                () -> ApiException.badRequest("invalid_platform", "The field 'platform' must be ios, android or electron"));
    }

    /** The update-check request: identity plus a semver (or "unknown") version_build. */
    static UpdateRequest toUpdateRequest(InfoObject info) {
        Platform platform = requireIdentity(info);
        String build = info.versionBuild();
        if (build == null || build.isEmpty()) {
            throw ApiException.badRequest("missing_version_build", "The field 'version_build' is required");
        }
        Semver nativeVersion = Semver.parseLenient(build).orElse(null);
        if (nativeVersion == null && !"unknown".equals(build)) {
            throw ApiException.badRequest("semver_error", "The field 'version_build' must be a semantic version such as 1.2.3");
        }
        return new UpdateRequest(info.appId(), info.deviceId(), platform, build, nativeVersion, info.versionName(),
                info.pluginVersion() == null ? null : Semver.parseLenient(info.pluginVersion()).orElse(null),
                Boolean.TRUE.equals(info.isEmulator()), !Boolean.FALSE.equals(info.isProd()),
                info.defaultChannel(), info.keyId());
    }
}
