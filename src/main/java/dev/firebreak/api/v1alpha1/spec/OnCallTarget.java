package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.ApiGroup;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Page whoever an OnCallSchedule says is on call. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OnCallTarget {
    @Required
    @Size(min = 1, max = 253)
    @Pattern(ApiGroup.NAME_PATTERN)
    @JsonPropertyDescription("Name of the OnCallSchedule, in the policy's namespace.")
    public String name;
}
