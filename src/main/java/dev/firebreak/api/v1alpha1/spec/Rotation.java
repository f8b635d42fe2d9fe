package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.ApiGroup;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.type == 'Custom' ? has(self.length) : !has(self.length)",
        message = "length is required for a Custom rotation and only allowed there")
public class Rotation {
    @Default("Weekly")
    @JsonPropertyDescription("Daily, Weekly, or Custom (every 'length').")
    public RotationType type = RotationType.Weekly;

    @Pattern(ApiGroup.DURATION_PATTERN)
    @JsonPropertyDescription("Length of one shift for a Custom rotation, for example 72h.")
    public String length;
}
