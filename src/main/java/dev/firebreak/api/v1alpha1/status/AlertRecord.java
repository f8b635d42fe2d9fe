package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.Map;

/** One alert of the incident, tracked by fingerprint. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class AlertRecord {
    @JsonPropertyDescription("Alertmanager's fingerprint of the alert's labels; the alert's identity.")
    public String fingerprint;

    @JsonPropertyDescription("The alertname label.")
    public String alertname;

    @JsonPropertyDescription("Firing or Resolved.")
    public AlertState state;

    @JsonPropertyDescription("When the alert started firing.")
    public Instant startsAt;

    @JsonPropertyDescription("When the alert resolved; unset while it fires.")
    public Instant endsAt;

    @JsonPropertyDescription("The alert's labels.")
    public Map<String, String> labels;

    @JsonPropertyDescription("Link to the alert's source expression in Prometheus.")
    public String generatorURL;

    @JsonPropertyDescription("The alert's runbook: its runbook_url (or runbook) annotation.")
    public String runbookURL;
}
