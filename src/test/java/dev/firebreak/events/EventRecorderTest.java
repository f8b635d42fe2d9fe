package dev.firebreak.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.testing.MovableClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
    private final MovableClock clock = new MovableClock();
    private final EventRecorder events = new EventRecorder(null, clock);

    private static Incident incident(String uid) {
        Incident i = new Incident();
        i.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("checkout").withUid(uid).build());
        return i;
    }

    @Test
    void oneEventPerObjectAndReasonAMinuteTheNextCountsTheOnesHeldBack() {
        Incident a = incident("uid-a");
        Instant t = clock.instant();
        assertThat(events.admit(a, "Normal", EventReason.AlertFiring, t)).contains(0);
        assertThat(events.admit(a, "Normal", EventReason.AlertFiring, t.plusSeconds(1))).isEmpty();
        assertThat(events.admit(a, "Normal", EventReason.AlertFiring, t.plusSeconds(59))).isEmpty();
        assertThat(events.admit(a, "Normal", EventReason.Classified, t.plusSeconds(2))).as("another reason").contains(0);
        assertThat(events.admit(a, "Warning", EventReason.Classified, t.plusSeconds(3)))
                .as("worse: a Warning is not held back by a Normal one").contains(0);
        assertThat(events.admit(incident("uid-b"), "Normal", EventReason.AlertFiring, t.plusSeconds(2)))
                .as("another incident").contains(0);
        assertThat(events.admit(a, "Normal", EventReason.AlertFiring, t.plus(Duration.ofSeconds(60))))
                .as("a minute after the last one written: written, with the two held back").contains(2);
        assertThat(events.admit(a, "Normal", EventReason.AlertFiring, t.plus(Duration.ofSeconds(61)))).isEmpty();
        assertThat(events.admit(a, "Normal", EventReason.AlertFiring, t.plus(Duration.ofSeconds(200))))
                .isEqualTo(Optional.of(1));
    }
}
