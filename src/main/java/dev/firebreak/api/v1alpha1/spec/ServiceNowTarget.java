package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** ServiceNow Table API: an incident record kept in step with the Firebreak incident. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceNowTarget {
    @Required
    @Pattern("^https?://[^\\s]+$")
    @JsonPropertyDescription("Instance base URL, for example https://example.service-now.com.")
    public String instanceURL;

    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Name of a Secret in the policy's namespace with keys 'username' and 'password'.")
    public String credentialsSecretName;

    @Size(max = 128)
    @JsonPropertyDescription("assignment_group of the created record.")
    public String assignmentGroup;

    @Size(max = 128)
    @JsonPropertyDescription("caller_id of the created record.")
    public String callerId;
}
