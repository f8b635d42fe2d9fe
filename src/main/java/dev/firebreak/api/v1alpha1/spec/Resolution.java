package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A human's declaration that the incident is over. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!self.resolved || (has(self.by) && size(self.by) > 0)",
        message = "a resolution needs 'by': who resolved the incident")
public class Resolution {
    @JsonPropertyDescription("True when a human declares the incident resolved.")
    public boolean resolved;

    @Size(max = 128)
    @JsonPropertyDescription("Who resolved the incident.")
    public String by;

    @Size(max = 4096)
    @JsonPropertyDescription("What was done or found, in a sentence or two.")
    public String note;
}
