package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.status.LayerOnCall;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class OnCallScheduleStatus implements HasConditions {
    @JsonPropertyDescription("The metadata.generation this status reflects.")
    public Long observedGeneration;

    @JsonPropertyDescription("Name of the person on call now, overrides and layers taken together.")
    public String onCallNow;

    @JsonPropertyDescription("Who each layer has on call now.")
    public List<LayerOnCall> layers = new ArrayList<>();

    @JsonPropertyDescription("When the person on call next changes.")
    public Instant nextHandoff;

    @JsonPropertyDescription(
            "Standard conditions: Ready is False with a message for an unknown time zone, an empty rotation or overlapping overrides.")
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
