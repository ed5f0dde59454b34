package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.sim.CheckResult.Outcome;
import dev.updraft.sim.FakeUpdateServer.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** §1.5: a 429 blocks checks and channel calls locally, holds the stats, and sends one rate_limit_reached. */
class RateLimitTest extends DeviceTestSupport {
    private static final Reply TOO_MANY =
            Reply.json(429, new JsonObject().put("error", "too_many_requests").put("message", "slow down"));

    private SimulatedDevice device(Reply first) {
        server.updates = r -> first;
        SimulatedDevice d = device(config().autoUpdate(AutoUpdateMode.OFF).build(), "phone");
        d.launch();
        return d;
    }

    private long rateLimitStats() {
        return server.statsRequests.stream()
                .filter(r -> r.json() instanceof JsonObject o && "rate_limit_reached".equals(o.getString("action")))
                .count();
    }

    @Test
    void retryAfterBlocksChecksAndSendsOneRateLimitStat() {
        SimulatedDevice d = device(TOO_MANY.withHeader("Retry-After", "60"));
        CheckResult first = d.checkForUpdate();
        assertThat(first.outcome()).isEqualTo(Outcome.CHECK_FAILED);
        assertThat(first.answer().error()).isEqualTo("too_many_requests");
        assertThat(d.isRateLimited()).isTrue();
        assertThat(rateLimitStats()).isEqualTo(1);
        assertThat(server.statsRequests.stream().filter(r -> r.json() instanceof JsonArray))
                .as("launch events only")
                .hasSize(1);

        CheckResult blocked = d.checkForUpdate();
        assertThat(server.updateRequests).as("blocked locally").hasSize(1);
        assertThat(blocked.answer().error()).isEqualTo("too_many_requests");
        assertThat(blocked.answer().message()).isEqualTo("slow down");
        assertThat(d.setChannel("beta").error()).isEqualTo("too_many_requests");
        assertThat(server.channelRequests).isEmpty();
        assertThat(actions(d.pendingStats())).as("stats wait while blocked").contains("download_fail");
        int statPosts = server.statsRequests.size();
        d.background();
        assertThat(server.statsRequests).hasSize(statPosts);

        ((SimClock.Virtual) d.clock()).advance(61_000);
        server.updates = r -> FakeUpdateServer.NO_NEW_VERSION;
        assertThat(d.checkForUpdate().outcome()).isEqualTo(Outcome.NO_UPDATE);
        assertThat(server.updateRequests).hasSize(2);
        assertThat(d.pendingStats()).isEmpty();
        assertThat(server.statsActions()).contains("download_fail", "app_moved_to_background");

        server.updates = r -> TOO_MANY.withHeader("Retry-After", "5");
        d.checkForUpdate();
        assertThat(d.isRateLimited()).isTrue();
        assertThat(rateLimitStats()).as("once per process").isEqualTo(1);
        d.kill();
        ((SimClock.Virtual) d.clock()).advance(6_000);
        d.launch();
        d.checkForUpdate();
        assertThat(rateLimitStats()).as("a new process may send it again").isEqualTo(2);
    }

    @Test
    void theBlockIsCappedAt24Hours() {
        SimulatedDevice d = device(TOO_MANY.withHeader("Retry-After", "99999999"));
        d.checkForUpdate();
        ((SimClock.Virtual) d.clock()).advance(24L * 3600 * 1000 - 10_000);
        assertThat(d.isRateLimited()).isTrue();
        ((SimClock.Virtual) d.clock()).advance(11_000);
        assertThat(d.isRateLimited()).isFalse();
    }

    @Test
    void bodyHintsAreUsedWithoutAHeader() {
        SimulatedDevice d = device(Reply.json(
                429,
                new JsonObject()
                        .put("error", "too_many_requests")
                        .put("moreInfo", new JsonObject().put("retryAfterSeconds", 30))));
        d.checkForUpdate();
        assertThat(d.isRateLimited()).isTrue();
        ((SimClock.Virtual) d.clock()).advance(31_000);
        assertThat(d.isRateLimited()).isFalse();

        SimulatedDevice noHint = device(Reply.json(429, new JsonObject().put("error", "something_else")));
        noHint.checkForUpdate();
        assertThat(noHint.isRateLimited()).as("no hint: no block").isFalse();
    }
}
