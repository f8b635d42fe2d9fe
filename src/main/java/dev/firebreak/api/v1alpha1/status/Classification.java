package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.Impact;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.Urgency;

/** The inputs of the severity, as Firebreak last decided them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Classification {
    @JsonPropertyDescription("Impact used for the severity.")
    public Impact impact;

    @JsonPropertyDescription("Urgency used for the severity.")
    public Urgency urgency;

    @JsonPropertyDescription(
            "The severity impact and urgency give now. status.severity is the worst seen while the incident is open, which only spec.severity (a human) lowers.")
    public Severity measured;

    @JsonPropertyDescription(
            "Why, in words, for example 'impact AllUsers: 0 of 3 replicas of deployment shop/checkout available'.")
    public String reason;
}
