package dev.firebreak.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.Impact;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.LocalRef;
import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.api.v1alpha1.PostIncidentReviewSpec;
import dev.firebreak.api.v1alpha1.PostIncidentReviewStatus;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.Urgency;
import dev.firebreak.api.v1alpha1.spec.ActionItem;
import dev.firebreak.api.v1alpha1.spec.IncidentSource;
import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.api.v1alpha1.status.Classification;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.RollbackRecord;
import dev.firebreak.api.v1alpha1.status.RollbackState;
import dev.firebreak.api.v1alpha1.status.TimelineEntry;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.testing.Golden;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pre-filling and rendering, against golden Markdown files in src/test/resources/review ({@code -Dgolden.update=true}
 * rewrites them): an incident with a rollback, one with escalations, one declared and handled by hand.
 */
class ReviewDraftTest {
    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");

    static Incident incident(String name, SourceType source) {
        Incident i = new Incident();
        i.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace("shop")
                .withUid("9d1c2a8e-0000-4000-8000-00000000000" + name.length())
                .build());
        i.setSpec(new IncidentSpec());
        i.getSpec().source = new IncidentSource(source);
        i.setStatus(new IncidentStatus());
        i.getStatus().detectedAt = T0;
        i.getStatus().phase = Phase.Resolved;
        return i;
    }

    static void classified(Incident i, Severity severity, Impact impact, Urgency urgency, String reason) {
        i.getStatus().severity = severity;
        i.getStatus().classification = new Classification();
        i.getStatus().classification.impact = impact;
        i.getStatus().classification.urgency = urgency;
        i.getStatus().classification.reason = reason;
    }

    static void at(Incident i, int minutes, TimelineType type, String message) {
        i.getStatus().timeline.add(new TimelineEntry(T0.plusSeconds(60L * minutes), type, message));
    }

    static Incident withRollback() {
        Incident i = incident("rollout-deploy-checkout-7", SourceType.Rollout);
        i.getSpec().title = "Deployment checkout revision 7 is failing";
        i.getSpec().source.revision = "7";
        i.getSpec().source.images = List.of("shop/checkout:1.4.2");
        i.getSpec().source.signal = "CrashLoopBackOff";
        i.getSpec().affected.add(new WorkloadRef(WorkloadKind.Deployment, "checkout"));
        classified(
                i,
                Severity.High,
                Impact.KeyFeatures,
                Urgency.High,
                "impact KeyFeatures: 2 of 4 replicas of deployment shop/checkout available");
        RollbackRecord r = new RollbackRecord();
        r.state = RollbackState.Succeeded;
        r.workload = new WorkloadRef(WorkloadKind.Deployment, "checkout");
        r.fromRevision = 7L;
        r.toRevision = 6L;
        r.fromImages = List.of("shop/checkout:1.4.2");
        r.toImages = List.of("shop/checkout:1.4.1");
        i.getStatus().rollback = r;
        at(i, 0, TimelineType.Detected, "incident opened: Deployment checkout revision 7 is failing (source Rollout)");
        at(i, 0, TimelineType.Classified, "severity High: impact KeyFeatures: 2 of 4 replicas available");
        at(i, 0, TimelineType.RemediationStarted, "mitigating: rollback of Deployment checkout from revision 7 to 6");
        at(i, 1, TimelineType.RemediationSucceeded, "mitigated: rollback of Deployment checkout from revision 7 to 6");
        at(i, 3, TimelineType.Resolved, "resolved by itself: deployment shop/checkout 4/4 available after 3m");
        i.getStatus().resolvedAt = T0.plusSeconds(180);
        i.getStatus().timeToResolve = "3m";
        return i;
    }

    static Incident withEscalations() {
        Incident i = incident("am-highcpuusage-5a85661a0f64", SourceType.Alertmanager);
        i.getSpec().title = "High CPU usage on payments-api";
        classified(
                i,
                Severity.Critical,
                Impact.AllUsers,
                Urgency.Immediate,
                "label severity=\"critical\" on alert HighCpuUsage");
        AlertRecord a = new AlertRecord();
        a.alertname = "HighCpuUsage";
        a.fingerprint = "5a85661a0f64";
        a.state = AlertState.Resolved;
        i.getStatus().alerts.add(a);
        at(i, 0, TimelineType.Detected, "incident opened: High CPU usage on payments-api (source Alertmanager)");
        at(
                i,
                0,
                TimelineType.Escalated,
                "level 0 of payments fired: on call in payments-primary: Alice Schmidt, slack #payments-oncall");
        at(i, 0, TimelineType.Notified, "notified slack #payments-oncall (Trigger)");
        at(
                i,
                10,
                TimelineType.Escalated,
                "level 1 of payments fired: pagerDuty levels[1].targets[0], person Farah Haddad");
        at(i, 12, TimelineType.Acknowledged, "acknowledged by farah");
        at(i, 20, TimelineType.Update, "update by farah: scaled payments-api to 8 replicas (ETA 15m)");
        at(i, 41, TimelineType.Resolved, "resolved by itself: all 1 alert resolved after 41m");
        i.getStatus().acknowledgedAt = T0.plusSeconds(720);
        i.getStatus().timeToAcknowledge = "12m";
        i.getStatus().resolvedAt = T0.plusSeconds(41 * 60);
        i.getStatus().timeToResolve = "41m";
        return i;
    }

    static Incident manual() {
        Incident i = incident("login-slow", SourceType.Manual);
        i.getSpec().title = "Login takes 10 s";
        classified(i, Severity.High, Impact.KeyFeatures, Urgency.High, "set in the incident's spec (spec.severity)");
        at(i, 0, TimelineType.Detected, "incident opened: Login takes 10 s (source Manual)");
        at(i, 2, TimelineType.Acknowledged, "acknowledged by bob");
        at(i, 30, TimelineType.Resolved, "resolved by bob (cache warmed) after 30m");
        i.getStatus().timeToAcknowledge = "2m";
        i.getStatus().resolvedAt = T0.plusSeconds(1800);
        i.getStatus().timeToResolve = "30m";
        return i;
    }

    static PostIncidentReview drafted(Incident incident) {
        PostIncidentReview review = new PostIncidentReview();
        review.setMetadata(new ObjectMetaBuilder()
                .withName(incident.getMetadata().getName())
                .withNamespace("shop")
                .build());
        review.setSpec(new PostIncidentReviewSpec());
        review.getSpec().incidentRef = new LocalRef(incident.getMetadata().getName());
        review.setStatus(new PostIncidentReviewStatus());
        ReviewDraft.copyFacts(incident, review.getStatus());
        ReviewDraft.prefill(review.getSpec(), review.getStatus());
        return review;
    }

    @Test
    void rootCauseNamesTheRevisionImageAndRollback() {
        PostIncidentReview review = drafted(withRollback());
        assertThat(review.getSpec().rootCause)
                .isEqualTo("Deployment shop/checkout revision 7 (image "
                        + "shop/checkout:1.4.2) failed; rolled back to revision 6 (image shop/checkout:1.4.1)");
        assertThat(review.getStatus().incidentUID).isEqualTo("9d1c2a8e-0000-4000-8000-0000000000025");
        assertThat(review.getStatus().rollback).startsWith("Succeeded: rollback of Deployment shop/checkout");
    }

    @Test
    void withoutARecordedCauseTheRootCauseIsToBeDetermined() {
        assertThat(drafted(manual()).getSpec().rootCause).isEqualTo("To be determined");
    }

    @Test
    void actionsTakenComeFromTheTimelineAndImpactFromTheFacts() {
        PostIncidentReview review = drafted(withEscalations());
        assertThat(review.getSpec().actionsTaken)
                .contains(
                        "level 0 of payments fired",
                        "level 1 of payments fired",
                        "acknowledged by farah",
                        "update by farah")
                .doesNotContain("notified slack");
        assertThat(review.getSpec().impact)
                .contains("Severity Critical", "Alerts: HighCpuUsage", "Duration: 41m, acknowledged after 12m");
    }

    @Test
    void prefillNeverOverwritesWhatAHumanWrote() {
        PostIncidentReviewSpec spec = new PostIncidentReviewSpec();
        spec.rootCause = "A config change disabled the cache";
        spec.lessonsLearned = "Canary config changes";
        PostIncidentReviewStatus facts = new PostIncidentReviewStatus();
        ReviewDraft.copyFacts(withRollback(), facts);
        assertThat(ReviewDraft.prefill(spec, facts)).isTrue();
        assertThat(spec.rootCause).isEqualTo("A config change disabled the cache");
        assertThat(spec.lessonsLearned).isEqualTo("Canary config changes");
        assertThat(spec.summary).startsWith("Deployment checkout revision 7 is failing: a High incident");
        assertThat(ReviewDraft.prefill(spec, facts)).as("nothing left to fill").isFalse();
    }

    @Test
    void goldenWithRollback() throws IOException {
        golden("with-rollback.md", ReviewDocument.render(drafted(withRollback())));
    }

    @Test
    void goldenWithEscalations() throws IOException {
        PostIncidentReview review = drafted(withEscalations());
        ActionItem item = new ActionItem();
        item.description = "Alert on CPU saturation | before users notice";
        item.owner = "farah";
        item.dueDate = "2026-12-01";
        review.getSpec().improvementPlan.add(item);
        review.getStatus().actionItems = ActionItemCounter.count(review.getSpec().improvementPlan, T0);
        golden("with-escalations.md", ReviewDocument.render(review));
    }

    @Test
    void goldenManual() throws IOException {
        golden("manual.md", ReviewDocument.render(drafted(manual())));
    }

    static void golden(String file, String actual) {
        Golden.assertMatches("review", file, actual);
    }
}
