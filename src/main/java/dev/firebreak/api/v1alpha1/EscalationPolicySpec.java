package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.spec.EscalationLevel;
import dev.firebreak.api.v1alpha1.spec.PolicyMatch;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Who is notified, in which order, and how long Firebreak waits between levels. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
        value = "!has(self.levels[0].delay) || self.levels[0].delay.matches('^(0+(\\\\.0+)?(ms|s|m|h))+$')",
        message = "levels[0] fires at once: its delay must be 0s or unset")
public class EscalationPolicySpec {
    @JsonPropertyDescription("Which incidents the policy applies to when they name no policy.")
    public PolicyMatch match;

    @Required
    @Size(min = 1, max = 20)
    @JsonPropertyDescription(
            "Levels in order; level 0 fires at once, each next one after its delay if nobody acknowledged.")
    public List<EscalationLevel> levels = new ArrayList<>();

    @Default("0")
    @Min(0)
    @Max(10)
    @JsonPropertyDescription("How many times the whole policy is repeated after the last level if nobody acknowledged.")
    public int repeat;

    @Default("30m")
    @Pattern(ApiGroup.DURATION_PATTERN)
    @JsonPropertyDescription(
            "How long after the last level the policy starts again at level 0, when repeat is above 0.")
    public String repeatDelay = "30m";

    @Default("High")
    @JsonPropertyDescription("Minimum severity for which a resolved incident gets a PostIncidentReview drafted.")
    public Severity reviewThreshold = Severity.High;
}
