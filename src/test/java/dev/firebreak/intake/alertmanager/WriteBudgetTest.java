package dev.firebreak.intake.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WriteBudgetTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aMinutesWorthAtOnceThenAtTheRate() {
        WriteBudget budget = new WriteBudget(600);
        for (int i = 0; i < 6; i++) {
            assertThat(budget.take("a", 100, T0)).as("write %s of the burst", i).isEmpty();
        }
        assertThat(budget.take("a", 100, T0))
                .as("the seventh waits a tenth of a minute")
                .contains(Duration.ofSeconds(10));
        assertThat(budget.take("b", 100, T0)).as("another incident has its own").isEmpty();
        assertThat(budget.take("a", 100, T0.plusSeconds(9))).isPresent();
        assertThat(budget.take("a", 100, T0.plusSeconds(10))).isEmpty();
        assertThat(budget.take("a", 100, T0.plusSeconds(10))).isPresent();
    }

    @Test
    void overAnHourTheBytesWrittenStayWithinTheRate() {
        WriteBudget budget = new WriteBudget(4 << 20);
        long written = 0;
        for (int s = 0; s < 3600 * 10; s++) {
            Instant now = T0.plusMillis(100L * s);
            if (budget.take("hostile", 300 * 1024, now).isEmpty()) {
                written += 300 * 1024;
            }
        }
        assertThat(written).isLessThanOrEqualTo((4L << 20) * 61);
        assertThat(written).isGreaterThan((4L << 20) * 59);
    }
}
