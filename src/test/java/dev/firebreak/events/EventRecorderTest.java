package dev.firebreak.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.testing.MovableClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
    private final MovableClock clock = new MovableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Runnable> queued = new ArrayList<>();
    private final EventRecorder events =
            new EventRecorder(null, clock, 2, registry.counter("budget"), registry.counter("backlog"), queued::add);

    private static Incident incident(String uid) {
        Incident i = new Incident();
        i.setMetadata(new ObjectMetaBuilder()
                .withNamespace("shop")
                .withName("checkout")
                .withUid(uid)
                .build());
        return i;
    }

    @Test
    void oneEventPerObjectAndReasonAMinuteTheNextCountsTheOnesHeldBack() {
        Incident a = incident("uid-a");
        Instant t = clock.instant();
        assertThat(events.admit(a, "Normal", EventReason.AlertFiring, t)).contains(0);
        assertThat(events.admit(a, "Normal", EventReason.AlertFiring, t.plusSeconds(1)))
                .isEmpty();
        assertThat(events.admit(a, "Normal", EventReason.AlertFiring, t.plusSeconds(59)))
                .isEmpty();
        assertThat(events.admit(a, "Normal", EventReason.Classified, t.plusSeconds(2)))
                .as("another reason")
                .contains(0);
        assertThat(events.admit(a, "Warning", EventReason.Classified, t.plusSeconds(3)))
                .as("worse: a Warning is not held back by a Normal one")
                .contains(0);
        assertThat(events.admit(incident("uid-b"), "Normal", EventReason.AlertFiring, t.plusSeconds(2)))
                .as("another incident")
                .contains(0);
        assertThat(events.admit(a, "Normal", EventReason.AlertFiring, t.plus(Duration.ofSeconds(60))))
                .as("a minute after the last one written: written, with the two held back")
                .contains(2);
        assertThat(events.admit(a, "Normal", EventReason.AlertFiring, t.plus(Duration.ofSeconds(61))))
                .isEmpty();
        assertThat(events.admit(a, "Normal", EventReason.AlertFiring, t.plus(Duration.ofSeconds(200))))
                .isEqualTo(Optional.of(1));
    }

    @Test
    void acrossAllObjectsTheBudgetAllowsItsRateWithFiveSecondsSavedAndNoMore() {
        Instant t = clock.instant();
        int written = 0;
        for (int i = 0; i < 100; i++) {
            written += events.withinBudget(t) ? 1 : 0;
        }
        assertThat(written).as("a burst: five seconds' worth at 2 a second").isEqualTo(10);
        assertThat(events.withinBudget(t.plusMillis(400))).isFalse();
        assertThat(events.withinBudget(t.plusMillis(500)))
                .as("refilled at 2 a second")
                .isTrue();
        written = 0;
        for (int i = 0; i < 100; i++) {
            written += events.withinBudget(t.plusSeconds(3600)) ? 1 : 0;
        }
        assertThat(written)
                .as("an idle hour saves no more than five seconds' worth")
                .isEqualTo(10);
    }

    @Test
    void eventsAreWrittenOffTheCallersThreadAndDroppedAndCountedWhenTheQueueIsFull() {
        events.normal(incident("uid-a"), EventReason.Opened, "incident opened");
        assertThat(queued)
                .as("handed to a writer, not written by the reconcile")
                .hasSize(1);
        assertThat(registry.counter("backlog").count()).isZero();

        EventRecorder full =
                new EventRecorder(null, clock, 2, registry.counter("budget"), registry.counter("backlog"), r -> {
                    throw new RejectedExecutionException("full");
                });
        full.normal(incident("uid-b"), EventReason.Opened, "incident opened");
        full.warning(incident("uid-b"), EventReason.Classified, "severity High");
        assertThat(registry.counter("backlog").count())
                .as("dropped, counted, no exception")
                .isEqualTo(2);
        assertThat(registry.counter("budget").count()).isZero();
    }

    @Test
    void overTheBudgetAnEventIsCountedAsSuchAndNeverQueued() {
        for (int i = 0; i < 12; i++) {
            events.normal(incident("uid-" + i), EventReason.Opened, "incident opened");
        }
        assertThat(queued).as("five seconds' worth at 2 a second").hasSize(10);
        assertThat(registry.counter("budget").count()).isEqualTo(2);
    }
}
