package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.PostIncidentReviewSpec;
import dev.firebreak.api.v1alpha1.PostIncidentReviewStatus;
import dev.firebreak.api.v1alpha1.spec.IncidentSource;
import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.status.RollbackRecord;
import dev.firebreak.api.v1alpha1.status.RollbackState;
import dev.firebreak.api.v1alpha1.status.TimelineEntry;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What Firebreak writes into a review from the incident's record. Pure. Facts (copied into status, so the review
 * survives the incident) and suggestions for the sections humans own (written into the spec once, and only into
 * empty sections).
 */
public final class ReviewDraft {
    static final String TO_BE_DETERMINED = "To be determined";
    /** The timeline entries that are actions, for Actions Taken. */
    static final Set<TimelineType> ACTIONS = EnumSet.of(
            TimelineType.Acknowledged,
            TimelineType.Escalated,
            TimelineType.RemediationProposed,
            TimelineType.RemediationStarted,
            TimelineType.RemediationSucceeded,
            TimelineType.RemediationFailed,
            TimelineType.Update,
            TimelineType.Resolved,
            TimelineType.Reopened);

    private ReviewDraft() {}

    /** The incident's facts, written over {@code status} (the review's other status fields are kept). */
    public static void copyFacts(Incident incident, PostIncidentReviewStatus status) {
        IncidentStatus s = incident.getStatus() == null ? new IncidentStatus() : incident.getStatus();
        status.incidentId = incident.getMetadata().getName();
        status.incidentUID = incident.getMetadata().getUid();
        status.title = incident.getSpec().title;
        status.severity = s.severity;
        status.detectionTime = s.detectedAt;
        status.resolutionTime = s.resolvedAt;
        status.duration = s.timeToResolve;
        status.timeToAcknowledge = s.timeToAcknowledge;
        status.classification = s.classification == null ? null : s.classification.reason;
        status.affectedWorkloads = incident.getSpec().affected.stream()
                .map(w -> w.kind + " " + w.name)
                .toList();
        status.alerts = s.alerts.stream()
                .map(a -> a.alertname == null ? a.fingerprint : a.alertname)
                .distinct()
                .toList();
        status.rollback = rollback(incident.getMetadata().getNamespace(), s.rollback);
        status.rootCauseSuggestion = rootCause(incident);
        status.timeline = s.timeline.stream()
                .map(e -> new TimelineEntry(e.time, e.type, e.message))
                .toList();
    }

    /** Fills the empty sections of {@code spec} with suggestions; returns whether anything was filled. */
    public static boolean prefill(PostIncidentReviewSpec spec, PostIncidentReviewStatus facts) {
        boolean changed = false;
        if (blank(spec.summary)) {
            spec.summary = summary(facts);
            changed = true;
        }
        if (blank(spec.rootCause)) {
            spec.rootCause = facts.rootCauseSuggestion == null ? TO_BE_DETERMINED : facts.rootCauseSuggestion;
            changed = true;
        }
        if (blank(spec.impact)) {
            spec.impact = impact(facts);
            changed = true;
        }
        if (blank(spec.actionsTaken)) {
            spec.actionsTaken = actionsTaken(facts.timeline);
            changed = true;
        }
        return changed;
    }

    static String summary(PostIncidentReviewStatus f) {
        return f.title + ": a " + (f.severity == null ? "" : f.severity + " ") + "incident detected at "
                + f.detectionTime
                + (f.resolutionTime == null
                        ? ""
                        : " and resolved at " + f.resolutionTime + (f.duration == null ? "" : " (" + f.duration + ")"))
                + ".";
    }

    /**
     * "Deployment shop/checkout revision 7 (image shop/checkout:1.4.2) failed; rolled back to revision 6", from the
     * rollback record or a rollout incident's source; otherwise "To be determined".
     */
    static String rootCause(Incident incident) {
        String namespace = incident.getMetadata().getNamespace();
        RollbackRecord r = incident.getStatus() == null ? null : incident.getStatus().rollback;
        IncidentSource source = incident.getSpec().source;
        if (r != null
                && r.workload != null
                && r.fromRevision != null
                && (r.state == RollbackState.Succeeded || r.state == RollbackState.InProgress)) {
            return r.workload.kind + " " + namespace + "/" + r.workload.name + " revision " + r.fromRevision
                    + images(r.fromImages) + " failed; rolled back to revision " + r.toRevision + images(r.toImages);
        }
        if (source != null
                && source.type == SourceType.Rollout
                && !incident.getSpec().affected.isEmpty()) {
            var w = incident.getSpec().affected.get(0);
            return w.kind + " " + namespace + "/" + w.name
                    + (source.revision == null ? "" : " revision " + source.revision) + images(source.images)
                    + " failed"
                    + (source.signal == null ? "" : ": " + source.signal) + "; not rolled back"
                    + (r == null || r.reason == null ? "" : " (" + r.reason + ")");
        }
        return null;
    }

    private static String images(List<String> images) {
        if (images == null || images.isEmpty()) {
            return "";
        }
        return " (image" + (images.size() == 1 ? " " : "s ") + String.join(", ", images) + ")";
    }

    static String rollback(String namespace, RollbackRecord r) {
        if (r == null || r.state == null || r.workload == null) {
            return null;
        }
        return r.state + ": rollback of " + r.workload.kind + " " + namespace + "/" + r.workload.name
                + (r.fromRevision == null ? "" : " from revision " + r.fromRevision + " to " + r.toRevision)
                + (r.reason == null ? "" : " (" + r.reason + ")");
    }

    static String impact(PostIncidentReviewStatus f) {
        List<String> lines = new ArrayList<>();
        lines.add("Severity " + (f.severity == null ? "unclassified" : f.severity)
                + (f.classification == null ? "" : ": " + f.classification) + ".");
        lines.add("Affected workloads: "
                + (f.affectedWorkloads.isEmpty() ? "none recorded" : String.join(", ", f.affectedWorkloads)) + ".");
        lines.add("Alerts: " + (f.alerts.isEmpty() ? "none" : String.join(", ", f.alerts)) + ".");
        lines.add("Duration: " + (f.duration == null ? "unresolved" : f.duration)
                + (f.timeToAcknowledge == null ? ", never acknowledged" : ", acknowledged after " + f.timeToAcknowledge)
                + ".");
        return String.join("\n", lines);
    }

    static String actionsTaken(List<TimelineEntry> timeline) {
        List<String> lines = timeline.stream()
                .filter(e -> ACTIONS.contains(e.type))
                .map(e -> "- " + e.time + " " + e.message)
                .filter(Objects::nonNull)
                .toList();
        return lines.isEmpty() ? "None recorded." : String.join("\n", lines);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
