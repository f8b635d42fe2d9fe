package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.SecretKeyRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** PagerDuty Events API v2. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PagerDutyTarget {
    @Required
    @JsonPropertyDescription("Secret key holding the 32-character integration (routing) key.")
    public SecretKeyRef routingKeySecretRef;

    @Default("https://events.pagerduty.com")
    @Pattern("^https?://[^\\s]+$")
    @JsonPropertyDescription("Events API base URL; https://events.eu.pagerduty.com for the EU service region.")
    public String url = "https://events.pagerduty.com";

    @JsonPropertyDescription(
            "Secret key holding the signing secret of a PagerDuty v3 webhook subscription that posts to "
                    + "/api/v1/inbound/pagerduty/<namespace>/<policy>: acknowledging or resolving in PagerDuty then "
                    + "acknowledges or resolves the Incident. Several secrets, one per line, while one is rotated.")
    public SecretKeyRef webhookSecretRef;
}
