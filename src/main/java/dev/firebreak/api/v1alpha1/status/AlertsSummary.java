package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.Objects;

/**
 * The whole alert group in numbers, including the alerts status.alerts has no room for: what Alertmanager itself
 * reports as truncatedAlerts, Firebreak reports here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertsSummary {
    @JsonPropertyDescription(
            "Alerts of the group firing now, stored or not: the incident's evidence stands while this is above 0.")
    public Integer firing;

    @JsonPropertyDescription("Alerts of the group that resolved, stored or not.")
    public Integer resolved;

    @JsonPropertyDescription("Alerts in status.alerts with their labels and annotations.")
    public Integer storedFull;

    @JsonPropertyDescription(
            "Alerts in status.alerts with only their fingerprint, name, state and times (no room for more).")
    public Integer storedCompact;

    @JsonPropertyDescription("Alerts of the latest notification with no room in status.alerts: counted here, not kept.")
    public Integer notStored;

    @JsonPropertyDescription(
            "Alerts Alertmanager left out of the latest notification (its truncatedAlerts, from max_alerts).")
    public Integer truncated;

    @JsonPropertyDescription(
            "Bytes status.alerts takes as the API server stores it; Firebreak keeps it within its alert budget.")
    public Long bytes;

    @JsonPropertyDescription(
            "The earliest startsAt of the group's alerts, as Alertmanager sent it. Shown only: durations, metrics and the rollback cause window count from detectedAt.")
    public Instant earliestStartsAt;

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertsSummary s
                && Objects.equals(firing, s.firing)
                && Objects.equals(resolved, s.resolved)
                && Objects.equals(storedFull, s.storedFull)
                && Objects.equals(storedCompact, s.storedCompact)
                && Objects.equals(notStored, s.notStored)
                && Objects.equals(truncated, s.truncated)
                && Objects.equals(bytes, s.bytes)
                && Objects.equals(earliestStartsAt, s.earliestStartsAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(firing, resolved, storedFull, storedCompact, notStored, truncated, bytes, earliestStartsAt);
    }
}
