package dev.updraft.sim.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The load generator's open schedule on a clock the test moves: never ahead of the rate, never catching up. */
class OpenScheduleTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(7 * SECOND); // any origin

    @Test
    void checksFallDueAtTheRateFromTheStart() {
        OpenSchedule schedule = new OpenSchedule(150, now::get);
        assertThat(schedule.due()).isZero();
        now.addAndGet(SECOND / 10);
        assertThat(schedule.due()).isEqualTo(15);
        now.addAndGet(SECOND * 9 / 10);
        assertThat(schedule.due()).isEqualTo(150);
    }

    @Test
    void issuedChecksAreNoLongerDue() {
        OpenSchedule schedule = new OpenSchedule(150, now::get);
        now.addAndGet(SECOND);
        for (int i = 0; i < 100; i++) {
            schedule.issued();
        }
        assertThat(schedule.due()).isEqualTo(50);
    }

    @Test
    void checksThatCouldNotBeSentAreSkippedNotSentLater() {
        OpenSchedule schedule = new OpenSchedule(150, now::get);
        now.addAndGet(SECOND);
        for (int i = 0; i < 100; i++) {
            schedule.issued();
        }
        assertThat(schedule.skipDue()).isEqualTo(50);
        assertThat(schedule.due()).isZero();
        now.addAndGet(SECOND);
        // the second second brings its own 150, not the 50 skipped: issued plus skipped is rate x elapsed, never more
        assertThat(schedule.due()).isEqualTo(150);
    }

    @Test
    void aRateBelowOneASecondWaitsForAWholeCheck() {
        OpenSchedule schedule = new OpenSchedule(0.5, now::get);
        now.addAndGet(SECOND);
        assertThat(schedule.due()).isZero();
        now.addAndGet(SECOND);
        assertThat(schedule.due()).isEqualTo(1);
    }
}
