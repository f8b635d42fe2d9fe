package dev.firebreak.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.status.Classification;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.Notice;
import dev.firebreak.status.StatusUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When an alert-only reconcile waits instead of writing (IncidentRecord.alertsNarrationDeferred). */
class AlertNarrationTest {
    private static final Instant DETECTED = Instant.parse("2026-12-02T04:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final List<Notice> NARRATION = List.of(Notice.normal(EventReason.AlertFiring, "ErrorRate firing"));

    private static IncidentStatus stored() {
        IncidentStatus s = new IncidentStatus();
        s.detectedAt = DETECTED;
        s.phase = Phase.Triggered;
        s.severity = Severity.High;
        s.classification = new Classification();
        s.classification.reason = "3 alerts firing";
        s.alertsRevision = 3L;
        s.alertsRecorded = 2L;
        Timeline.append(s, DETECTED, TimelineType.Detected, "incident opened");
        Timeline.append(s, DETECTED.plusSeconds(2), TimelineType.AlertFiring, "HighLatency firing");
        return s;
    }

    /** The record decided from the stored one: the new alert narrated, and what else the case changes. */
    private static IncidentStatus next(IncidentStatus stored, Instant now, Consumer<IncidentStatus> also) {
        IncidentStatus n = StatusUpdate.copy(stored, IncidentStatus::new);
        Timeline.append(n, now, TimelineType.AlertFiring, "ErrorRate firing");
        n.alertsRecorded = n.alertsRevision;
        n.classification.reason = "4 alerts firing";
        also.accept(n);
        return n;
    }

    static Stream<Arguments> cases() {
        Consumer<IncidentStatus> nothing = n -> {};
        return Stream.of(
                Arguments.of(
                        "only the narration, 3 s after the last: waits the 7 s left",
                        5,
                        nothing,
                        Optional.of(Duration.ofSeconds(7))),
                Arguments.of(
                        "only the narration, 1 s before the interval ends: waits 1 s",
                        11,
                        nothing,
                        Optional.of(Duration.ofSeconds(1))),
                Arguments.of("only the narration, the interval over: written", 12, nothing, Optional.empty()),
                Arguments.of("only the narration, long after: written", 600, nothing, Optional.empty()),
                Arguments.of(
                        "a severity changed: written at once",
                        5,
                        (Consumer<IncidentStatus>) n -> n.severity = Severity.Critical,
                        Optional.empty()),
                Arguments.of(
                        "a phase changed: written at once",
                        5,
                        (Consumer<IncidentStatus>) n -> n.phase = Phase.Mitigated,
                        Optional.empty()),
                Arguments.of(
                        "a story entry (a page): written at once",
                        5,
                        (Consumer<IncidentStatus>) n ->
                                Timeline.append(n, DETECTED.plusSeconds(5), TimelineType.Escalated, "paged level 1"),
                        Optional.empty()),
                Arguments.of(
                        "the measured severity changed: written at once",
                        5,
                        (Consumer<IncidentStatus>) n -> n.classification.measured = Severity.Low,
                        Optional.empty()),
                Arguments.of(
                        "the Ready condition changed: written at once",
                        5,
                        (Consumer<IncidentStatus>) n -> n.observedGeneration = 7L,
                        Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void waitsOnlyWhenNothingButTheNarrationChangedWithinTheInterval(
            String name, int secondsAfterDetection, Consumer<IncidentStatus> also, Optional<Duration> expected) {
        IncidentStatus stored = stored();
        Instant now = DETECTED.plusSeconds(secondsAfterDetection);
        assertThat(IncidentRecord.alertsNarrationDeferred(stored, next(stored, now, also), NARRATION, now, INTERVAL))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("neverDeferred")
    void neverWaits(String name, IncidentStatus stored, Duration interval) {
        Instant now = DETECTED.plusSeconds(3);
        IncidentStatus next = stored == null ? new IncidentStatus() : next(stored, now, n -> {});
        assertThat(IncidentRecord.alertsNarrationDeferred(stored, next, NARRATION, now, interval))
                .isEmpty();
    }

    static Stream<Arguments> notices() {
        return Stream.of(
                Arguments.of("the narration's own Event: waits with it", NARRATION, true),
                Arguments.of("no Event: waits", List.of(), true),
                Arguments.of(
                        "a pod deleted by the forced rollback: written now, its Event with it",
                        List.of(Notice.warning(EventReason.BadPodDeleted, "deleted pod web-0")),
                        false),
                Arguments.of(
                        "a failing step's Warning: written now",
                        List.of(Notice.warning(EventReason.StepFailed, "Escalation failed")),
                        false),
                Arguments.of(
                        "the narration and another Event: written now",
                        List.of(NARRATION.get(0), Notice.normal(EventReason.Classified, "severity High")),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notices")
    void anEventOtherThanTheNarrationsOwnIsNeverHeldBack(String name, List<Notice> notices, boolean waits) {
        IncidentStatus stored = stored();
        Instant now = DETECTED.plusSeconds(5);
        assertThat(IncidentRecord.alertsNarrationDeferred(stored, next(stored, now, n -> {}), notices, now, INTERVAL)
                        .isPresent())
                .isEqualTo(waits);
    }

    @Test
    void aNarrationStampedAfterNowOrNothingChangedAtAllWaitsForNothing() {
        IncidentStatus stored = stored();
        Instant behind = DETECTED.minusSeconds(3600);
        assertThat(IncidentRecord.alertsNarrationDeferred(
                        stored, next(stored, behind, n -> {}), NARRATION, behind, INTERVAL))
                .as("the clock stepped back an hour: written, not held for an hour")
                .isEmpty();
        Instant now = DETECTED.plusSeconds(5);
        assertThat(IncidentRecord.alertsNarrationDeferred(
                        stored, StatusUpdate.copy(stored, IncidentStatus::new), List.of(), now, INTERVAL))
                .as("nothing to write: nothing to come back for")
                .isEmpty();
    }

    static Stream<Arguments> neverDeferred() {
        IncidentStatus undetected = stored();
        undetected.detectedAt = null;
        IncidentStatus unnarrated = stored();
        unnarrated.timeline.removeIf(e -> Timeline.isAlert(e.type));
        return Stream.of(
                Arguments.of("no status yet (the first record)", null, INTERVAL),
                Arguments.of("not yet detected", undetected, INTERVAL),
                Arguments.of("no alert narrated yet", unnarrated, INTERVAL),
                Arguments.of("the interval is 0 (narrate every change)", stored(), Duration.ZERO));
    }
}
