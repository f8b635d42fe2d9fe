package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;

/** One notification attempt-set: to whom, how, and what happened. Never holds credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationRecord {
    @JsonPropertyDescription("Escalation level that sent it.")
    public Integer level;

    @JsonPropertyDescription("Who or what was notified, for example 'person alice' or 'slack #payments' (never a URL with credentials).")
    public String target;

    @JsonPropertyDescription("Channel: Slack, Teams, PagerDuty, Opsgenie, ServiceNow, Email or Webhook.")
    public String channel;

    @JsonPropertyDescription("What was sent: Trigger, Acknowledge, Resolve or Update.")
    public String action;

    @JsonPropertyDescription("When the last attempt was made.")
    public Instant time;

    @JsonPropertyDescription("How many attempts were made.")
    public Integer attempts;

    @JsonPropertyDescription("Pending, Sent or Failed.")
    public NotificationResult result;

    @JsonPropertyDescription("The error of the last failed attempt, with credentials redacted.")
    public String error;
}
