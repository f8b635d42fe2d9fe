package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.Severity;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/** Which incidents a policy applies to when they do not name one. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PolicyMatch {
    @JsonPropertyDescription("Severities the policy applies to; empty means all.")
    public List<Severity> severities = new ArrayList<>();

    @JsonPropertyDescription("Label selector over the incident's labels; empty means all.")
    public LabelSelector selector;
}
