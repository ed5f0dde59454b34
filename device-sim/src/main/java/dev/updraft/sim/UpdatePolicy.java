package dev.updraft.sim;

import dev.updraft.crypto.SessionKey;
import dev.updraft.protocol.StatsAction;
import dev.updraft.protocol.UpdateAnswer;
import dev.updraft.sim.CheckResult.Trigger;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Objects;
import java.util.Set;

/**
 * What the plugin does with an {@code /updates} answer: a pure function from an immutable {@link Snapshot} (the
 * answer, what the bundle registry holds for its version, the plugin version's behaviour, the device's settings) to a
 * {@link Decision}. No I/O, no clock; {@code UpdatePolicyTest} checks it row by row. The rules follow the order of
 * checks of docs/protocol.md §2.2 and §2.3 (step numbers in the comments); every rule the plugin's history changed
 * asks {@link PluginBehaviour}, which asks the protocol's {@code PluginCapabilities}.
 */
final class UpdatePolicy {
    private UpdatePolicy() {}

    /** What the device does next. */
    enum Action {
        /** Nothing to install: up to date, same version, already the next bundle, already on built-in. */
        NOTHING,
        /** The server said {@code kind:"blocked"}. */
        BLOCKED,
        /** The check failed (§2.2.C). */
        CHECK_FAILED,
        /** {@code {"version":"builtin"}} (§2.2.B): back to the built-in bundle, when {@link Timing} says. */
        REVERT_TO_BUILTIN,
        /** Refused before any download. */
        REFUSE,
        /** The version is already downloaded: install it, when {@link Timing} says. */
        APPLY_DOWNLOADED,
        /** Download the zip at {@code url} (resuming {@link Decision#bundle()} if set). */
        DOWNLOAD_ZIP,
        /** Build the bundle from its {@code manifest} (resuming {@link Decision#bundle()} if set, §7.4). */
        DOWNLOAD_MANIFEST
    }

    /** When a bundle the device has (or the built-in one) is applied (§8.4). */
    enum Timing {
        /** Switch now and reload (direct update). */
        NOW,
        /** Set as the next bundle, installed at the next background. */
        NEXT,
        /** Only keep it ({@code onlyDownload}, or {@code off}): the plugin emits {@code updateAvailable}. */
        KEEP
    }

    /**
     * The registry entry the plugin would pick for the answer's version (A-CU {@code getBundleInfoByName}).
     *
     * @param folderExists whether its folder is on disk
     * @param usable       whether its folder has {@code index.html} at the root
     */
    record LocalBundle(BundleInfo bundle, boolean folderExists, boolean usable) {
        LocalBundle {
            Objects.requireNonNull(bundle, "bundle");
        }
    }

    /**
     * Everything a decision reads, immutable.
     *
     * @param answer               the answer as the protocol reads it
     * @param plugin               the plugin version played
     * @param current              the bundle running now
     * @param local                the registry's entry for the answer's version, or null
     * @param nextId               the id of the next bundle, or null
     * @param encrypted            whether the app has a {@code publicKey}
     * @param spuriousDownloadFail whether the legacy spurious {@code download_fail} is simulated
     * @param deviations           the deliberate bugs played (none for a correct device)
     */
    record Snapshot(
            UpdateAnswer answer,
            PluginBehaviour plugin,
            BundleInfo current,
            LocalBundle local,
            String nextId,
            boolean encrypted,
            boolean spuriousDownloadFail,
            Set<Deviation> deviations) {
        Snapshot {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(plugin, "plugin");
            Objects.requireNonNull(current, "current");
            deviations = Set.copyOf(deviations);
        }
    }

    /**
     * A decision.
     *
     * @param action       what to do
     * @param stat         queued first, with the running version, or null
     * @param detail       a line for a person, or null
     * @param bundle       the local bundle to apply ({@link Action#APPLY_DOWNLOADED}) or to resume (a download), or null
     * @param forget       a registry entry to drop before acting (deleted, or its folder gone), or null
     * @param deleteFolder whether the forgotten entry's folder is deleted too
     */
    record Decision(
            Action action,
            StatsAction stat,
            String detail,
            BundleInfo bundle,
            BundleInfo forget,
            boolean deleteFolder) {
        static Decision of(Action action, String detail) {
            return new Decision(action, null, detail, null, null, false);
        }

        static Decision refuse(StatsAction stat, String detail) {
            return new Decision(Action.REFUSE, stat, detail, null, null, false);
        }

        Decision forgetting(BundleInfo entry, boolean folderToo) {
            return new Decision(action, stat, detail, bundle, entry, folderToo);
        }

        Decision on(BundleInfo b) {
            return new Decision(action, stat, detail, b, forget, deleteFolder);
        }
    }

    static Decision decide(Snapshot s) {
        UpdateAnswer a = s.answer();
        BundleInfo current = s.current();
        // §2.2, gates "kind" and "revert to built-in": the class this plugin version acts on (kind from 8.45.11)
        switch (s.plugin().answerClass(a)) {
            case UP_TO_DATE: // 1: up to date; below 6.14.25 / 7.17.0, when asked, the legacy download_fail too
                return new Decision(
                        Action.NOTHING,
                        s.spuriousDownloadFail() && s.plugin().sendsSpuriousDownloadFail()
                                ? StatsAction.DOWNLOAD_FAIL
                                : null,
                        a.error(),
                        null,
                        null,
                        false);
            case BLOCKED: // 2
                return Decision.of(Action.BLOCKED, a.error());
            case FAILED: // 3: §2.2.C, download_fail with the running version
                return new Decision(Action.CHECK_FAILED, StatsAction.DOWNLOAD_FAIL, a.error(), null, null, false);
            case BUILTIN: // 4: §2.2.B, nothing to do on built-in
                return Decision.of(current.isBuiltin() ? Action.NOTHING : Action.REVERT_TO_BUILTIN, null);
            default:
                break;
        }
        String version = a.version();
        boolean sessionKeyMissing = s.encrypted() && !SessionKey.hasSessionKeyShape(a.sessionKey());
        // 5 (§2.3 step 3): the url must be a valid URL (Android: new java.net.URL(url))
        if (!validUrl(a.url())) {
            return Decision.refuse(StatsAction.DOWNLOAD_FAIL, "Error no url or wrong format");
        }
        // 6 (step 4): empty or the running version: nothing to do (string equality, §10)
        if (version.isEmpty() || version.equals(current.version())) {
            return Decision.of(Action.NOTHING, "already on " + current.version());
        }
        LocalBundle local = s.local();
        BundleInfo resume = null;
        BundleInfo forget = null;
        boolean forgetFolder = false;
        if (local != null) {
            BundleInfo b = local.bundle();
            BundleStatus st = b.status();
            boolean retryFailed = s.deviations().contains(Deviation.RETRY_FAILED_VERSION);
            // 7 (step 5): its folder exists in error state: never retried (§2.4); deviation RETRY_FAILED_VERSION
            // forgets it
            if (st == BundleStatus.ERROR && local.folderExists() && !retryFailed) {
                return Decision.refuse(
                        StatsAction.DOWNLOAD_FAIL, "Latest bundle already exists, and is in error state");
            }
            boolean installable = st != BundleStatus.DELETED
                    && st != BundleStatus.DELETING
                    && st != BundleStatus.ERROR
                    && local.usable();
            if (st == BundleStatus.DOWNLOADING) {
                resume = b; // 8: a download interrupted by a kill: resume it (§8.1)
            } else if (installable && sessionKeyMissing) {
                // 9: already downloaded, but fail-closed encryption needs a session key (step 5)
                return Decision.refuse(StatsAction.SESSION_KEY_REQUIRED, "session_key_required");
            } else if (installable && b.id().equals(s.nextId())) {
                return Decision.of(Action.NOTHING, "already the next bundle"); // 10
            } else if (installable) {
                return Decision.of(Action.APPLY_DOWNLOADED, "already downloaded")
                        .on(b); // 11
            } else {
                forget = b; // 12: deleted, or its folder is gone (§2.4): forget it and download again
                forgetFolder = st == BundleStatus.ERROR && local.folderExists(); // only with RETRY_FAILED_VERSION
            }
        }
        Decision d;
        if (sessionKeyMissing) {
            d = Decision.refuse(StatsAction.SESSION_KEY_REQUIRED, "session_key_required"); // 13 (step 6): fail-closed
        } else if (a.hasManifest() && s.plugin().readsManifest()) {
            d = Decision.of(Action.DOWNLOAD_MANIFEST, null); // 14, gate "manifest": no zip checksum needed (§7.4)
        } else if (a.checksum().isEmpty() && !s.deviations().contains(Deviation.SKIP_CHECKSUM)) {
            d = Decision.refuse(StatsAction.CHECKSUM_REQUIRED, "checksum_required"); // 15 (step 6)
        } else {
            d = Decision.of(Action.DOWNLOAD_ZIP, null); // 16 (step 7)
        }
        return d.on(resume).forgetting(forget, forgetFolder);
    }

    /**
     * §8.4: when a bundle found by a check is applied: never in {@code onlyDownload} and {@code off}; at once in
     * {@code always}, in {@code onLaunch} on a cold start, in {@code atInstall} on the first launch of a native build;
     * else at the next background.
     */
    static Timing timing(AutoUpdateMode mode, Trigger trigger, boolean firstLaunchAfterInstall) {
        return switch (mode) {
            case ONLY_DOWNLOAD, OFF -> Timing.KEEP;
            case ALWAYS -> Timing.NOW;
            case ON_LAUNCH -> trigger == Trigger.LAUNCH ? Timing.NOW : Timing.NEXT;
            case AT_INSTALL -> trigger == Trigger.LAUNCH && firstLaunchAfterInstall ? Timing.NOW : Timing.NEXT;
            case AT_BACKGROUND -> Timing.NEXT;
        };
    }

    /** Android's check of a URL: {@code new java.net.URL(url)} (§2.3). */
    static boolean validUrl(String url) {
        if (url == null || url.isEmpty()) {
            return false;
        }
        try {
            new URL(url);
            return true;
        } catch (MalformedURLException e) {
            return false;
        }
    }
}
