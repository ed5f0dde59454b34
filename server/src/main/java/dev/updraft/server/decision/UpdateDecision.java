package dev.updraft.server.decision;

import dev.updraft.protocol.Platform;
import dev.updraft.protocol.PluginCapabilities;
import dev.updraft.protocol.Semver;

/**
 * The update check: a pure function from a validated request and the app's snapshot to the answer. No I/O, no
 * clock, no randomness; {@code UpdateDecisionTest} checks it row by row.
 *
 * <p>The order of the checks is the Capgo cloud's; the rule numbers in the comments are those of the decision table
 * in docs/protocol.md §2.9, and every rule that the plugin's history changed asks the request's
 * {@link PluginCapabilities}. The schema (docs/protocol.md §1.6) and the unknown-app answer come before this, in the
 * resource, because they are about the request and the caller, not about the app.
 */
public final class UpdateDecision {
    private UpdateDecision() {}

    /** Which channel serves a device, and whether it got there through an override. */
    public record Selection(ChannelView channel, AppSnapshot.Override override) {}

    /**
     * Channel selection (docs/protocol.md §2.10): an operator's override wins; a channel the device chose itself is
     * stored, and wins, only for plugins that do not keep setChannel on the device; otherwise the channel named by
     * {@code defaultChannel} if it serves the platform and a device may pick it (no fallback when it does not
     * qualify); otherwise the first public channel for the platform, by name. {@code null} when nothing serves the
     * device.
     */
    public static Selection selectChannel(
            AppSnapshot app, String deviceId, Platform platform, String defaultChannel, PluginCapabilities plugin) {
        AppSnapshot.Override override = storedChoice(app, deviceId, plugin);
        if (override != null) {
            return new Selection(override.channel(), override);
        }
        if (defaultChannel != null && !defaultChannel.isEmpty()) {
            ChannelView named = app.channel(defaultChannel);
            return named != null && named.serves(platform) && named.selectableByDevice()
                    ? new Selection(named, null)
                    : null;
        }
        ChannelView pub = app.publicDefault(platform);
        return pub == null ? null : new Selection(pub, null);
    }

    /**
     * The device's stored channel that counts for this plugin: an operator's always, the device's own only for the
     * generation that relies on the server to keep it (a newer plugin's stale one, from before an app update, is not
     * allowed to outrank its {@code defaultChannel}). {@code null} when none counts.
     */
    public static AppSnapshot.Override storedChoice(AppSnapshot app, String deviceId, PluginCapabilities plugin) {
        AppSnapshot.Override override = app.override(deviceId);
        return override != null && (override.admin() || !plugin.channelKeptOnDevice()) ? override : null;
    }

    public static UpdateAnswer decide(UpdateRequest req, AppSnapshot app) {
        PluginCapabilities plugin = req.plugin();
        // 1, 2: the native version must be known and semver-coercible (the resource refuses most bad ones earlier).
        if ("unknown".equals(req.versionBuild())) {
            return UpdateAnswer.of(Outcome.UNKNOWN_VERSION_BUILD);
        }
        Semver nativeVersion = req.nativeVersion();
        if (nativeVersion == null) {
            return UpdateAnswer.of(Outcome.SEMVER_ERROR);
        }
        // 3: plugin 4.x and older (majors above 8 behave as the newest 8.x).
        if (!plugin.supported()) {
            return UpdateAnswer.of(Outcome.UNSUPPORTED_PLUGIN_VERSION);
        }
        // 4: the running bundle must be known.
        if (req.versionName() == null || req.versionName().isEmpty()) {
            return UpdateAnswer.of(Outcome.MISSING_INFO);
        }
        // 5: channel selection.
        Selection selection = selectChannel(app, req.deviceId(), req.platform(), req.defaultChannel(), plugin);
        if (selection == null) {
            return UpdateAnswer.of(Outcome.NO_CHANNEL);
        }
        ChannelView channel = selection.channel();
        // 5a: a rollout serves the devices of its share and keeps the devices that already run its bundle; every other
        // device gets the channel's stable bundle (docs/protocol.md §2.11).
        Rollout rollout = rolloutFor(channel, req.deviceId(), req.versionName());
        BundleView target = rollout != null ? rollout.bundle() : channel.bundle();
        boolean builtinTarget = rollout == null && channel.targetsBuiltin();
        String targetVersion = builtinTarget ? UpdateRequest.BUILTIN : target == null ? null : target.version();
        String old = req.versionBuild();
        // 6: nothing to serve.
        if ((rollout == null && channel.bundleMissing()) || (!builtinTarget && target.hasNothingToServe())) {
            return UpdateAnswer.of(Outcome.NO_BUNDLE);
        }
        // 7: an encrypted release is served as its variant for the device's key (one per key, docs/protocol.md §2.9):
        // a plugin that sends its full key id (after 8.40.7) gets the variant for that key, or key_id_mismatch when the
        // release has none; older plugins send none or the 4 characters every key shares, so they get the variant of
        // the app's default key, else the first registered, and fail closed if it is the wrong one. A device with a key
        // and an unencrypted bundle: the plugin refuses it (session_key_required).
        if (!builtinTarget && !target.keyId().isEmpty()) {
            boolean keyKnown = plugin.keyIdCompared() && !req.keyId().isEmpty();
            BundleView variant = keyKnown ? target.forKey(req.keyId()) : target.forUnknownKey(app.defaultKeyId());
            if (variant == null) {
                return UpdateAnswer.keyMismatch(req.keyId(), target.keyId());
            }
            target = variant;
        }
        // 8: the device already runs the target (string equality, as on the device).
        if (req.versionName().equals(targetVersion)) {
            return UpdateAnswer.of(Outcome.NO_NEW_VERSION);
        }
        // 9: platform switches (reachable through an override: the other selection paths filter on platform).
        if (!channel.serves(req.platform())) {
            return UpdateAnswer.of(Outcome.disabledPlatform(req.platform()), targetVersion, old);
        }
        Semver targetSemver = builtinTarget ? null : target.semver();
        boolean gated = targetSemver != null; // builtin (and non-semver names) skip rows 10 to 15
        // 10: no new major version over the native one.
        if (gated
                && channel.disableAutoUpdate() == DisableAutoUpdate.MAJOR
                && targetSemver.major().compareTo(nativeVersion.major()) > 0) {
            return UpdateAnswer.of(Outcome.DISABLE_AUTO_UPDATE_TO_MAJOR, targetVersion, old);
        }
        // 11: a channel that devices may not pick serves only devices put there by an operator.
        AppSnapshot.Override override = selection.override();
        if (!channel.selectableByDevice() && (override == null || !override.admin())) {
            return UpdateAnswer.of(Outcome.CANNOT_UPDATE_VIA_PRIVATE_CHANNEL);
        }
        if (gated) {
            // 12, 13: only patch (resp. only pre-release/metadata) changes relative to native.
            boolean sameMajor = targetSemver.major().equals(nativeVersion.major());
            boolean sameMinor = sameMajor && targetSemver.minor().equals(nativeVersion.minor());
            if (channel.disableAutoUpdate() == DisableAutoUpdate.MINOR && !sameMinor) {
                return UpdateAnswer.of(Outcome.DISABLE_AUTO_UPDATE_TO_MINOR, targetVersion, old);
            }
            if (channel.disableAutoUpdate() == DisableAutoUpdate.PATCH
                    && !(sameMinor && targetSemver.patch().equals(nativeVersion.patch()))) {
                return UpdateAnswer.of(Outcome.DISABLE_AUTO_UPDATE_TO_PATCH, targetVersion, old);
            }
            // 14: the bundle's min_update_version must not exceed the native version.
            if (channel.disableAutoUpdate() == DisableAutoUpdate.VERSION_NUMBER) {
                if (target.minUpdateVersion() == null) {
                    return UpdateAnswer.of(Outcome.MISCONFIGURED_CHANNEL);
                }
                if (target.minUpdateVersion().compareTo(nativeVersion) > 0) {
                    return UpdateAnswer.of(Outcome.DISABLE_AUTO_UPDATE_TO_METADATA);
                }
            }
            // 15: downgrade protection.
            if (channel.disableAutoUpdateUnderNative() && targetSemver.compareTo(nativeVersion) < 0) {
                return UpdateAnswer.of(Outcome.DISABLE_AUTO_UPDATE_UNDER_NATIVE, targetVersion, old);
            }
        }
        // 16: production / development builds.
        if (!channel.allowProd() && req.isProd()) {
            return UpdateAnswer.of(Outcome.DISABLE_PROD_BUILD);
        }
        if (!channel.allowDev() && !req.isProd()) {
            return UpdateAnswer.of(Outcome.DISABLE_DEV_BUILD);
        }
        // 17: physical devices / emulators.
        if (!channel.allowDevice() && !req.isEmulator()) {
            return UpdateAnswer.of(Outcome.DISABLE_DEVICE);
        }
        if (!channel.allowEmulator() && req.isEmulator()) {
            return UpdateAnswer.of(Outcome.DISABLE_EMULATOR);
        }
        // 18: the channel points at the built-in bundle: a device on it is there; one on a downloaded bundle resets
        // (plugins from 6.2.0) or, on a channel that keeps, is left where it is.
        if (builtinTarget) {
            if (req.runsBuiltin() || channel.builtinTarget() == BuiltinTarget.KEEP) {
                return UpdateAnswer.of(Outcome.ALREADY_ON_BUILTIN, UpdateRequest.BUILTIN, null);
            }
            if (!plugin.revertsToBuiltin()) {
                return UpdateAnswer.of(Outcome.REVERT_TO_BUILTIN_PLUGIN_VERSION_TOO_OLD);
            }
            return UpdateAnswer.of(Outcome.REVERT_TO_BUILTIN);
        }
        // 19: the plugin refuses an answer without a valid absolute URL, even for manifest bundles; a manifest without
        // a zip
        // offers its first payload's URL (never fetched) to plugins that install manifests, and nothing to the others.
        if (!target.urlUsable() && !(plugin.understandsManifest() && target.servesManifest())) {
            return UpdateAnswer.of(Outcome.NO_BUNDLE_URL);
        }
        // The answer as this plugin may read it: no manifest for plugins that cannot install one, link and comment only
        // when the app exposes them and the plugin shows them.
        return UpdateAnswer.update(target, target.updateJson(plugin, app.exposeMetadata()), rollout, channel.name());
    }

    /**
     * The channel's rollout when it serves this device, else {@code null} (the stable bundle serves it): a device that
     * runs the rollout bundle keeps it, paused or not; otherwise the device must be in the share and the rollout not
     * paused.
     */
    public static Rollout rolloutFor(ChannelView channel, String deviceId, String runningVersion) {
        Rollout r = channel.rollout();
        if (r == null) {
            return null;
        }
        if (r.bundle().version().equals(runningVersion)) {
            return r;
        }
        return !r.paused() && r.includes(deviceId) ? r : null;
    }
}
