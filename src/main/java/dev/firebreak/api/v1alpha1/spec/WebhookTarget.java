package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.SecretKeyRef;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A generic webhook: the incident as JSON, signed with HMAC-SHA256 over timestamp + body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookTarget {
    @Required
    @Pattern("^https?://[^\\s]+$")
    @JsonPropertyDescription("URL the incident is POSTed to.")
    public String url;

    @JsonPropertyDescription("Secret key holding the HMAC signing key; unset sends unsigned requests.")
    public SecretKeyRef signingSecretRef;
}
