package dev.updraft.sim;

import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.UpdateAnswer;
import dev.updraft.sim.BundleFetcher.Fetched;
import dev.updraft.sim.CheckResult.Outcome;
import dev.updraft.sim.CheckResult.Trigger;
import dev.updraft.sim.UpdatePolicy.Decision;
import dev.updraft.sim.UpdatePolicy.Timing;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One update check (§2.1, §2.2): the request, {@link UpdatePolicy}'s decision on the answer, and carrying it out with
 * {@link BundleFetcher} and {@link BundleInstaller}. Every check is kept as a {@link CheckResult}.
 */
final class UpdateCheck {
    private final DeviceConfig config;
    private final DeviceHttp http;
    private final RateLimitGuard rateLimit;
    private final SimClock clock;
    private final BundleRegistry registry;
    private final DeviceStats stats;
    private final BundleFetcher fetcher;
    private final BundleInstaller installer;
    private final Supplier<InfoObject> info;
    private final BooleanSupplier firstLaunchAfterInstall;
    private final DeviceLog log;
    private final List<CheckResult> checks = new ArrayList<>();

    UpdateCheck(
            DeviceConfig config,
            DeviceHttp http,
            RateLimitGuard rateLimit,
            SimClock clock,
            BundleRegistry registry,
            DeviceStats stats,
            BundleFetcher fetcher,
            BundleInstaller installer,
            Supplier<InfoObject> info,
            BooleanSupplier firstLaunchAfterInstall,
            DeviceLog log) {
        this.config = config;
        this.http = http;
        this.rateLimit = rateLimit;
        this.clock = clock;
        this.registry = registry;
        this.stats = stats;
        this.fetcher = fetcher;
        this.installer = installer;
        this.info = info;
        this.firstLaunchAfterInstall = firstLaunchAfterInstall;
        this.log = log;
    }

    List<CheckResult> checks() {
        return List.copyOf(checks);
    }

    CheckResult last() {
        return checks.isEmpty() ? null : checks.get(checks.size() - 1);
    }

    CheckResult run(Trigger trigger) {
        long at = clock.nowMillis();
        UpdateAnswer answer;
        long latency = 0;
        if (rateLimit.isBlocked(at)) {
            // §1.5: while blocked, the check fails locally with the stored error (no kind: treated as failed)
            answer = UpdateAnswer.localFailure(rateLimit.error(), rateLimit.message());
        } else {
            ApiResponse r = http.call(
                    HttpMethod.POST,
                    config.updateUrl(),
                    null,
                    Buffer.buffer(info.get().toJson()),
                    DeviceHttp.jsonHeaders(config, "application/json; charset=utf-8"),
                    config.responseTimeoutSeconds() * 1000L);
            stats.onAnswer(r);
            latency = r.latencyMs();
            answer = r.asUpdateAnswer(config.platform());
        }
        CheckResult result;
        try {
            Step step = act(trigger, answer);
            result = new CheckResult(at, latency, trigger, answer, step.outcome(), step.detail());
        } catch (DeviceKilledException e) {
            checks.add(new CheckResult(at, latency, trigger, answer, Outcome.KILLED, "killed"));
            throw e;
        }
        checks.add(result);
        log.add("check (" + trigger.name().toLowerCase() + "): " + answer + " -> " + result.outcome()
                + (result.detail() == null ? "" : ": " + result.detail()));
        return result;
    }

    private record Step(Outcome outcome, String detail) {}

    /** Carries out the policy's decision. */
    private Step act(Trigger trigger, UpdateAnswer answer) {
        BundleInfo current = registry.current();
        Decision d = UpdatePolicy.decide(new UpdatePolicy.Snapshot(
                answer,
                config.plugin(),
                current,
                answer.version() == null ? null : registry.local(answer.version()),
                registry.nextId(),
                config.publicKey() != null,
                config.spuriousDownloadFail(),
                config.deviations()));
        if (d.forget() != null) {
            registry.forget(d.forget(), d.deleteFolder());
        }
        if (d.stat() != null) {
            stats.queue(d.stat(), current.version(), "", null);
        }
        Timing timing = UpdatePolicy.timing(config.autoUpdate(), trigger, firstLaunchAfterInstall.getAsBoolean());
        switch (d.action()) {
            case NOTHING:
                return new Step(Outcome.NO_UPDATE, d.detail());
            case BLOCKED:
                return new Step(Outcome.BLOCKED, d.detail());
            case CHECK_FAILED:
                return new Step(Outcome.CHECK_FAILED, d.detail());
            case REFUSE:
                return new Step(Outcome.REFUSED, d.detail());
            case REVERT_TO_BUILTIN:
                return new Step(installer.revertToBuiltin(timing), d.detail());
            case APPLY_DOWNLOADED:
                return new Step(installer.apply(d.bundle(), timing), d.detail());
            case DOWNLOAD_MANIFEST:
                return installed(fetcher.manifest(answer, d.bundle()), timing);
            default:
                return installed(fetcher.zip(answer, d.bundle()), timing);
        }
    }

    private Step installed(Fetched f, Timing timing) {
        if (f.bundle() == null) {
            return new Step(f.failure(), f.detail());
        }
        return new Step(installer.apply(f.bundle(), timing), null);
    }
}
