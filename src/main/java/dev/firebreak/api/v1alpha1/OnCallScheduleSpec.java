package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.spec.ScheduleLayer;
import dev.firebreak.api.v1alpha1.spec.ScheduleOverride;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Who is on call when: rotations in layers, plus overrides. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class OnCallScheduleSpec {
    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("IANA time zone of handoff times and restrictions, for example Europe/Berlin.")
    public String timeZone;

    @Required
    @Size(min = 1, max = 10)
    @ValidationRule(value = "self.all(l, self.exists_one(m, m.name == l.name))", message = "layer names must be unique")
    @JsonPropertyDescription("Rotations, lowest first; a later layer wins wherever it has someone on call.")
    public List<ScheduleLayer> layers = new ArrayList<>();

    @Size(max = 100)
    @JsonPropertyDescription("Temporary replacements; they win over every layer. Overrides must not overlap.")
    public List<ScheduleOverride> overrides = new ArrayList<>();
}
