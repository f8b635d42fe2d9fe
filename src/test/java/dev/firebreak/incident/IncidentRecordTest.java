package dev.firebreak.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.api.v1alpha1.Impact;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.RollbackRecord;
import dev.firebreak.api.v1alpha1.status.RollbackState;
import dev.firebreak.api.v1alpha1.status.TimelineEntry;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.classify.Classifier;
import dev.firebreak.classify.SeverityMatrix;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.Notice;
import dev.firebreak.status.Conditions;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.testing.Yaml;
import dev.firebreak.text.Text;
import dev.firebreak.workload.WorkloadHealth;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The incident record decided step by step, as the reconciler would, with a clock the test moves. */
class IncidentRecordTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private final Classifier classifier = new Classifier(SeverityMatrix.DEFAULT);
    private Instant now = T0;

    private Incident incident(String spec) {
        Incident incident = Yaml.read("""
                apiVersion: firebreak.dev/v1alpha1
                kind: Incident
                metadata: {name: checkout, namespace: shop, generation: 1, creationTimestamp: "2026-11-23T10:00:00Z"}
                spec:
                """ + spec.indent(2), Incident.class);
        incident.setStatus(null);
        return incident;
    }

    private IncidentRecord.Outcome step(Incident incident, List<WorkloadHealth> workloads) {
        IncidentRecord.Outcome outcome = IncidentRecord.decide(incident, workloads, classifier, true, now);
        incident.setStatus(outcome.next());
        return outcome;
    }

    private IncidentRecord.Outcome step(Incident incident) {
        return step(incident, List.of());
    }

    private void after(Duration d) {
        now = now.plus(d);
    }

    /** What the intake does to an alert it stores: a new alertsRevision, stamped on the alert when its state changed. */
    private static void intakeSets(Incident incident, AlertRecord alert, AlertState state) {
        IncidentStatus s = incident.getStatus();
        s.alertsRevision = s.alertsRevision == null ? 1 : s.alertsRevision + 1;
        if (!s.alerts.contains(alert)) {
            s.alerts.add(alert);
        }
        alert.state = state;
        alert.revision = s.alertsRevision;
    }

    @Test
    void aNewIncidentIsDetectedClassifiedAndTriggered() {
        Incident incident = incident("title: Checkout returns 500s\nseverity: High");
        IncidentRecord.Outcome outcome = step(incident);

        IncidentStatus s = outcome.next();
        assertThat(s.phase).isEqualTo(Phase.Triggered);
        assertThat(s.detectedAt).isEqualTo(T0);
        assertThat(s.severity).isEqualTo(Severity.High);
        assertThat(s.timeline)
                .extracting(e -> e.type + ": " + e.message)
                .containsExactly(
                        "Detected: incident opened: Checkout returns 500s (source Manual)",
                        "Classified: severity High: set in the incident's spec (spec.severity)");
        assertThat(outcome.notices())
                .extracting(Notice::reason)
                .containsExactly(EventReason.Opened, EventReason.Classified, EventReason.Triggered);
        assertThat(outcome.from()).isEmpty();
        assertThat(Conditions.find(s.conditions, "Acknowledged").orElseThrow().status)
                .isEqualTo(ConditionStatus.False);
        assertThat(Conditions.find(s.conditions, "Resolved").orElseThrow().reason)
                .isEqualTo("Open");
    }

    @Test
    void anIncidentTheIntakeJustOpenedWaitsBrieflyForItsAlertsAndNoOtherDoes() {
        Incident opened = incident("title: t\nsource: {type: Alertmanager, receiver: r, groupKey: g}");
        opened.getMetadata().getLabels().put("firebreak.dev/alert-group", "0123456789ab");
        assertThat(IncidentRecord.awaitingFirstAlerts(opened, T0.plusSeconds(2)))
                .contains(Duration.ofSeconds(3));
        assertThat(IncidentRecord.awaitingFirstAlerts(opened, T0.plusSeconds(5)))
                .as("not for ever")
                .isEmpty();
        opened.setStatus(new IncidentStatus());
        opened.getStatus().alertsRevision = 1L;
        assertThat(IncidentRecord.awaitingFirstAlerts(opened, T0.plusSeconds(2)))
                .as("its alerts are there")
                .isEmpty();
        Incident byHand = incident("title: t\nsource: {type: Alertmanager, receiver: r, groupKey: g}");
        assertThat(IncidentRecord.awaitingFirstAlerts(byHand, T0))
                .as("written by hand or by GitOps")
                .isEmpty();
    }

    /**
     * As a rollback restores replicas the measured impact falls; the severity stays the worst seen (and the review it
     * required stays due), the measurement is shown beside it, and only a human lowers it.
     */
    @Test
    void theSeverityIsStickyUpwardsAndOnlyAHumanLowersIt() {
        Incident incident = incident("title: t\naffected: [{kind: Deployment, name: checkout}]");
        WorkloadRef ref = new WorkloadRef(WorkloadKind.Deployment, "checkout");
        step(incident, List.of(new WorkloadHealth(ref, "shop", true, 4, 0, false)));
        assertThat(incident.getStatus().severity).isEqualTo(Severity.High);
        after(Duration.ofMinutes(2));
        IncidentRecord.Outcome restored = step(incident, List.of(new WorkloadHealth(ref, "shop", true, 4, 4, false)));
        assertThat(restored.next().severity).as("the worst seen").isEqualTo(Severity.High);
        assertThat(restored.next().classification.measured).as("measured now").isEqualTo(Severity.Low);
        assertThat(restored.next().classification.reason).startsWith("the worst seen while open; now Low: ");
        incident.getSpec().severity = Severity.Medium;
        assertThat(step(incident, List.of(new WorkloadHealth(ref, "shop", true, 4, 4, false)))
                        .next()
                        .severity)
                .as("a human lowers it")
                .isEqualTo(Severity.Medium);
    }

    @Test
    void theSameObservationsChangeNothing() {
        Incident incident = incident("title: t");
        step(incident);
        IncidentStatus before = incident.getStatus();
        after(Duration.ofMinutes(3));
        IncidentRecord.Outcome again = step(incident);
        assertThat(again.notices()).isEmpty();
        assertThat(StatusUpdate.changed(before, again.next())).isFalse();
    }

    @Test
    void acknowledgementIsTimedOnceAndChangesAreRecorded() {
        Incident incident = incident("title: t");
        step(incident);
        after(Duration.ofMinutes(4).plusSeconds(12));
        incident.getSpec().acknowledgedBy = "alice";
        IncidentRecord.Outcome acked = step(incident);
        assertThat(acked.next().phase).isEqualTo(Phase.Acknowledged);
        assertThat(acked.next().timeToAcknowledge).isEqualTo("4m12s");
        assertThat(acked.acknowledgedAfter()).contains(Duration.ofSeconds(252));

        after(Duration.ofMinutes(1));
        incident.getSpec().acknowledgedBy = "bob";
        IncidentRecord.Outcome handedOver = step(incident);
        assertThat(handedOver.acknowledgedAfter()).isEmpty();
        assertThat(handedOver.next().acknowledgedAt).isEqualTo(T0.plusSeconds(252));
        assertThat(handedOver.next().timeline)
                .last()
                .satisfies(e -> assertThat(e.message).isEqualTo("acknowledged by bob (was alice)"));

        incident.getSpec().acknowledgedBy = null;
        IncidentRecord.Outcome withdrawn = step(incident);
        assertThat(withdrawn.next().phase).isEqualTo(Phase.Triggered);
        assertThat(withdrawn.next().timeline).extracting(e -> e.message).contains("acknowledgement by bob withdrawn");
    }

    @Test
    void stakeholderUpdatesGoOnTheTimelineOnce() {
        Incident incident = incident("""
                title: t
                updates:
                - {message: Investigating, author: alice, time: "2026-11-23T10:05:00Z"}
                """);
        step(incident);
        step(incident);
        assertThat(incident.getStatus().timeline)
                .filteredOn(e -> e.type == TimelineType.Update)
                .extracting(e -> e.time + " " + e.message)
                .containsExactly("2026-11-23T10:05:00Z update by alice: Investigating");
        incident.getSpec()
                .updates
                .add(Yaml.read(
                        "message: Rolled back\neta: 30m\n", dev.firebreak.api.v1alpha1.spec.StakeholderUpdate.class));
        step(incident);
        assertThat(incident.getStatus().timeline)
                .filteredOn(e -> e.type == TimelineType.Update)
                .extracting(e -> e.message)
                .containsExactly("update by alice: Investigating", "update: Rolled back (ETA 30m)");
        assertThat(incident.getStatus().updatesSeen).isEqualTo(2);
    }

    @Test
    void alertsResolvingResolveTheIncidentAndFiringAgainReopensIt() {
        Incident incident = incident("""
                title: Checkout errors
                source: {type: Alertmanager, receiver: firebreak, groupKey: "{}:{alertname=\\"CheckoutErrors\\"}"}
                """);
        incident.setStatus(new IncidentStatus());
        AlertRecord alert = new AlertRecord();
        alert.fingerprint = "a1";
        alert.alertname = "CheckoutErrors";
        alert.state = AlertState.Firing;
        alert.startsAt = Instant.EPOCH;
        alert.labels = Map.of("severity", "critical");
        intakeSets(incident, alert, AlertState.Firing);
        step(incident);
        assertThat(incident.getStatus().detectedAt)
                .as("when Firebreak stored it, never the sender's startsAt")
                .isEqualTo(T0);

        after(Duration.ofMinutes(40));
        intakeSets(incident, incident.getStatus().alerts.get(0), AlertState.Resolved);
        IncidentRecord.Outcome resolved = step(incident);
        assertThat(resolved.next().phase).isEqualTo(Phase.Resolved);
        assertThat(resolved.next().timeToResolve).isEqualTo("40m");
        assertThat(resolved.resolvedAfter()).contains(Duration.ofMinutes(40));
        assertThat(Conditions.find(resolved.next().conditions, "Resolved").orElseThrow().reason)
                .isEqualTo("AlertsResolved");
        assertThat(resolved.next().timeline)
                .last()
                .satisfies(e -> assertThat(e.message).isEqualTo("resolved by itself: all 1 alert resolved after 40m"));

        after(Duration.ofMinutes(10));
        intakeSets(incident, incident.getStatus().alerts.get(0), AlertState.Firing);
        IncidentRecord.Outcome reopened = step(incident);
        assertThat(reopened.next().phase).isEqualTo(Phase.Triggered);
        assertThat(reopened.next().resolvedAt).isNull();
        assertThat(reopened.next().reopenCount).isEqualTo(1);
        assertThat(reopened.next().reopenedAt).isEqualTo(now);
        assertThat(reopened.notices())
                .extracting(Notice::reason)
                .containsExactly(EventReason.AlertFiring, EventReason.Reopened);
        assertThat(reopened.notices().get(0).message()).isEqualTo("alert CheckoutErrors (a1) firing");
        assertThat(reopened.next().timeline)
                .last()
                .satisfies(e -> assertThat(e.message).isEqualTo("reopened (the evidence returned), now Triggered"));
        assertThat(Conditions.find(reopened.next().conditions, "Resolved").orElseThrow().reason)
                .isEqualTo("Reopened");
    }

    @Test
    void manyAlertTransitionsAreOneEventPerDirection() {
        Incident incident = incident("""
                title: Storm
                source: {type: Alertmanager, receiver: firebreak, groupKey: "{}:{alertname=\\"Storm\\"}"}
                """);
        incident.setStatus(new IncidentStatus());
        incident.getStatus().alertsRevision = 1L;
        for (int i = 0; i < 12; i++) {
            AlertRecord alert = new AlertRecord();
            alert.fingerprint = "f" + i;
            alert.alertname = "Storm";
            alert.state = i < 11 ? AlertState.Firing : AlertState.Resolved;
            alert.revision = 1L;
            incident.getStatus().alerts.add(alert);
        }
        IncidentRecord.Outcome outcome = step(incident);
        assertThat(outcome.next().timeline)
                .filteredOn(e -> e.type == TimelineType.AlertFiring)
                .as("more than ten in one direction: one entry that counts them")
                .singleElement()
                .satisfies(e -> assertThat(e.message)
                        .startsWith("+11 alerts firing: alert Storm (f0), ")
                        .endsWith(" and 1 more"));
        assertThat(outcome.next().timeline)
                .filteredOn(e -> e.type == TimelineType.AlertResolved)
                .extracting(e -> e.message)
                .containsExactly("alert Storm (f11) resolved");
        assertThat(outcome.notices())
                .filteredOn(n -> n.reason() == EventReason.AlertFiring)
                .singleElement()
                .satisfies(n -> assertThat(n.message())
                        .isEqualTo("11 alerts firing: alert Storm (f0), alert Storm "
                                + "(f1), alert Storm (f2), alert Storm (f3), alert Storm (f4), alert Storm (f5), alert Storm "
                                + "(f6), alert Storm (f7), alert Storm (f8), alert Storm (f9) and 1 more"));
        assertThat(outcome.notices())
                .filteredOn(n -> n.reason() == EventReason.AlertResolved)
                .singleElement()
                .satisfies(n -> assertThat(n.message()).isEqualTo("alert Storm (f11) resolved"));
        assertThat(step(incident).notices()).as("nothing new, no Event").isEmpty();
        assertThat(incident.getStatus().alertsRecorded).isEqualTo(1L);
    }

    /**
     * Each alert change is recorded once, ever: however many reconciles follow, and however far the timeline has
     * moved on (it used to look for the alert's last entry there, and re-append every alert whose entry had been
     * pushed out, at every reconcile).
     */
    @Test
    void alertChangesAreRecordedOnceEvenWhenTheirEntriesLeftTheTimeline() {
        Incident incident = incident("""
                title: Storm
                source: {type: Alertmanager, receiver: firebreak, groupKey: "{}:{alertname=\\"Storm\\"}"}
                """);
        incident.setStatus(new IncidentStatus());
        for (int i = 0; i < 300; i++) {
            AlertRecord alert = new AlertRecord();
            alert.fingerprint = "f" + i;
            alert.alertname = "Storm";
            intakeSets(incident, alert, AlertState.Firing);
            step(incident);
        }
        IncidentStatus s = incident.getStatus();
        assertThat(s.timeline).filteredOn(e -> Timeline.isAlert(e.type)).hasSize(Timeline.ALERT_ENTRIES);
        assertThat(s.timeline)
                .extracting(e -> e.type)
                .as("the story stays")
                .contains(TimelineType.Detected, TimelineType.Classified);
        for (int i = 0; i < 5; i++) {
            after(Duration.ofMinutes(1));
            IncidentRecord.Outcome again = step(incident);
            assertThat(again.notices()).isEmpty();
            assertThat(StatusUpdate.changed(s, again.next()))
                    .as("nothing new is written")
                    .isFalse();
        }
    }

    @Test
    void aFailingRolloutResolvesWhenTheWorkloadIsHealthyAgain() {
        Incident incident = incident("""
                title: checkout rollout failing
                source: {type: Rollout}
                affected: [{kind: Deployment, name: checkout}]
                """);
        WorkloadRef ref = new WorkloadRef(WorkloadKind.Deployment, "checkout");
        step(incident, List.of(new WorkloadHealth(ref, "shop", true, 3, 1, false)));
        assertThat(incident.getStatus().phase).isEqualTo(Phase.Triggered);
        assertThat(incident.getStatus().classification.impact).isEqualTo(Impact.KeyFeatures);

        IncidentRecord.Outcome healthy = step(incident, List.of(new WorkloadHealth(ref, "shop", true, 3, 3, false)));
        assertThat(healthy.next().phase).isEqualTo(Phase.Resolved);
        assertThat(Conditions.find(healthy.next().conditions, "Resolved").orElseThrow().reason)
                .isEqualTo("WorkloadHealthy");
    }

    @Test
    void aRunningThenSucceededRollbackMitigates() {
        Incident incident = incident("title: t\nacknowledgedBy: alice");
        step(incident);
        RollbackRecord rollback = new RollbackRecord();
        rollback.state = RollbackState.InProgress;
        rollback.workload = new WorkloadRef(WorkloadKind.Deployment, "checkout");
        rollback.fromRevision = 7L;
        rollback.toRevision = 6L;
        incident.getStatus().rollback = rollback;
        assertThat(step(incident).next().phase).isEqualTo(Phase.Mitigating);

        after(Duration.ofSeconds(40));
        incident.getStatus().rollback.state = RollbackState.Succeeded;
        incident.getStatus().rollback.finishedAt = now;
        IncidentRecord.Outcome mitigated = step(incident);
        assertThat(mitigated.next().phase).isEqualTo(Phase.Mitigated);
        assertThat(mitigated.next().mitigatedAt).isEqualTo(now);
        assertThat(Conditions.find(mitigated.next().conditions, "Mitigated").orElseThrow().message)
                .isEqualTo("rollback of Deployment/checkout from revision 7 to 6");
    }

    @Test
    void theStoryAndTheAlertEntriesKeepTheirNewestWithinBudgetsOfTheirOwn() {
        Incident incident = incident("title: t");
        step(incident);
        for (int i = 0; i < 250; i++) {
            Timeline.append(incident.getStatus(), now, TimelineType.Note, "note " + i);
        }
        IncidentStatus s = incident.getStatus();
        assertThat(s.timeline).hasSize(Timeline.STORY_ENTRIES);
        assertThat(s.timeline.get(0).message).isEqualTo("note 50");
        assertThat(s.timelineDropped).isEqualTo(52);
        for (int i = 0; i < 500; i++) {
            Timeline.append(s, now, TimelineType.AlertFiring, "alert " + i);
        }
        assertThat(s.timeline).hasSize(IncidentStatus.TIMELINE_LIMIT);
        assertThat(s.timeline)
                .filteredOn(e -> e.type == TimelineType.Note)
                .as("alerts push no story out")
                .hasSize(Timeline.STORY_ENTRIES)
                .first()
                .satisfies(e -> assertThat(e.message).isEqualTo("note 50"));
        assertThat(s.timeline)
                .filteredOn(e -> Timeline.isAlert(e.type))
                .first()
                .satisfies(e -> assertThat(e.message).isEqualTo("alert 450"));
    }

    @Test
    void theTimelineStaysWithinItsBytesWhateverItsMessages() {
        Incident incident = incident("title: t");
        step(incident);
        String hostile = "<&>".repeat(2000);
        for (int i = 0; i < 300; i++) {
            Timeline.append(
                    incident.getStatus(), now, i % 2 == 0 ? TimelineType.Note : TimelineType.AlertFiring, hostile);
        }
        IncidentStatus s = incident.getStatus();
        assertThat(s.timeline)
                .allSatisfy(e -> assertThat(e.message.codePointCount(0, e.message.length()))
                        .isLessThanOrEqualTo(TimelineEntry.MESSAGE_LIMIT));
        long bytes = Text.storedLength(new KubernetesSerialization().asJson(s.timeline));
        assertThat(bytes).isLessThanOrEqualTo(Timeline.STORY_BYTES + Timeline.ALERT_BYTES);
    }
}
