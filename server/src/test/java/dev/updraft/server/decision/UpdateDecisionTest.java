package dev.updraft.server.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.ManifestEntry;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.PluginCapabilities;
import dev.updraft.protocol.Semver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One test per rule of the decision table (docs/protocol.md §2.9), channel selection (§2.10), and every rule the
 * plugin's history changed, at its version boundaries (§11). Plain JUnit.
 */
class UpdateDecisionTest {
    static final String SHA = "3f5076131fa327e7c3ea620aca8ca283e3657a1e8b015482f55893f4fd1ca2d7";
    static final String KEY = "MIIBCgKCAQEAzNUtP9rS";

    // ---- builders --------------------------------------------------------------------------------------------

    static BundleView bundle(String version) {
        return BundleView.of(
                version,
                "https://cdn.example.com/" + version + ".zip",
                SHA,
                "",
                null,
                List.of(),
                null,
                null,
                null,
                false);
    }

    static BundleView encrypted(String version, String keyId) {
        return BundleView.of(
                version,
                "https://cdn.example.com/" + version + ".zip",
                "ab".repeat(256),
                "aXY=:d3JhcHBlZA==",
                keyId,
                List.of(),
                null,
                null,
                null,
                false);
    }

    static final class Ch {
        long id = 1;
        String name = "production";
        BundleView bundle;
        boolean missing;
        boolean pub = true;
        boolean self;
        boolean ios = true, android = true, electron = true, dev = true, prod = true, device = true, emulator = true;
        DisableAutoUpdate dau = DisableAutoUpdate.NONE;
        boolean underNative = true;
        BuiltinTarget builtin = BuiltinTarget.RESET;
        Rollout rollout;

        Ch(BundleView b) {
            bundle = b;
        }

        ChannelView view() {
            return new ChannelView(
                    id,
                    name,
                    bundle,
                    missing,
                    pub,
                    self,
                    ios,
                    android,
                    electron,
                    dev,
                    prod,
                    device,
                    emulator,
                    dau,
                    underNative,
                    builtin,
                    rollout);
        }
    }

    /** production (public, 1.0.1) and beta (1.0.2, self-assignable or private), with dev-1's stored choice of beta. */
    static AppSnapshot betaChosenBy(boolean admin, boolean selfAssignable) {
        Ch pub = new Ch(bundle("1.0.1"));
        Ch beta = new Ch(bundle("1.0.2"));
        beta.id = 2;
        beta.name = "beta";
        beta.pub = false;
        beta.self = selfAssignable;
        return app(Map.of("dev-1", new AppSnapshot.Override(beta.view(), admin)), pub.view(), beta.view());
    }

    static AppSnapshot app(ChannelView... channels) {
        return app(Map.of(), channels);
    }

    static AppSnapshot app(Map<String, AppSnapshot.Override> overrides, ChannelView... channels) {
        return new AppSnapshot("com.example.app", 1, 1, List.of(channels), overrides);
    }

    /** The spec's example device: Android, native 1.0.0 running built-in, no key. */
    static UpdateRequest device() {
        return req("1.0.0", "1.0.0", "", "", "8.51.23", false, true);
    }

    static UpdateRequest req(
            String build,
            String name,
            String defaultChannel,
            String keyId,
            String plugin,
            boolean emulator,
            boolean prod) {
        return new UpdateRequest(
                "com.example.app",
                "dev-1",
                Platform.ANDROID,
                build,
                Semver.parseLenient(build).orElse(null),
                name,
                PluginCapabilities.of(plugin).orElseThrow(),
                emulator,
                prod,
                defaultChannel,
                keyId);
    }

    static UpdateAnswer decide(UpdateRequest r, AppSnapshot a) {
        return UpdateDecision.decide(r, a);
    }

    static String json(UpdateAnswer a) {
        return new String(a.toJson(), StandardCharsets.UTF_8);
    }

    // ---- the rows --------------------------------------------------------------------------------------------

    @Test
    void row1_unknownVersionBuild() {
        UpdateRequest r = req("unknown", "1.0.0", "", "", "8.51.23", false, true);
        assertThat(decide(r, app(new Ch(bundle("1.0.1")).view())).outcome()).isEqualTo(Outcome.UNKNOWN_VERSION_BUILD);
    }

    @Test
    void row2_nonSemverVersionBuild() {
        UpdateRequest r = req("one.two", "1.0.0", "", "", "8.51.23", false, true);
        assertThat(decide(r, app(new Ch(bundle("1.0.1")).view())).outcome()).isEqualTo(Outcome.SEMVER_ERROR);
    }

    @Test
    void row3_plugin4IsUnsupported() {
        UpdateRequest r = req("1.0.0", "1.0.0", "", "", "4.13.0", false, true);
        assertThat(decide(r, app(new Ch(bundle("1.0.1")).view())).outcome())
                .isEqualTo(Outcome.UNSUPPORTED_PLUGIN_VERSION);
        assertThat(decide(req("1.0.0", "1.0.0", "", "", "5.0.0", false, true), app(new Ch(bundle("1.0.1")).view()))
                        .outcome())
                .isEqualTo(Outcome.UPDATE);
    }

    @Test
    void row4_missingVersionName() {
        UpdateRequest r = req("1.0.0", null, "", "", "8.51.23", false, true);
        assertThat(decide(r, app(new Ch(bundle("1.0.1")).view())).outcome()).isEqualTo(Outcome.MISSING_INFO);
    }

    @Test
    void row5_noChannel() {
        assertThat(decide(device(), app()).outcome()).isEqualTo(Outcome.NO_CHANNEL);
        Ch priv = new Ch(bundle("1.0.1"));
        priv.pub = false;
        assertThat(decide(device(), app(priv.view())).outcome()).isEqualTo(Outcome.NO_CHANNEL);
    }

    @Test
    void row5_defaultChannelThatDoesNotQualifyHasNoFallbackToPublic() {
        Ch pub = new Ch(bundle("1.0.1"));
        Ch priv = new Ch(bundle("1.0.2"));
        priv.id = 2;
        priv.name = "beta";
        priv.pub = false; // neither public nor self-assignable
        UpdateRequest r = req("1.0.0", "1.0.0", "beta", "", "8.51.23", false, true);
        assertThat(decide(r, app(pub.view(), priv.view())).outcome()).isEqualTo(Outcome.NO_CHANNEL);
        UpdateRequest unknownName = req("1.0.0", "1.0.0", "nope", "", "8.51.23", false, true);
        assertThat(decide(unknownName, app(pub.view(), priv.view())).outcome()).isEqualTo(Outcome.NO_CHANNEL);
    }

    @Test
    void row5_defaultChannelMustServeThePlatform() {
        Ch beta = new Ch(bundle("1.0.2"));
        beta.name = "beta";
        beta.pub = false;
        beta.self = true;
        beta.android = false;
        UpdateRequest r = req("1.0.0", "1.0.0", "beta", "", "8.51.23", false, true);
        assertThat(decide(r, app(beta.view())).outcome()).isEqualTo(Outcome.NO_CHANNEL);
    }

    @Test
    void selection_selfAssignableDefaultChannelWins_overPublic() {
        Ch pub = new Ch(bundle("1.0.1"));
        Ch beta = new Ch(bundle("1.0.2"));
        beta.id = 2;
        beta.name = "beta";
        beta.pub = false;
        beta.self = true;
        UpdateAnswer a =
                decide(req("1.0.0", "1.0.0", "beta", "", "8.51.23", false, true), app(pub.view(), beta.view()));
        assertThat(a.outcome()).isEqualTo(Outcome.UPDATE);
        assertThat(a.bundle().version()).isEqualTo("1.0.2");
    }

    @Test
    void selection_firstPublicChannelForThePlatformByName() {
        Ch b = new Ch(bundle("1.0.2"));
        b.id = 1;
        b.name = "b-channel";
        Ch a = new Ch(bundle("1.0.1"));
        a.id = 2;
        a.name = "a-channel";
        Ch iosOnly = new Ch(bundle("1.0.3"));
        iosOnly.id = 3;
        iosOnly.name = "0-ios";
        iosOnly.android = false;
        UpdateAnswer ans = decide(device(), app(b.view(), a.view(), iosOnly.view()));
        assertThat(ans.bundle().version()).isEqualTo("1.0.1");
    }

    @Test
    void selection_overrideWinsOverDefaultChannelAndPublic() {
        Ch pub = new Ch(bundle("1.0.1"));
        Ch qa = new Ch(bundle("1.0.5"));
        qa.id = 2;
        qa.name = "qa";
        qa.pub = false;
        AppSnapshot snap = app(Map.of("dev-1", new AppSnapshot.Override(qa.view(), true)), pub.view(), qa.view());
        UpdateAnswer a = decide(req("1.0.0", "1.0.0", "production", "", "8.51.23", false, true), snap);
        assertThat(a.outcome()).isEqualTo(Outcome.UPDATE);
        assertThat(a.bundle().version()).isEqualTo("1.0.5");
    }

    @Test
    void row6_noBundle() {
        Ch missing = new Ch(null);
        missing.missing = true;
        assertThat(decide(device(), app(missing.view())).outcome()).isEqualTo(Outcome.NO_BUNDLE);
        Ch empty = new Ch(BundleView.of("1.0.1", "", SHA, "", null, List.of(), null, null, null, false));
        assertThat(decide(device(), app(empty.view())).outcome()).isEqualTo(Outcome.NO_BUNDLE);
    }

    @Test
    void row7_keyIdMismatch_onlyForThePluginsThatSendTheFullKeyId() {
        UpdateRequest other = req("1.0.0", "1.0.0", "", "MIIBCgKCAQEAotherkey", "8.51.23", false, true);
        UpdateAnswer a = decide(other, app(new Ch(encrypted("1.0.1", KEY)).view()));
        assertThat(a.outcome()).isEqualTo(Outcome.KEY_ID_MISMATCH);
        assertThat(json(a))
                .isEqualTo(
                        "{\"error\":\"key_id_mismatch\",\"message\":\"The bundle is not encrypted for this device's public key\","
                                + "\"kind\":\"blocked\",\"deviceKeyId\":\"MIIBCgKCAQEAotherkey\",\"bundleKeyId\":\""
                                + KEY + "\"}");
        UpdateRequest same = req("1.0.0", "1.0.0", "", KEY, "8.51.23", false, true);
        UpdateAnswer ok = decide(same, app(new Ch(encrypted("1.0.1", KEY)).view()));
        assertThat(ok.outcome()).isEqualTo(Outcome.UPDATE);
        assertThat(json(ok)).contains("\"session_key\":\"aXY=:d3JhcHBlZA==\"");
    }

    @ParameterizedTest
    @CsvSource({
        // plugin, key_id the device sends (- = none), outcome for a bundle encrypted with KEY
        "5.50.0,  -,                    UPDATE",
        "6.50.0,  -,                    UPDATE",
        "7.50.0,  -,                    UPDATE",
        "8.1.9,   -,                    UPDATE",
        "8.2.0,   MIIB,                 UPDATE",
        "8.40.7,  MIIB,                 UPDATE",
        "5.50.1,  MIIB,                 UPDATE",
        "8.40.8,  MIIBCgKCAQEAotherkey, KEY_ID_MISMATCH",
        "8.40.8,  -,                    UPDATE",
        "10.0.0,  MIIBCgKCAQEAotherkey, KEY_ID_MISMATCH"
    })
    void row7_olderPluginsGetTheEncryptedBundle_andFailClosedOnTheWrongKey(
            String plugin, String keyId, Outcome expected) {
        UpdateRequest r = req("1.0.0", "1.0.0", "", "-".equals(keyId) ? "" : keyId, plugin, false, true);
        UpdateAnswer a = decide(r, app(new Ch(encrypted("1.0.1", KEY)).view()));
        assertThat(a.outcome()).isEqualTo(expected);
        if (expected == Outcome.UPDATE) {
            assertThat(json(a))
                    .contains("\"session_key\":\"aXY=:d3JhcHBlZA==\"", "\"checksum\":\"" + "ab".repeat(256) + "\"");
        }
    }

    static final String OLD_KEY = KEY;
    static final String NEW_KEY = "MIIBCgKCAQEAnewKey12";

    /** 1.0.1 encrypted for OLD_KEY (its first variant) and NEW_KEY, each variant its own file and session key. */
    static BundleView twoKeys(String version) {
        BundleView newKey = BundleView.of(
                version,
                "https://cdn.example.com/" + version + "-new.zip",
                "cd".repeat(256),
                "bmV3:bmV3d3JhcHBlZA==",
                NEW_KEY,
                List.of(),
                null,
                null,
                null,
                false);
        return encrypted(version, OLD_KEY).withOtherKeys(List.of(newKey));
    }

    static AppSnapshot appWithDefaultKey(String defaultKeyId, ChannelView... channels) {
        return new AppSnapshot("com.example.app", 1, 1, 0, false, defaultKeyId, List.of(channels), Map.of());
    }

    @ParameterizedTest
    @CsvSource({
        // plugin, key_id the device sends (- = none), app's default key (- = none), outcome, file served
        "8.51.23, MIIBCgKCAQEAzNUtP9rS, -,                    UPDATE,          1.0.1.zip",
        "8.51.23, MIIBCgKCAQEAnewKey12, -,                   UPDATE,          1.0.1-new.zip",
        "8.51.23, MIIBCgKCAQEAthirdKey, -,                    KEY_ID_MISMATCH, -",
        "8.51.23, -,                    -,                    UPDATE,          1.0.1.zip",
        "8.51.23, -,                    MIIBCgKCAQEAnewKey12, UPDATE,         1.0.1-new.zip",
        "8.40.7,  MIIB,                 -,                    UPDATE,          1.0.1.zip",
        "8.40.7,  MIIB,                 MIIBCgKCAQEAnewKey12, UPDATE,         1.0.1-new.zip",
        "7.30.0,  -,                    MIIBCgKCAQEAnewKey12, UPDATE,         1.0.1-new.zip",
        "7.30.0,  -,                    MIIBCgKCAQEAthirdKey, UPDATE,          1.0.1.zip",
        "8.51.23, MIIBCgKCAQEAnewKey12, MIIBCgKCAQEAzNUtP9rS, UPDATE,         1.0.1-new.zip"
    })
    void row7_aReleaseForTwoKeys_servesEachDeviceTheVariantForItsKey(
            String plugin, String keyId, String defaultKey, Outcome expected, String file) {
        UpdateRequest r = req("1.0.0", "1.0.0", "", "-".equals(keyId) ? "" : keyId, plugin, false, true);
        UpdateAnswer a =
                decide(r, appWithDefaultKey("-".equals(defaultKey) ? "" : defaultKey, new Ch(twoKeys("1.0.1")).view()));
        assertThat(a.outcome()).isEqualTo(expected);
        if (expected == Outcome.UPDATE) {
            boolean newFile = file.endsWith("-new.zip");
            assertThat(json(a))
                    .contains(
                            "\"url\":\"https://cdn.example.com/" + file + "\"",
                            "\"session_key\":\"" + (newFile ? "bmV3:bmV3d3JhcHBlZA==" : "aXY=:d3JhcHBlZA==") + "\"",
                            "\"checksum\":\"" + (newFile ? "cd" : "ab").repeat(256) + "\"");
            assertThat(a.bundle().keyId()).isEqualTo(newFile ? NEW_KEY : OLD_KEY);
        } else {
            assertThat(json(a))
                    .contains("\"deviceKeyId\":\"MIIBCgKCAQEAthirdKey\"", "\"bundleKeyId\":\"" + OLD_KEY + "\"");
        }
    }

    @Test
    void row7_aRolloutForTwoKeys_servesTheVariantForTheDevicesKeyToo() {
        Ch c = new Ch(encrypted("1.0.0", OLD_KEY));
        c.rollout = new Rollout("r-1", twoKeys("1.0.1"), Rollout.ALL_BPS, false);
        UpdateRequest r = req("1.0.0", "1.0.0", "", NEW_KEY, "8.51.23", false, true);
        UpdateAnswer a = decide(r, app(c.view()));
        assertThat(a.outcome()).isEqualTo(Outcome.UPDATE);
        assertThat(json(a)).contains("\"url\":\"https://cdn.example.com/1.0.1-new.zip\"");
        assertThat(a.rollout()).isNotNull();
    }

    @Test
    void row7_aStableBundleForOneKey_givesADeviceWithTheOtherKeyAMismatch_evenWhenItsRolloutHasBoth() {
        // the variants belong to a release: the stable 1.0.0 (old key only) does not borrow the rollout's new-key file
        Ch c = new Ch(encrypted("1.0.0", OLD_KEY));
        c.rollout = new Rollout("r-1", twoKeys("1.0.1"), 0, false);
        UpdateRequest r = req("1.0.0", "1.0.0", "", NEW_KEY, "8.51.23", false, true);
        assertThat(decide(r, app(c.view())).outcome()).isEqualTo(Outcome.KEY_ID_MISMATCH);
    }

    @Test
    void row7_anUnencryptedBundleIsOffered_toADeviceWithAKey() {
        // As the Capgo cloud: nothing to compare (the bundle has no key id); the plugin refuses it
        // (session_key_required).
        UpdateRequest r = req("1.0.0", "1.0.0", "", KEY, "8.51.23", false, true);
        assertThat(decide(r, app(new Ch(bundle("1.0.1")).view())).outcome()).isEqualTo(Outcome.UPDATE);
    }

    @Test
    void row8_noNewVersion_byStringEquality() {
        UpdateRequest onTarget = req("1.0.0", "1.0.1", "", "", "8.51.23", false, true);
        UpdateAnswer a = decide(onTarget, app(new Ch(bundle("1.0.1")).view()));
        assertThat(json(a))
                .isEqualTo(
                        "{\"error\":\"no_new_version_available\",\"message\":\"No new version available\",\"kind\":\"up_to_date\"}");
        // Not semver ordering: a device on a NEWER bundle is still offered the channel's version.
        UpdateRequest newer = req("1.0.0", "1.0.2", "", "", "8.51.23", false, true);
        assertThat(decide(newer, app(new Ch(bundle("1.0.1")).view())).outcome()).isEqualTo(Outcome.UPDATE);
        // "1.0.1+build" is another string.
        assertThat(decide(req("1.0.0", "1.0.1+b", "", "", "8.51.23", false, true), app(new Ch(bundle("1.0.1")).view()))
                        .outcome())
                .isEqualTo(Outcome.UPDATE);
    }

    @Test
    void row8_builtinDeviceOnNativeVersionEqualToTarget() {
        // Native 1.0.1 running built-in reports version_name "1.0.1" (or "builtin"): already there.
        assertThat(decide(req("1.0.1", "builtin", "", "", "8.51.23", false, true), app(new Ch(bundle("1.0.1")).view()))
                        .outcome())
                .isEqualTo(Outcome.NO_NEW_VERSION);
        assertThat(decide(req("1.0.1", "1.0.1", "", "", "8.51.23", false, true), app(new Ch(bundle("1.0.1")).view()))
                        .outcome())
                .isEqualTo(Outcome.NO_NEW_VERSION);
    }

    @Test
    void row9_disabledPlatform_throughAnOverride() {
        Ch iosOnly = new Ch(bundle("1.0.1"));
        iosOnly.android = false;
        AppSnapshot snap = app(Map.of("dev-1", new AppSnapshot.Override(iosOnly.view(), true)), iosOnly.view());
        UpdateAnswer a = decide(device(), snap);
        assertThat(json(a))
                .isEqualTo(
                        "{\"error\":\"disabled_platform_android\",\"message\":\"The channel does not serve Android\","
                                + "\"kind\":\"blocked\",\"version\":\"1.0.1\",\"old\":\"1.0.0\"}");
    }

    @Test
    void row10_disableAutoUpdateMajor() {
        Ch c = new Ch(bundle("2.0.0"));
        c.dau = DisableAutoUpdate.MAJOR;
        UpdateAnswer a = decide(device(), app(c.view()));
        assertThat(json(a))
                .isEqualTo("{\"error\":\"disable_auto_update_to_major\",\"message\":\"Cannot upgrade major version\","
                        + "\"kind\":\"blocked\",\"major\":true,\"version\":\"2.0.0\",\"old\":\"1.0.0\"}");
        c.bundle = bundle("1.9.0");
        assertThat(decide(device(), app(c.view())).outcome()).isEqualTo(Outcome.UPDATE);
    }

    @Test
    void row10_comparesWithTheNativeVersionPadded_notTheRunningBundle() {
        Ch c = new Ch(bundle("2.0.1"));
        c.dau = DisableAutoUpdate.MAJOR;
        // native "2" (padded to 2.0.0) running bundle 1.5.0: same major as native -> allowed
        assertThat(decide(req("2", "1.5.0", "", "", "8.51.23", false, true), app(c.view()))
                        .outcome())
                .isEqualTo(Outcome.UPDATE);
        // native 1.0 running bundle 2.0.0: target major 2 > native major 1 -> blocked
        assertThat(decide(req("1.0", "2.0.0", "", "", "8.51.23", false, true), app(c.view()))
                        .outcome())
                .isEqualTo(Outcome.DISABLE_AUTO_UPDATE_TO_MAJOR);
    }

    @Test
    void row11_cannotUpdateViaPrivateChannel_deviceChoiceOnAChannelThatBecamePrivate() {
        AppSnapshot self = betaChosenBy(false, false);
        // The stored choice counts only for plugins that do not keep setChannel on the device.
        assertThat(decide(req("1.0.0", "1.0.0", "", "", "7.33.0", false, true), self)
                        .outcome())
                .isEqualTo(Outcome.CANNOT_UPDATE_VIA_PRIVATE_CHANNEL);
        // The same channel is fine for a device an operator put there.
        assertThat(decide(device(), betaChosenBy(true, false)).outcome()).isEqualTo(Outcome.UPDATE);
    }

    @ParameterizedTest
    @CsvSource({
        // plugin, whether a stored self choice counts
        "5.33.9, true",
        "5.34.0, false",
        "6.33.9, true",
        "6.34.0, false",
        "7.33.9, true",
        "7.34.0, false",
        "8.0.0, false",
        "8.51.23, false",
        "10.0.0, false"
    })
    void selection_aStoredSelfChoiceCountsOnlyForPluginsThatDoNotKeepIt(String plugin, boolean counts) {
        AppSnapshot snap = betaChosenBy(false, true);
        // After setChannel('beta') then a local unsetChannel(), a new plugin sends defaultChannel "": the public
        // channel.
        assertThat(decide(req("1.0.0", "1.0.0", "", "", plugin, false, true), snap)
                        .bundle()
                        .version())
                .isEqualTo(counts ? "1.0.2" : "1.0.1");
        // An operator's override counts for every plugin.
        AppSnapshot admin = betaChosenBy(true, true);
        assertThat(decide(req("1.0.0", "1.0.0", "", "", plugin, false, true), admin)
                        .bundle()
                        .version())
                .isEqualTo("1.0.2");
    }

    @Test
    void row12_disableAutoUpdateMinor() {
        Ch c = new Ch(bundle("1.1.0"));
        c.dau = DisableAutoUpdate.MINOR;
        UpdateAnswer a = decide(device(), app(c.view()));
        assertThat(a.outcome()).isEqualTo(Outcome.DISABLE_AUTO_UPDATE_TO_MINOR);
        assertThat(json(a))
                .contains("\"kind\":\"blocked\"", "\"major\":true", "\"version\":\"1.1.0\"", "\"old\":\"1.0.0\"");
        c.bundle = bundle("1.0.7");
        assertThat(decide(device(), app(c.view())).outcome()).isEqualTo(Outcome.UPDATE);
    }

    @Test
    void row13_disableAutoUpdatePatch() {
        Ch c = new Ch(bundle("1.0.1"));
        c.dau = DisableAutoUpdate.PATCH;
        assertThat(decide(device(), app(c.view())).outcome()).isEqualTo(Outcome.DISABLE_AUTO_UPDATE_TO_PATCH);
        c.bundle = bundle("1.0.0-hotfix.1");
        c.underNative = false;
        assertThat(decide(device(), app(c.view())).outcome()).isEqualTo(Outcome.UPDATE);
    }

    @Test
    void row14_versionNumber_misconfiguredWithoutMinUpdateVersion() {
        Ch c = new Ch(bundle("1.0.1"));
        c.dau = DisableAutoUpdate.VERSION_NUMBER;
        assertThat(decide(device(), app(c.view())).outcome()).isEqualTo(Outcome.MISCONFIGURED_CHANNEL);
    }

    @Test
    void row14_versionNumber_minUpdateVersionAboveNative() {
        Ch c = new Ch(BundleView.of(
                "1.0.1", "https://cdn.example.com/x.zip", SHA, "", null, List.of(), "1.0.5", null, null, false));
        c.dau = DisableAutoUpdate.VERSION_NUMBER;
        assertThat(decide(device(), app(c.view())).outcome()).isEqualTo(Outcome.DISABLE_AUTO_UPDATE_TO_METADATA);
        assertThat(decide(req("1.0.5", "1.0.5", "", "", "8.51.23", false, true), app(c.view()))
                        .outcome())
                .isEqualTo(Outcome.DISABLE_AUTO_UPDATE_UNDER_NATIVE); // passes row 14, stopped by row 15
        c.underNative = false;
        assertThat(decide(req("1.0.5", "1.0.5", "", "", "8.51.23", false, true), app(c.view()))
                        .outcome())
                .isEqualTo(Outcome.UPDATE);
    }

    @Test
    void row15_underNative() {
        Ch c = new Ch(bundle("0.9.0"));
        UpdateAnswer a = decide(device(), app(c.view()));
        assertThat(json(a))
                .isEqualTo(
                        "{\"error\":\"disable_auto_update_under_native\",\"message\":\"Cannot install a bundle older than the native version\","
                                + "\"kind\":\"blocked\",\"version\":\"0.9.0\",\"old\":\"1.0.0\"}");
        c.underNative = false;
        assertThat(decide(device(), app(c.view())).outcome()).isEqualTo(Outcome.UPDATE);
    }

    @Test
    void row16_prodAndDevBuilds() {
        Ch c = new Ch(bundle("1.0.1"));
        c.prod = false;
        assertThat(decide(device(), app(c.view())).outcome()).isEqualTo(Outcome.DISABLE_PROD_BUILD);
        assertThat(decide(req("1.0.0", "1.0.0", "", "", "8.51.23", false, false), app(c.view()))
                        .outcome())
                .isEqualTo(Outcome.UPDATE);
        c.prod = true;
        c.dev = false;
        assertThat(decide(req("1.0.0", "1.0.0", "", "", "8.51.23", false, false), app(c.view()))
                        .outcome())
                .isEqualTo(Outcome.DISABLE_DEV_BUILD);
    }

    @Test
    void row17_devicesAndEmulators() {
        Ch c = new Ch(bundle("1.0.1"));
        c.device = false;
        assertThat(decide(device(), app(c.view())).outcome()).isEqualTo(Outcome.DISABLE_DEVICE);
        c.device = true;
        c.emulator = false;
        assertThat(decide(req("1.0.0", "1.0.0", "", "", "8.51.23", true, true), app(c.view()))
                        .outcome())
                .isEqualTo(Outcome.DISABLE_EMULATOR);
        assertThat(decide(device(), app(c.view())).outcome()).isEqualTo(Outcome.UPDATE);
    }

    @Test
    void row18_builtinTarget() {
        Ch c = new Ch(null);
        UpdateAnswer already = decide(device(), app(c.view()));
        assertThat(json(already))
                .isEqualTo(
                        "{\"error\":\"already_on_builtin\",\"message\":\"The device already runs the built-in bundle\","
                                + "\"kind\":\"up_to_date\",\"version\":\"builtin\"}");
        UpdateAnswer revert = decide(req("1.0.0", "1.0.3", "", "", "8.51.23", false, true), app(c.view()));
        assertThat(json(revert)).isEqualTo("{\"version\":\"builtin\"}");
        assertThat(decide(req("1.0.0", "1.0.3", "", "", "6.1.9", false, true), app(c.view()))
                        .outcome())
                .isEqualTo(Outcome.REVERT_TO_BUILTIN_PLUGIN_VERSION_TOO_OLD);
        assertThat(decide(req("1.0.0", "1.0.3", "", "", "5.99.0", false, true), app(c.view()))
                        .outcome())
                .isEqualTo(Outcome.REVERT_TO_BUILTIN_PLUGIN_VERSION_TOO_OLD);
        assertThat(decide(req("1.0.0", "1.0.3", "", "", "6.2.0", false, true), app(c.view()))
                        .outcome())
                .isEqualTo(Outcome.REVERT_TO_BUILTIN);
        // Built-in skips the key check and the semver gates.
        Ch gated = new Ch(null);
        gated.dau = DisableAutoUpdate.PATCH;
        assertThat(decide(req("1.0.0", "1.0.3", "", KEY, "8.51.23", false, true), app(gated.view()))
                        .outcome())
                .isEqualTo(Outcome.REVERT_TO_BUILTIN);
    }

    @Test
    void row18_aChannelThatKeeps_leavesDevicesOnTheirBundle() {
        Ch keep = new Ch(null);
        keep.builtin = BuiltinTarget.KEEP;
        for (String plugin : new String[] {"5.0.0", "6.1.9", "8.51.23"}) {
            UpdateAnswer a = decide(req("1.0.0", "1.0.3", "", "", plugin, false, true), app(keep.view()));
            assertThat(json(a))
                    .isEqualTo(
                            "{\"error\":\"already_on_builtin\",\"message\":\"The device already runs the built-in bundle\","
                                    + "\"kind\":\"up_to_date\",\"version\":\"builtin\"}");
        }
    }

    @Test
    void row3_pluginMajorsAbove8BehaveAsTheNewest8() {
        assertThat(decide(req("1.0.0", "1.0.0", "", "", "10.0.0", false, true), app(new Ch(bundle("1.0.1")).view()))
                        .outcome())
                .isEqualTo(Outcome.UPDATE);
        assertThat(decide(req("1.0.0", "1.0.0", "", "", "4.99.99", false, true), app(new Ch(bundle("1.0.1")).view()))
                        .outcome())
                .isEqualTo(Outcome.UNSUPPORTED_PLUGIN_VERSION);
    }

    @Test
    void row19_noUsableUrl() {
        Ch c = new Ch(BundleView.of(
                "1.0.1", "ftp://files.example.com/x.zip", SHA, "", null, List.of(), null, null, null, false));
        assertThat(decide(device(), app(c.view())).outcome()).isEqualTo(Outcome.NO_BUNDLE_URL);
    }

    @Test
    void ok_updateAnswerHasExactlyTheDocumentedKeys() {
        UpdateAnswer a = decide(device(), app(new Ch(bundle("1.0.1")).view()));
        assertThat(json(a))
                .isEqualTo(
                        "{\"version\":\"1.0.1\",\"url\":\"https://cdn.example.com/1.0.1.zip\",\"session_key\":\"\",\"checksum\":\""
                                + SHA + "\"}");
    }

    @ParameterizedTest
    @CsvSource({
        // plugin, app exposes metadata, manifest sent, link/comment sent
        "5.9.0, true, false, false", "5.35.0, true, true, true", "6.24.0, true, false, false",
                "6.35.0, false, true, false",
        "7.0.34, true, false, false", "7.35.0, true, true, true", "8.34.0, true, true, false",
                "8.51.23, true, true, true"
    })
    void ok_manifestAndMetadata_asThePluginMayReadThem(
            String plugin, boolean exposes, boolean manifest, boolean metadata) {
        Ch c = new Ch(BundleView.of(
                "1.0.1",
                "https://cdn.example.com/x.zip",
                SHA,
                "",
                null,
                List.of(new ManifestEntry("index.html", SHA, "https://cdn.example.com/f/index.html")),
                null,
                "https://notes",
                "fixes",
                false));
        AppSnapshot snap = new AppSnapshot("com.example.app", 1, 1, exposes, List.of(c.view()), Map.of());
        String j = json(decide(req("1.0.0", "1.0.0", "", "", plugin, false, true), snap));
        assertThat(j.contains("\"manifest\"")).as(j).isEqualTo(manifest);
        assertThat(j.contains("\"link\":\"https://notes\",\"comment\":\"fixes\""))
                .as(j)
                .isEqualTo(metadata);
        assertThat(j).startsWith("{\"version\":\"1.0.1\",\"url\":\"https://cdn.example.com/x.zip\"");
    }

    /** Rule 19 for a manifest without a zip: its first payload's URL to plugins that install manifests, nothing to the others. */
    @ParameterizedTest
    @CsvSource({"8.51.23, true", "7.0.35, true", "7.0.34, false", "6.24.0, false", "5.10.0, true"})
    void rule19_aManifestWithoutAZip(String plugin, boolean served) {
        Ch c = new Ch(BundleView.of(
                "1.0.1",
                "",
                "",
                "",
                null,
                List.of(new ManifestEntry("index.html", SHA, "https://store.example.com/d/index.html")),
                null,
                null,
                null,
                false));
        UpdateAnswer a = decide(req("1.0.0", "1.0.0", "", "", plugin, false, true), app(c.view()));
        assertThat(a.outcome()).isEqualTo(served ? Outcome.UPDATE : Outcome.NO_BUNDLE_URL);
        if (served) {
            assertThat(json(a))
                    .startsWith(
                            "{\"version\":\"1.0.1\",\"url\":\"https://store.example.com/d/index.html\",\"session_key\":\"\","
                                    + "\"checksum\":\"\",\"manifest\":[");
        }
    }

    @Test
    void ok_optionalKeysWhenSet() {
        List<ManifestEntry> mf = new ArrayList<>();
        mf.add(new ManifestEntry("index.html", SHA, "https://cdn.example.com/f/index.html"));
        Ch c = new Ch(BundleView.of(
                "1.0.1",
                "https://cdn.example.com/x.zip",
                SHA,
                "",
                null,
                mf,
                null,
                "https://example.com/notes",
                "say \"hi\"",
                true));
        String j = json(decide(device(), new AppSnapshot("com.example.app", 1, 1, true, List.of(c.view()), Map.of())));
        assertThat(j)
                .isEqualTo(
                        "{\"version\":\"1.0.1\",\"url\":\"https://cdn.example.com/x.zip\",\"session_key\":\"\",\"checksum\":\""
                                + SHA + "\","
                                + "\"manifest\":[{\"file_name\":\"index.html\",\"file_hash\":\"" + SHA
                                + "\",\"download_url\":\"https://cdn.example.com/f/index.html\"}],"
                                + "\"link\":\"https://example.com/notes\",\"comment\":\"say \\\"hi\\\"\",\"breaking\":true}");
        assertThat(j).doesNotContain("\"error\"", "\"kind\"", "\"message\"");
    }

    // ---- rule 5a: rollouts (docs/protocol.md §2.11) ------------------------------------------------------------

    static final String ROLLOUT_ID = "9b2f0c1e-rollout";

    /** A device id whose bucket for {@link #ROLLOUT_ID} is below (inside) or at least (outside) {@code bps}. */
    static String deviceId(boolean inside, int bps) {
        return inside ? deviceInBuckets(0, bps) : deviceInBuckets(bps, Rollout.ALL_BPS);
    }

    /** A device id whose bucket for {@link #ROLLOUT_ID} is at least {@code from} and below {@code to}. */
    static String deviceInBuckets(int from, int to) {
        for (int i = 0; ; i++) {
            String id = String.format("00000000-0000-4000-8000-%012d", i);
            int b = Rollout.bucket(ROLLOUT_ID, id);
            if (b >= from && b < to) {
                return id;
            }
        }
    }

    static UpdateRequest onDevice(String deviceId, String running) {
        return new UpdateRequest(
                "com.example.app",
                deviceId,
                Platform.ANDROID,
                "1.0.0",
                Semver.parseLenient("1.0.0").orElseThrow(),
                running,
                PluginCapabilities.of("8.51.23").orElseThrow(),
                false,
                true,
                "",
                "");
    }

    /** production: stable 1.0.1, rollout 1.0.2 at 20 %. */
    static AppSnapshot rolloutApp(int bps, boolean paused) {
        Ch prod = new Ch(bundle("1.0.1"));
        prod.rollout = new Rollout(ROLLOUT_ID, bundle("1.0.2"), bps, paused);
        return app(prod.view());
    }

    static String offered(UpdateAnswer a) {
        assertThat(a.outcome()).isEqualTo(Outcome.UPDATE);
        return a.bundle().version();
    }

    @Test
    void rule5a_devicesInTheShareGetTheRolloutBundle_theOthersTheStableOne() {
        UpdateAnswer in = decide(onDevice(deviceId(true, 2000), "1.0.0"), rolloutApp(2000, false));
        assertThat(offered(in)).isEqualTo("1.0.2");
        assertThat(in.rollout().id()).isEqualTo(ROLLOUT_ID);
        UpdateAnswer out = decide(onDevice(deviceId(false, 2000), "1.0.0"), rolloutApp(2000, false));
        assertThat(offered(out)).isEqualTo("1.0.1");
        assertThat(out.rollout()).isNull();
    }

    @Test
    void rule5a_pausedRollout_takesNoNewDevice_butKeepsThoseThatRunIt() {
        assertThat(offered(decide(onDevice(deviceId(true, 2000), "1.0.0"), rolloutApp(2000, true))))
                .isEqualTo("1.0.1");
        assertThat(decide(onDevice(deviceId(true, 2000), "1.0.2"), rolloutApp(2000, true))
                        .outcome())
                .isEqualTo(Outcome.NO_NEW_VERSION);
    }

    @Test
    void rule5a_aLoweredShareKeepsDevicesThatRunTheRollout_andRollbackSendsThemTheStableBundle() {
        String joinedAt50 = deviceInBuckets(1000, 5000); // in at 50 %, out after the share went down to 10 %
        assertThat(offered(decide(onDevice(joinedAt50, "1.0.0"), rolloutApp(5000, false))))
                .isEqualTo("1.0.2");
        assertThat(offered(decide(onDevice(joinedAt50, "1.0.0"), rolloutApp(1000, false))))
                .isEqualTo("1.0.1");
        assertThat(decide(onDevice(joinedAt50, "1.0.2"), rolloutApp(1000, false))
                        .outcome())
                .isEqualTo(Outcome.NO_NEW_VERSION);
        // rolled back: the channel has no rollout any more
        assertThat(offered(decide(onDevice(joinedAt50, "1.0.2"), app(new Ch(bundle("1.0.1")).view()))))
                .isEqualTo("1.0.1");
    }

    @Test
    void rule5a_aRolloutOnABuiltinChannel_andOverridesKeepTheirPrecedence() {
        Ch prod = new Ch(null);
        prod.rollout = new Rollout(ROLLOUT_ID, bundle("1.0.2"), 2000, false);
        assertThat(offered(decide(onDevice(deviceId(true, 2000), "1.0.0"), app(prod.view()))))
                .isEqualTo("1.0.2");
        assertThat(decide(onDevice(deviceId(false, 2000), "1.0.0"), app(prod.view()))
                        .outcome())
                .isEqualTo(Outcome.ALREADY_ON_BUILTIN);
        // an operator's override to another channel wins over the rollout of the public one
        Ch beta = new Ch(bundle("1.0.5"));
        beta.id = 2;
        beta.name = "beta";
        beta.pub = false;
        String inside = deviceId(true, 2000);
        AppSnapshot withOverride =
                app(Map.of(inside, new AppSnapshot.Override(beta.view(), true)), prod.view(), beta.view());
        assertThat(offered(decide(onDevice(inside, "1.0.0"), withOverride))).isEqualTo("1.0.5");
    }
}
