package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.time.Instant;
import java.util.Objects;

/** A standard Kubernetes condition (metav1.Condition). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
    @Required
    @Size(max = 316)
    @JsonPropertyDescription("Type of the condition in CamelCase, for example Ready.")
    public String type;

    @Required
    @JsonPropertyDescription("Status of the condition: True, False or Unknown.")
    public ConditionStatus status;

    @Required
    @Size(min = 1, max = 1024)
    @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
    @JsonPropertyDescription("Machine-readable reason for the condition's last transition, in CamelCase.")
    public String reason;

    @Size(max = 32768)
    @JsonPropertyDescription("Human-readable message with details about the last transition.")
    public String message;

    @Required
    @JsonPropertyDescription("Last time the condition's status changed (not merely its message).")
    public Instant lastTransitionTime;

    @JsonPropertyDescription("The metadata.generation the condition was set for.")
    public Long observedGeneration;

    public Condition() {}

    public Condition(String type, ConditionStatus status, String reason, String message) {
        this.type = type;
        this.status = status;
        this.reason = reason;
        this.message = message;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Condition c)) {
            return false;
        }
        return Objects.equals(type, c.type)
                && status == c.status
                && Objects.equals(reason, c.reason)
                && Objects.equals(message, c.message)
                && Objects.equals(lastTransitionTime, c.lastTransitionTime)
                && Objects.equals(observedGeneration, c.observedGeneration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
    }

    @Override
    public String toString() {
        return type + "=" + status + " (" + reason + "): " + message;
    }
}
