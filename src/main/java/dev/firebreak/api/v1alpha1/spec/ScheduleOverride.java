package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.Person;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.time.Instant;

/** Someone takes the shift, whatever the layers say, from one instant to another. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.to > self.from", message = "an override must end after it starts")
public class ScheduleOverride {
    @Required
    @JsonPropertyDescription("Who is on call during the override.")
    public Person who;

    @Required
    @JsonPropertyDescription("Start of the override (RFC 3339).")
    public Instant from;

    @Required
    @JsonPropertyDescription("End of the override (RFC 3339, exclusive).")
    public Instant to;
}
