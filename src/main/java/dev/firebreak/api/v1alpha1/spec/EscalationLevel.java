package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.ApiGroup;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** One step of an escalation policy. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class EscalationLevel {
    @Default("0s")
    @Pattern(ApiGroup.DURATION_PATTERN)
    @JsonPropertyDescription(
            "How long after the previous level this level fires if nobody acknowledged, for example 10m. The first level always fires at once.")
    public String delay = "0s";

    @Required
    @Size(min = 1, max = 20)
    @JsonPropertyDescription("Who or what is notified when the level fires.")
    public List<EscalationTarget> targets = new ArrayList<>();
}
