package dev.updraft.server.device;

import dev.updraft.protocol.DeviceApiRules;
import dev.updraft.protocol.InfoObject;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.decision.Outcome;
import dev.updraft.server.decision.UpdateAnswer;
import dev.updraft.server.decision.UpdateDecision;
import dev.updraft.server.decision.UpdateRequest;
import dev.updraft.server.storage.s3.PresignedAnswers;
import dev.updraft.server.web.Gzip;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * The update check of {@code POST /updates} (docs/protocol.md §2), shared by {@link UpdatesRoute} and
 * {@link UpdatesResource} so both answer the same bytes. Thin on purpose: check the schema, look the app up in the
 * in-memory snapshot, and let {@link UpdateDecision} decide. Runs on the I/O thread: no database, no blocking call
 * (an app with presigned URLs signs them on a worker thread when its signed answer is due again). Refusals are
 * {@link dev.updraft.server.web.ApiException}s.
 */
@Singleton // no client proxy on the hot path
public class UpdateCheck {
    @Inject
    DeviceGate gate;

    @Inject
    DeviceSeenRecorder devices;

    @Inject
    DeviceMetrics metrics;

    @Inject
    OfferRecorder offers;

    @Inject
    PresignedAnswers presigned;

    /**
     * An answer of 200, {@code application/json}: {@code body} (gzip-compressed when {@code gzipped}), with {@code Vary:
     * Accept-Encoding} when {@code varies}; or, when {@code later} is set, the answer it makes on a worker thread.
     */
    public record Answer(byte[] body, boolean gzipped, boolean varies, Supplier<Answer> later) {
        static Answer of(byte[] json, byte[] gzipped) {
            return gzipped == null ? new Answer(json, false, true, null) : new Answer(gzipped, true, true, null);
        }
    }

    public Answer answer(byte[] body, String acceptEncoding) {
        InfoObject info = gate.parse(body, UpdatesResource.MAX_BODY, DeviceApiRules.UPDATES);
        UpdateRequest request = DeviceRequests.toUpdateRequest(info);
        AppSnapshot app = gate.app(request.appId());
        UpdateAnswer answer = UpdateDecision.decide(request, app);
        metrics.decided(answer.outcome());
        devices.seen(app.appPk(), info);
        if (answer.outcome() != Outcome.UPDATE) {
            return new Answer(answer.toJson(), false, false, null);
        }
        offers.offered(
                app.appPk(),
                request.deviceId(),
                answer.bundle().version(),
                answer.channel(),
                answer.rollout() == null ? null : answer.rollout().id());
        boolean gzip = Gzip.accepted(acceptEncoding);
        if (app.downloadUrls().presigned()) {
            // Signed after the decision; reused for half the URLs' lifetime, signed again on a worker thread after
            // that (the AWS credentials chain may block), docs/operations.md "S3 storage".
            PresignedAnswers.Signed fresh = presigned.fresh(answer);
            if (fresh != null) {
                return Answer.of(fresh.json(), gzip ? fresh.gzip() : null);
            }
            return new Answer(null, false, true, () -> {
                PresignedAnswers.Signed signed = presigned.sign(app, answer);
                return Answer.of(signed.json(), gzip ? signed.gzip() : null);
            });
        }
        // A manifest answer (3,000 files: about a megabyte) goes gzip-compressed to clients that accept it; compressed
        // once per bundle and snapshot, not per request (docs/protocol.md §7.3).
        return Answer.of(answer.updateJson(), gzip ? answer.bundle().gzipped(answer.updateJson()) : null);
    }
}
