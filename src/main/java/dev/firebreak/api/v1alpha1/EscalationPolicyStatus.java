package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class EscalationPolicyStatus implements HasConditions {
    @JsonPropertyDescription("The metadata.generation this status reflects.")
    public Long observedGeneration;

    @JsonPropertyDescription("Names of the incidents currently escalating under this policy.")
    public List<String> escalatingIncidents = new ArrayList<>();

    @JsonPropertyDescription(
            "Standard conditions: Ready is False with a message when a referenced Secret or OnCallSchedule is missing.")
    public List<Condition> conditions = new ArrayList<>();

    @Override
    public List<Condition> getConditions() {
        return conditions;
    }

    @Override
    public void setObservedGeneration(Long generation) {
        this.observedGeneration = generation;
    }
}
