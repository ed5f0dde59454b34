package dev.updraft.server.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rollout function on 100,000 device ids: share, stickiness, monotonicity (docs/protocol.md §2.11). */
class RolloutTest {
    static final int N = 100_000;
    static final List<String> DEVICES = devices(N, 42);

    static List<String> devices(int n, long seed) {
        Random r = new Random(seed);
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(new UUID(r.nextLong(), r.nextLong()).toString());
        }
        return ids;
    }

    static Rollout rollout(String id, int bps) {
        return new Rollout(id, UpdateDecisionTest.bundle("1.0.2"), bps, false);
    }

    static long in(Rollout r) {
        return DEVICES.stream().filter(r::includes).count();
    }

    @Test
    void theShareIsWithinOnePercentOfTheTarget() {
        for (int bps : new int[] {100, 1000, 2000, 5000, 9000}) {
            double share = (double) in(rollout("r-1", bps)) / N;
            assertThat(share).as("share at %d bps", bps).isBetween(bps / 10_000.0 - 0.01, bps / 10_000.0 + 0.01);
        }
        assertThat(in(rollout("r-1", 0))).isZero();
        assertThat(in(rollout("r-1", 10_000))).isEqualTo(N);
    }

    @Test
    void raisingTheShareKeepsEveryDeviceThatWasIn_loweringTakesOutTheLastFirst() {
        Rollout at10 = rollout("r-1", 1000);
        Rollout at50 = rollout("r-1", 5000);
        List<String> first = DEVICES.stream().filter(at10::includes).toList();
        assertThat(first).isNotEmpty().allMatch(at50::includes);
        // lowering back to 10 % leaves exactly the first 10 %
        assertThat(DEVICES.stream()
                        .filter(at50::includes)
                        .filter(at10::includes)
                        .toList())
                .isEqualTo(first);
    }

    @Test
    void theDecisionIsSticky_andCaseInsensitive_andDependsOnTheRollout() {
        Rollout a = rollout("r-1", 2000);
        Rollout again = rollout("r-1", 2000);
        long differs =
                DEVICES.stream().filter(d -> a.includes(d) != again.includes(d)).count();
        assertThat(differs).isZero();
        assertThat(DEVICES.stream()
                        .limit(1000)
                        .filter(d -> a.includes(d) != a.includes(d.toUpperCase()))
                        .count())
                .isZero();
        // another rollout draws other devices: about 20 % of the first 20 % (not all of them)
        Rollout other = rollout("r-2", 2000);
        long both = DEVICES.stream().filter(a::includes).filter(other::includes).count();
        assertThat((double) both / in(a)).isBetween(0.15, 0.25);
    }

    @Test
    void bucketsAreFixedNumbers_soEveryInstanceAndReleaseAgrees() {
        // pinned once from SHA-256("r-1\n6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f") computed with sha256sum:
        // the function must never change, or devices would move in and out of running rollouts on an upgrade.
        assertThat(Rollout.bucket("r-1", "6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f"))
                .isEqualTo(PINNED_BUCKET);
    }

    static final int PINNED_BUCKET = 916;

    @Test
    void badRollouts_areRefused() {
        assertThatThrownBy(() -> rollout("r", -1)).hasMessageContaining("0 to 10000");
        assertThatThrownBy(() -> rollout("r", 10_001)).hasMessageContaining("0 to 10000");
        assertThatThrownBy(() -> rollout(" ", 10)).hasMessageContaining("id");
        assertThatThrownBy(() -> new Rollout("r", null, 10, false)).hasMessageContaining("bundle");
    }
}
