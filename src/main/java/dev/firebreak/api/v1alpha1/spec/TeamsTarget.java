package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.SecretKeyRef;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Microsoft Teams Workflows webhook (Adaptive Card messages). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TeamsTarget {
    @Required
    @JsonPropertyDescription("Secret key holding the Workflows webhook URL (the URL is the credential).")
    public SecretKeyRef webhookURLSecretRef;

    @Size(max = 128)
    @JsonPropertyDescription("Channel name shown in the record.")
    public String channel;
}
