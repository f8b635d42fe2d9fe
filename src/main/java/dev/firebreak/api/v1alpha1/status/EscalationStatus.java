package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Where escalation stands. Timers live here so that a restarted operator continues on time. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class EscalationStatus {
    @JsonPropertyDescription("Name of the EscalationPolicy bound to the incident.")
    public String policy;

    @JsonPropertyDescription("Why that policy was chosen (named in spec, best match, or the configured default).")
    public String reason;

    @JsonPropertyDescription("The last level that fired; unset before level 0 fires.")
    public Integer level;

    @JsonPropertyDescription("How many times the whole policy has been repeated.")
    public Integer repetition;

    @JsonPropertyDescription("When the next level fires unless someone acknowledges.")
    public Instant nextEscalationAt;

    @JsonPropertyDescription(
            "When level 0 last fired: the start of this round of escalation (a reopened incident starts a new one).")
    public Instant startedAt;

    @JsonPropertyDescription("How many of spec.updates were sent to the channels already notified.")
    public Integer updatesSent;

    @JsonPropertyDescription("Notifications sent, oldest first.")
    public List<NotificationRecord> notifications = new ArrayList<>();
}
