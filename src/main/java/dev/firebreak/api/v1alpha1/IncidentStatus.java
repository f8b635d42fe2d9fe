package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertsSummary;
import dev.firebreak.api.v1alpha1.status.Classification;
import dev.firebreak.api.v1alpha1.status.EscalationStatus;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.RollbackRecord;
import dev.firebreak.api.v1alpha1.status.TimelineEntry;
import io.fabric8.generator.annotation.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What Firebreak observed and decided about an incident. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class IncidentStatus implements HasConditions, SharedStatus {
    /** The most entries the timeline holds: its story and its alert entries, each within a budget of its own. */
    public static final int TIMELINE_LIMIT = 250;
    /** The most alerts status.alerts holds (compactly); the intake's byte budget usually binds first. */
    public static final int ALERTS_LIMIT = 5000;

    @JsonPropertyDescription("The metadata.generation this status reflects.")
    public Long observedGeneration;

    @JsonPropertyDescription("Triggered, Acknowledged, Mitigating, Mitigated or Resolved.")
    public Phase phase;

    @JsonPropertyDescription("The severity in force: the spec's override, else impact x urgency.")
    public Severity severity;

    @JsonPropertyDescription("Impact, urgency and the reason, as last decided.")
    public Classification classification;

    @Size(max = ALERTS_LIMIT)
    @JsonPropertyDescription(
            "The incident's alerts, by fingerprint, within a byte budget: in full while it allows, then compactly; alertsSummary counts the rest.")
    public List<AlertRecord> alerts = new ArrayList<>();

    @JsonPropertyDescription(
            "How often the Alertmanager intake changed the alerts: its optimistic lock on them (it writes both together, only if this is still what it read).")
    public Long alertsRevision;

    @JsonPropertyDescription("The whole alert group in numbers, including alerts with no room in status.alerts.")
    public AlertsSummary alertsSummary;

    @JsonPropertyDescription(
            "How often the reconciler wrote the rest of this status: its optimistic lock on it (each write changes only what it decided, and only if this is still what it read), so that the intake's alert writes never conflict with it.")
    public Long recordRevision;

    @JsonPropertyDescription(
            "The alertsRevision whose alert changes the timeline already records: each change is recorded once.")
    public Long alertsRecorded;

    @JsonPropertyDescription(
            "When Firebreak first stored the incident (for an alert group: its first notification). Durations, metrics and the rollback cause window count from here.")
    public Instant detectedAt;

    @JsonPropertyDescription("When someone acknowledged it.")
    public Instant acknowledgedAt;

    @JsonPropertyDescription("When a remediation succeeded.")
    public Instant mitigatedAt;

    @JsonPropertyDescription("When it was resolved.")
    public Instant resolvedAt;

    @JsonPropertyDescription("When the incident last reopened (its evidence returned after it resolved).")
    public Instant reopenedAt;

    @JsonPropertyDescription("How many times the incident reopened.")
    public Integer reopenCount;

    @JsonPropertyDescription("Time from detection to acknowledgement, for example 4m12s.")
    public String timeToAcknowledge;

    @JsonPropertyDescription("Time from detection to resolution, for example 1h2m.")
    public String timeToResolve;

    @JsonPropertyDescription("Where escalation stands and what was sent.")
    public EscalationStatus escalation;

    @JsonPropertyDescription("What Firebreak decided or did about rolling back.")
    public RollbackRecord rollback;

    @Size(max = TIMELINE_LIMIT)
    @JsonPropertyDescription(
            "What happened, oldest first. The story (detection, classification, escalation, acknowledgement, updates, remediation, resolution, notes) and the alert entries each keep their newest entries within a budget of their own, so alerts never push the story out.")
    public List<TimelineEntry> timeline = new ArrayList<>();

    @JsonPropertyDescription("How many older timeline entries were dropped to keep the object small.")
    public Integer timelineDropped;

    @JsonPropertyDescription("How many of spec.updates Firebreak has recorded on the timeline.")
    public Integer updatesSeen;

    @JsonPropertyDescription("The PostIncidentReview drafted for this incident.")
    public LocalRef postIncidentReviewRef;

    @JsonPropertyDescription("Standard conditions: Ready, Acknowledged, Mitigated, Resolved.")
    public List<Condition> conditions = new ArrayList<>();

    @Override
    public List<Condition> getConditions() {
        return conditions;
    }

    @Override
    public void setObservedGeneration(Long generation) {
        this.observedGeneration = generation;
    }

    @Override
    public Long getRecordRevision() {
        return recordRevision;
    }

    @Override
    public void setRecordRevision(Long revision) {
        this.recordRevision = revision;
    }

    /** The alerts, their revision and their summary are written by the Alertmanager intake, never by the reconciler. */
    @Override
    public void removeFieldsOwnedByOthers() {
        this.alerts = null;
        this.alertsRevision = null;
        this.alertsSummary = null;
    }
}
