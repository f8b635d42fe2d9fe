package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.Person;
import io.fabric8.generator.annotation.ValidationRule;

/** Exactly one of: an on-call schedule, a named person, or a channel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value =
                "[has(self.onCallSchedule), has(self.person), has(self.slack), has(self.teams), has(self.pagerDuty), has(self.opsgenie), has(self.serviceNow), has(self.email), has(self.webhook)].exists_one(x, x)",
        message =
                "a target sets exactly one of onCallSchedule, person, slack, teams, pagerDuty, opsgenie, serviceNow, email, webhook")
public class EscalationTarget {
    @JsonPropertyDescription("Page whoever this OnCallSchedule says is on call when the level fires.")
    public OnCallTarget onCallSchedule;

    @JsonPropertyDescription("Page a named person, by email: the person must have one.")
    public Person person;

    @JsonPropertyDescription("Post to Slack.")
    public SlackTarget slack;

    @JsonPropertyDescription("Post to Microsoft Teams.")
    public TeamsTarget teams;

    @JsonPropertyDescription("Trigger a PagerDuty event.")
    public PagerDutyTarget pagerDuty;

    @JsonPropertyDescription("Create an Opsgenie alert.")
    public OpsgenieTarget opsgenie;

    @JsonPropertyDescription("Create a ServiceNow incident record.")
    public ServiceNowTarget serviceNow;

    @JsonPropertyDescription("Send an email.")
    public EmailTarget email;

    @JsonPropertyDescription("POST to a generic webhook.")
    public WebhookTarget webhook;
}
