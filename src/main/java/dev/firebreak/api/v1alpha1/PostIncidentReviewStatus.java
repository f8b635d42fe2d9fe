package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.status.ActionItemCounts;
import dev.firebreak.api.v1alpha1.status.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Facts copied from the incident, so the review survives its deletion; and action-item counts. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PostIncidentReviewStatus implements HasConditions {
    @JsonPropertyDescription("The metadata.generation this status reflects.")
    public Long observedGeneration;

    @JsonPropertyDescription("Name of the incident reviewed.")
    public String incidentId;

    @JsonPropertyDescription("UID of the incident reviewed.")
    public String incidentUID;

    @JsonPropertyDescription("Title of the incident.")
    public String title;

    @JsonPropertyDescription("Severity of the incident when it resolved.")
    public Severity severity;

    @JsonPropertyDescription("When the incident was detected.")
    public Instant detectionTime;

    @JsonPropertyDescription("When the incident was resolved.")
    public Instant resolutionTime;

    @JsonPropertyDescription("Time from detection to resolution, for example 42m.")
    public String duration;

    @JsonPropertyDescription("Time from detection to acknowledgement.")
    public String timeToAcknowledge;

    @JsonPropertyDescription("Why the incident had its severity (impact x urgency and the evidence).")
    public String classification;

    @JsonPropertyDescription("Workloads the incident named, for example Deployment checkout.")
    public List<String> affectedWorkloads = new ArrayList<>();

    @JsonPropertyDescription("Alerts of the incident, by name.")
    public List<String> alerts = new ArrayList<>();

    @JsonPropertyDescription("What Firebreak's rollback did, if anything.")
    public String rollback;

    @JsonPropertyDescription("Root cause suggested from the record (the spec's rootCause starts as this).")
    public String rootCauseSuggestion;

    @JsonPropertyDescription(
            "When Firebreak filled the spec's empty sections with suggestions; it never writes the spec again.")
    public Instant prefilledAt;

    @JsonPropertyDescription("When the review was first seen Published.")
    public Instant publishedAt;

    @JsonPropertyDescription(
            "When overdue action items were last reminded through the incident's channels (at most daily).")
    public Instant lastReminderAt;

    @JsonPropertyDescription("ConfigMap holding the rendered Markdown (key review.md), owned by the review.")
    public String documentConfigMap;

    @JsonPropertyDescription("SHA-256 of the Markdown last written to the ConfigMap.")
    public String documentHash;

    @JsonPropertyDescription("The incident's timeline, copied.")
    public List<TimelineEntry> timeline = new ArrayList<>();

    @JsonPropertyDescription("Counts of the improvement plan's action items.")
    public ActionItemCounts actionItems;

    @JsonPropertyDescription("Standard conditions: Ready.")
    public List<Condition> conditions = new ArrayList<>();

    @Override
    public List<Condition> getConditions() {
        return conditions;
    }

    @Override
    public void setObservedGeneration(Long generation) {
        this.observedGeneration = generation;
    }
}
