package dev.firebreak.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.testing.MovableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookIdsTest {
    @Test
    void aHandledIdIsSeenForAnHourAndTheSetIsBounded() {
        MovableClock clock = new MovableClock();
        WebhookIds ids = new WebhookIds(clock);
        assertThat(ids.seen("a")).isFalse();
        ids.handled("a");
        assertThat(ids.seen("a")).isTrue();
        assertThat(ids.seen(null)).isFalse();
        clock.advance(Duration.ofMinutes(59));
        assertThat(ids.seen("a")).isTrue();
        clock.advance(Duration.ofMinutes(2));
        assertThat(ids.seen("a")).isFalse();

        for (int i = 0; i < WebhookIds.MAX + 10; i++) {
            ids.handled("id-" + i);
        }
        assertThat(ids.seen("id-0")).as("the oldest go first").isFalse();
        assertThat(ids.seen("id-" + (WebhookIds.MAX + 9))).isTrue();
    }
}
