package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A reference to another object in the same namespace, by name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalRef {
    @Required
    @Size(min = 1, max = 253)
    @Pattern(ApiGroup.NAME_PATTERN)
    @JsonPropertyDescription("Name of the referenced object, in the same namespace.")
    public String name;

    public LocalRef() {}

    public LocalRef(String name) {
        this.name = name;
    }
}
