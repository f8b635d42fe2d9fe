package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.spec.ActionItem;
import dev.firebreak.api.v1alpha1.spec.ReviewState;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What humans write after an incident. Firebreak pre-fills it once and never overwrites a human's edit. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
        value =
                "self.state != 'Published' || (has(self.rootCause) && size(self.rootCause) > 0 && has(self.lessonsLearned) && size(self.lessonsLearned) > 0)",
        message = "a Published review needs rootCause and lessonsLearned")
public class PostIncidentReviewSpec {
    @Required
    @ValidationRule(value = "self == oldSelf", message = "incidentRef is immutable")
    @JsonPropertyDescription(
            "The incident reviewed, in the same namespace. Immutable; the review outlives the incident.")
    public LocalRef incidentRef;

    @Size(max = 16384)
    @JsonPropertyDescription("What happened, in a paragraph.")
    public String summary;

    @Size(max = 16384)
    @JsonPropertyDescription("Why it happened. Pre-filled with a suggestion from the record.")
    public String rootCause;

    @Size(max = 16384)
    @JsonPropertyDescription("Who was affected, how badly and for how long.")
    public String impact;

    @Size(max = 16384)
    @JsonPropertyDescription("What responders did: acknowledgement, escalations, rollback, updates.")
    public String actionsTaken;

    @Size(max = 16384)
    @JsonPropertyDescription("What the team learned. Left for humans.")
    public String lessonsLearned;

    @Size(max = 100)
    @JsonPropertyDescription("Action items that make the next incident less likely or less bad.")
    public List<ActionItem> improvementPlan = new ArrayList<>();

    @Default("Draft")
    @JsonPropertyDescription("Draft, InReview or Published.")
    public ReviewState state = ReviewState.Draft;
}
