package dev.updraft.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The converters of the retention and paging settings: what an operator may write, and what stops the start. */
class RetentionSettingsTest {
    final UpdraftConfig.RetentionPeriodConverter period = new UpdraftConfig.RetentionPeriodConverter();
    final UpdraftConfig.RowCountConverter rows = new UpdraftConfig.RowCountConverter();

    @Test
    void retentionPeriods() {
        assertThat(period.convert("90d")).isEqualTo(Duration.ofDays(90));
        assertThat(period.convert("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(period.convert("P30D")).isEqualTo(Duration.ofDays(30));
        assertThat(period.convert("0")).isEqualTo(Duration.ZERO); // keep forever
        assertThatThrownBy(() -> period.convert("-1d")).hasMessageContaining("cannot be negative");
        assertThatThrownBy(() -> period.convert("ninety days"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("90d");
    }

    @Test
    void rowCounts() {
        assertThat(rows.convert("1")).isEqualTo(1);
        assertThat(rows.convert(" 1000 ")).isEqualTo(1000);
        assertThat(rows.convert("10000")).isEqualTo(10_000);
        for (String bad : new String[] {"0", "-5", "10001", "1e3", "lots", "99999999999"}) {
            assertThatThrownBy(() -> rows.convert(bad)).as(bad).hasMessage("must be a whole number from 1 to 10000");
        }
    }
}
