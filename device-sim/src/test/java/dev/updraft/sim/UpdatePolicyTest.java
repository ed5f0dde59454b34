package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.Platform;
import dev.updraft.protocol.StatsAction;
import dev.updraft.protocol.UpdateAnswer;
import dev.updraft.sim.CheckResult.Trigger;
import dev.updraft.sim.UpdatePolicy.Action;
import dev.updraft.sim.UpdatePolicy.Decision;
import dev.updraft.sim.UpdatePolicy.LocalBundle;
import dev.updraft.sim.UpdatePolicy.Snapshot;
import dev.updraft.sim.UpdatePolicy.Timing;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link UpdatePolicy}, row by row: each rule of §2.2 / §2.3 with the input that reaches it and its neighbour's. */
class UpdatePolicyTest {
    private static final PluginBehaviour NEWEST = PluginBehaviour.defaultVersion();
    private static final BundleInfo BUILTIN = BundleInfo.builtin("1.0.0");
    private static final BundleInfo ON_101 = bundle("A", "1.0.1", BundleStatus.SUCCESS);
    private static final String SESSION = "aXY=:a2V5";
    private static final String SUM = "ab".repeat(32);

    private static BundleInfo bundle(String id, String version, BundleStatus status) {
        return new BundleInfo(id, version, "2026-01-01T00:00:00.000Z", "", status);
    }

    private static UpdateAnswer answer(String json) {
        return UpdateAnswer.classify(200, json.getBytes(StandardCharsets.UTF_8), Platform.ANDROID);
    }

    private static UpdateAnswer offer(String version) {
        return answer("{\"version\":\"" + version + "\",\"url\":\"http://store/b.zip\",\"checksum\":\"" + SUM
                + "\",\"session_key\":\"" + SESSION + "\"}");
    }

    /** A snapshot with the defaults of most rows: plugin 8.51.23, on 1.0.1, nothing local, encrypted. */
    private record Row(
            UpdateAnswer answer,
            PluginBehaviour plugin,
            BundleInfo current,
            LocalBundle local,
            String nextId,
            boolean encrypted,
            boolean spurious,
            Set<Deviation> deviations) {
        static Row of(UpdateAnswer a) {
            return new Row(a, NEWEST, ON_101, null, null, true, false, Set.of());
        }

        Row plugin(String v) {
            return new Row(answer, PluginBehaviour.of(v), current, local, nextId, encrypted, spurious, deviations);
        }

        Row current(BundleInfo c) {
            return new Row(answer, plugin, c, local, nextId, encrypted, spurious, deviations);
        }

        Row local(BundleInfo b, boolean folder, boolean usable) {
            return new Row(
                    answer,
                    plugin,
                    current,
                    new LocalBundle(b, folder, usable),
                    nextId,
                    encrypted,
                    spurious,
                    deviations);
        }

        Row next(String id) {
            return new Row(answer, plugin, current, local, id, encrypted, spurious, deviations);
        }

        Row plain() {
            return new Row(answer, plugin, current, local, nextId, false, spurious, deviations);
        }

        Row askingForSpurious() {
            return new Row(answer, plugin, current, local, nextId, encrypted, true, deviations);
        }

        Row deviation(Deviation d) {
            Set<Deviation> s = EnumSet.noneOf(Deviation.class);
            s.addAll(deviations);
            s.add(d);
            return new Row(answer, plugin, current, local, nextId, encrypted, spurious, s);
        }

        Decision decide() {
            return UpdatePolicy.decide(
                    new Snapshot(answer, plugin, current, local, nextId, encrypted, spurious, deviations));
        }
    }

    private static void expect(Row row, Action action, StatsAction stat, String detail) {
        Decision d = row.decide();
        assertThat(d.action()).as("action").isEqualTo(action);
        assertThat(d.stat()).as("stat").isEqualTo(stat);
        assertThat(d.detail()).as("detail").isEqualTo(detail);
    }

    @Test
    void rule1UpToDateDoesNothingAndOnlyAnOldPluginAskedForItSendsTheLegacyDownloadFail() {
        UpdateAnswer upToDate = answer("{\"error\":\"no_new_version_available\",\"kind\":\"up_to_date\"}");
        expect(Row.of(upToDate), Action.NOTHING, null, "no_new_version_available");
        expect(Row.of(upToDate).askingForSpurious(), Action.NOTHING, null, "no_new_version_available");
        expect(Row.of(upToDate).plugin("6.14.24"), Action.NOTHING, null, "no_new_version_available");
        expect(
                Row.of(upToDate).plugin("6.14.24").askingForSpurious(),
                Action.NOTHING,
                StatsAction.DOWNLOAD_FAIL,
                "no_new_version_available");
        expect(
                Row.of(upToDate).plugin("6.14.25").askingForSpurious(),
                Action.NOTHING,
                null,
                "no_new_version_available");
    }

    @Test
    void rules2And3BlockedAndFailedByKindFrom84511AndByErrorBefore() {
        UpdateAnswer blocked = answer("{\"error\":\"disable_auto_update_to_major\",\"kind\":\"blocked\"}");
        UpdateAnswer failed = answer("{\"error\":\"on_premise_app\",\"kind\":\"failed\"}");
        UpdateAnswer upToDateCodeSaysFailed = answer("{\"error\":\"no_new_version_available\",\"kind\":\"failed\"}");
        expect(Row.of(blocked), Action.BLOCKED, null, "disable_auto_update_to_major");
        expect(
                Row.of(blocked).plugin("8.45.10"),
                Action.CHECK_FAILED,
                StatsAction.DOWNLOAD_FAIL,
                "disable_auto_update_to_major");
        expect(Row.of(failed), Action.CHECK_FAILED, StatsAction.DOWNLOAD_FAIL, "on_premise_app");
        expect(
                Row.of(upToDateCodeSaysFailed),
                Action.CHECK_FAILED,
                StatsAction.DOWNLOAD_FAIL,
                "no_new_version_available");
        expect(Row.of(upToDateCodeSaysFailed).plugin("8.45.10"), Action.NOTHING, null, "no_new_version_available");
    }

    @Test
    void rule4RevertToBuiltinFrom620AndNothingOnBuiltin() {
        UpdateAnswer builtin = answer("{\"version\":\"builtin\"}");
        expect(Row.of(builtin), Action.REVERT_TO_BUILTIN, null, null);
        expect(Row.of(builtin).current(BUILTIN), Action.NOTHING, null, null);
        expect(Row.of(builtin).plugin("6.2.0"), Action.REVERT_TO_BUILTIN, null, null);
        // before 6.2.0: an update without url (rule 5)
        expect(
                Row.of(builtin).plugin("6.1.9"),
                Action.REFUSE,
                StatsAction.DOWNLOAD_FAIL,
                "Error no url or wrong format");
    }

    @Test
    void rule5TheUrlMustBeAUrl() {
        expect(
                Row.of(answer("{\"version\":\"1.0.2\",\"url\":\"not a url\"}")),
                Action.REFUSE,
                StatsAction.DOWNLOAD_FAIL,
                "Error no url or wrong format");
        expect(
                Row.of(answer("{\"version\":\"1.0.2\"}")),
                Action.REFUSE,
                StatsAction.DOWNLOAD_FAIL,
                "Error no url or wrong format");
        expect(Row.of(offer("1.0.2")), Action.DOWNLOAD_ZIP, null, null);
    }

    @Test
    void rule6TheRunningVersionOrAnEmptyOneIsNothingToDo() {
        expect(Row.of(offer("1.0.1")), Action.NOTHING, null, "already on 1.0.1");
        expect(Row.of(offer("")), Action.NOTHING, null, "already on 1.0.1");
        expect(Row.of(offer("1.0.1 ")), Action.DOWNLOAD_ZIP, null, null); // string equality, no trimming (§10)
    }

    @Test
    void rule7AVersionInErrorStateIsRefusedWhileItsFolderExists() {
        BundleInfo failed = bundle("B", "1.0.2", BundleStatus.ERROR);
        expect(
                Row.of(offer("1.0.2")).local(failed, true, true),
                Action.REFUSE,
                StatsAction.DOWNLOAD_FAIL,
                "Latest bundle already exists, and is in error state");
        Decision gone = Row.of(offer("1.0.2")).local(failed, false, false).decide(); // §2.4: folder gone
        assertThat(gone.action()).isEqualTo(Action.DOWNLOAD_ZIP);
        assertThat(gone.forget()).isEqualTo(failed);
        assertThat(gone.deleteFolder()).isFalse();
        Decision retried = Row.of(offer("1.0.2"))
                .local(failed, true, true)
                .deviation(Deviation.RETRY_FAILED_VERSION)
                .decide();
        assertThat(retried.action()).isEqualTo(Action.DOWNLOAD_ZIP);
        assertThat(retried.forget()).isEqualTo(failed);
        assertThat(retried.deleteFolder()).isTrue();
    }

    @Test
    void rule8AnInterruptedDownloadIsResumed() {
        BundleInfo partial = bundle("C", "1.0.2", BundleStatus.DOWNLOADING);
        Decision d = Row.of(offer("1.0.2")).local(partial, false, false).decide();
        assertThat(d.action()).isEqualTo(Action.DOWNLOAD_ZIP);
        assertThat(d.bundle()).isEqualTo(partial);
        assertThat(d.forget()).isNull();
    }

    @Test
    void rules9To11ADownloadedVersionIsAppliedUnlessItIsNextOrHasNoSessionKey() {
        BundleInfo pending = bundle("D", "1.0.2", BundleStatus.PENDING);
        Decision apply = Row.of(offer("1.0.2")).local(pending, true, true).decide();
        assertThat(apply.action()).isEqualTo(Action.APPLY_DOWNLOADED);
        assertThat(apply.bundle()).isEqualTo(pending);
        assertThat(apply.detail()).isEqualTo("already downloaded");
        expect(
                Row.of(offer("1.0.2")).local(pending, true, true).next("D"),
                Action.NOTHING,
                null,
                "already the next bundle");
        UpdateAnswer noKey =
                answer("{\"version\":\"1.0.2\",\"url\":\"http://store/b.zip\",\"checksum\":\"" + SUM + "\"}");
        expect(
                Row.of(noKey).local(pending, true, true),
                Action.REFUSE,
                StatsAction.SESSION_KEY_REQUIRED,
                "session_key_required");
        expect(Row.of(noKey).local(pending, true, true).plain(), Action.APPLY_DOWNLOADED, null, "already downloaded");
    }

    @Test
    void rule12ADeletedOrUnusableEntryIsForgottenAndDownloadedAgain() {
        BundleInfo deleted = bundle("E", "1.0.2", BundleStatus.DELETED);
        Decision d = Row.of(offer("1.0.2")).local(deleted, false, false).decide();
        assertThat(d.action()).isEqualTo(Action.DOWNLOAD_ZIP);
        assertThat(d.forget()).isEqualTo(deleted);
        BundleInfo noIndex = bundle("F", "1.0.2", BundleStatus.PENDING);
        Decision unusable = Row.of(offer("1.0.2")).local(noIndex, true, false).decide();
        assertThat(unusable.action()).isEqualTo(Action.DOWNLOAD_ZIP);
        assertThat(unusable.forget()).isEqualTo(noIndex);
        assertThat(unusable.deleteFolder()).isFalse();
    }

    @Test
    void rule13EncryptionIsFailClosedEvenAfterForgettingAnEntry() {
        UpdateAnswer noKey = answer("{\"version\":\"1.0.2\",\"url\":\"http://store/b.zip\",\"checksum\":\"" + SUM
                + "\",\"session_key\":\"nocolon\"}");
        expect(Row.of(noKey), Action.REFUSE, StatsAction.SESSION_KEY_REQUIRED, "session_key_required");
        expect(Row.of(noKey).plain(), Action.DOWNLOAD_ZIP, null, null);
        BundleInfo deleted = bundle("G", "1.0.2", BundleStatus.DELETED);
        Decision d = Row.of(noKey).local(deleted, false, false).decide();
        assertThat(d.action()).isEqualTo(Action.REFUSE);
        assertThat(d.forget()).isEqualTo(deleted);
    }

    @Test
    void rule14AManifestIsBuiltOnlyByPluginsThatReadIt() {
        UpdateAnswer delta = answer("{\"version\":\"1.0.2\",\"url\":\"http://store/b.zip\",\"session_key\":\""
                + SESSION + "\",\"manifest\":[{\"file_name\":\"index.html\",\"file_hash\":\"x\","
                + "\"download_url\":\"http://store/i\"}]}");
        expect(Row.of(delta), Action.DOWNLOAD_MANIFEST, null, null);
        expect(Row.of(delta).plugin("7.0.35"), Action.DOWNLOAD_MANIFEST, null, null);
        // an older plugin downloads the zip, and then needs its checksum (rule 15)
        expect(Row.of(delta).plugin("7.0.34"), Action.REFUSE, StatsAction.CHECKSUM_REQUIRED, "checksum_required");
    }

    @Test
    void rule15AZipNeedsAChecksumUnlessTheDeviceSkipsIt() {
        UpdateAnswer noSum =
                answer("{\"version\":\"1.0.2\",\"url\":\"http://store/b.zip\",\"session_key\":\"" + SESSION + "\"}");
        expect(Row.of(noSum), Action.REFUSE, StatsAction.CHECKSUM_REQUIRED, "checksum_required");
        expect(Row.of(noSum).plain(), Action.REFUSE, StatsAction.CHECKSUM_REQUIRED, "checksum_required");
        expect(Row.of(noSum).deviation(Deviation.SKIP_CHECKSUM), Action.DOWNLOAD_ZIP, null, null);
    }

    @Test
    void timingFollowsTheAutoUpdateModeAndTheTrigger() {
        assertThat(UpdatePolicy.timing(AutoUpdateMode.AT_BACKGROUND, Trigger.LAUNCH, true))
                .isEqualTo(Timing.NEXT);
        assertThat(UpdatePolicy.timing(AutoUpdateMode.ALWAYS, Trigger.FOREGROUND, false))
                .isEqualTo(Timing.NOW);
        assertThat(UpdatePolicy.timing(AutoUpdateMode.ON_LAUNCH, Trigger.LAUNCH, false))
                .isEqualTo(Timing.NOW);
        assertThat(UpdatePolicy.timing(AutoUpdateMode.ON_LAUNCH, Trigger.FOREGROUND, false))
                .isEqualTo(Timing.NEXT);
        assertThat(UpdatePolicy.timing(AutoUpdateMode.AT_INSTALL, Trigger.LAUNCH, true))
                .isEqualTo(Timing.NOW);
        assertThat(UpdatePolicy.timing(AutoUpdateMode.AT_INSTALL, Trigger.LAUNCH, false))
                .isEqualTo(Timing.NEXT);
        assertThat(UpdatePolicy.timing(AutoUpdateMode.AT_INSTALL, Trigger.MANUAL, true))
                .isEqualTo(Timing.NEXT);
        assertThat(UpdatePolicy.timing(AutoUpdateMode.ONLY_DOWNLOAD, Trigger.LAUNCH, true))
                .isEqualTo(Timing.KEEP);
        assertThat(UpdatePolicy.timing(AutoUpdateMode.OFF, Trigger.MANUAL, false))
                .isEqualTo(Timing.KEEP);
    }
}
