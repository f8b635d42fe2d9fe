package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.SecretKeyRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Opsgenie Alert API. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class OpsgenieTarget {
    @Required
    @JsonPropertyDescription("Secret key holding the API integration key (sent as 'Authorization: GenieKey ...').")
    public SecretKeyRef apiKeySecretRef;

    @Default("https://api.opsgenie.com")
    @Pattern("^https?://[^\\s]+$")
    @JsonPropertyDescription("API base URL; https://api.eu.opsgenie.com for the EU instance.")
    public String url = "https://api.opsgenie.com";

    @Size(max = 50)
    @JsonPropertyDescription("Opsgenie teams to route the alert to, by name.")
    public List<String> teams = new ArrayList<>();

    @JsonPropertyDescription(
            "Secret key holding the value an Opsgenie outgoing-webhook integration sends in the header "
                    + "X-Firebreak-Webhook-Secret to /api/v1/inbound/opsgenie/<namespace>/<policy>: acknowledging, "
                    + "closing or adding a note in Opsgenie then does the same to the Incident. Several values, one "
                    + "per line, while one is rotated.")
    public SecretKeyRef webhookSecretRef;
}
