package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One alert of the incident, tracked by fingerprint. Stored in full (with labels and annotations) while the alert
 * budget allows, else compactly: fingerprint, name, state and times only.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class AlertRecord {
    @Size(max = 128)
    @JsonPropertyDescription("Alertmanager's fingerprint of the alert's labels; the alert's identity.")
    public String fingerprint;

    @Size(max = 256)
    @JsonPropertyDescription("The alertname label.")
    public String alertname;

    @JsonPropertyDescription("Firing or Resolved.")
    public AlertState state;

    @JsonPropertyDescription("When the alert started firing, as Alertmanager sent it.")
    public Instant startsAt;

    @JsonPropertyDescription("When the alert resolved; unset while it fires.")
    public Instant endsAt;

    @JsonPropertyDescription(
            "The alert's labels, each value cut to 1024 characters; unset when the alert is stored compactly.")
    public Map<String, String> labels;

    @JsonPropertyDescription(
            "The alert's annotations, each value cut to 1024 characters; unset when the alert is stored compactly.")
    public Map<String, String> annotations;

    @JsonPropertyDescription("How many labels and annotations were left out because the alert's own budget was spent.")
    public Integer omitted;

    @Size(max = 2048)
    @JsonPropertyDescription("Link to the alert's source expression in Prometheus.")
    public String generatorURL;

    @Size(max = 2048)
    @JsonPropertyDescription("The alert's runbook: its runbook_url (or runbook) annotation.")
    public String runbookURL;

    @JsonPropertyDescription(
            "The status.alertsRevision in which the alert appeared or last changed state; the reconciler puts each such change on the timeline once.")
    public Long revision;

    /** Stored compactly: without labels and annotations. */
    public boolean compact() {
        return labels == null || labels.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertRecord r
                && Objects.equals(fingerprint, r.fingerprint)
                && Objects.equals(alertname, r.alertname)
                && state == r.state
                && Objects.equals(startsAt, r.startsAt)
                && Objects.equals(endsAt, r.endsAt)
                && Objects.equals(labels, r.labels)
                && Objects.equals(annotations, r.annotations)
                && Objects.equals(omitted, r.omitted)
                && Objects.equals(generatorURL, r.generatorURL)
                && Objects.equals(runbookURL, r.runbookURL)
                && Objects.equals(revision, r.revision);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fingerprint, state, startsAt, endsAt, revision);
    }
}
