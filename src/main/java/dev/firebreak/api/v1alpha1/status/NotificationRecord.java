package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.time.Instant;

/** One notification attempt-set: to whom, how, and what happened. Never holds credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationRecord {
    @JsonPropertyDescription("Sequence number of the record within the incident, from 0.")
    public Integer id;

    @JsonPropertyDescription("Escalation level that sent it.")
    public Integer level;

    @JsonPropertyDescription(
            "Who or what was notified, for example 'person alice' or 'slack #payments' (never a URL with credentials).")
    public String target;

    @JsonPropertyDescription("Where the target is defined in the policy, for example levels[1].targets[0].")
    @Pattern(TargetRef.PATTERN)
    public TargetRef targetRef;

    @JsonPropertyDescription("The person paged, for a person or on-call schedule target: name and email address.")
    public String recipient;

    @JsonPropertyDescription("Channel: Slack, Teams, PagerDuty, Opsgenie, ServiceNow, Email or Webhook.")
    public Channel channel;

    @JsonPropertyDescription("What was sent: Trigger, Acknowledge, Resolve or Update.")
    public Action action;

    @JsonPropertyDescription("Index in spec.updates of the update sent, for an Update.")
    public Integer update;

    @JsonPropertyDescription("When the last attempt was made.")
    public Instant time;

    @JsonPropertyDescription("How many attempts were made.")
    public Integer attempts;

    @JsonPropertyDescription("Pending, Sent or Failed.")
    public NotificationResult result;

    @JsonPropertyDescription("When the next attempt is due, while the result is Pending after a failed attempt.")
    public Instant nextAttemptAt;

    @JsonPropertyDescription(
            "The record the channel created, for example a ServiceNow incident's sys_id, for later updates.")
    public String externalId;

    @JsonPropertyDescription(
            "The digest that delivered it: one message for several incidents' notifications to a destination over its rate, naming each.")
    public DigestRef digest;

    @JsonPropertyDescription("The error of the last failed attempt, with credentials redacted.")
    public String error;
}
