package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.SecretKeyRef;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Slack incoming webhook (Block Kit messages). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlackTarget {
    @Required
    @JsonPropertyDescription("Secret key holding the incoming-webhook URL (the URL is the credential).")
    public SecretKeyRef webhookURLSecretRef;

    @Size(max = 80)
    @JsonPropertyDescription(
            "Channel name shown in the record, for example #payments-oncall; the webhook decides where messages go.")
    public String channel;

    @JsonPropertyDescription(
            "Secret key holding the Slack app's signing secret. When set, messages carry Acknowledge and Resolve "
                    + "buttons, and the app's interactivity request URL is /api/v1/inbound/slack/<namespace>/<policy>. "
                    + "Several secrets, one per line, while one is rotated.")
    public SecretKeyRef signingSecretRef;
}
