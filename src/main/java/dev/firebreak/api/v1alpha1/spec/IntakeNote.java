package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Something the intake changed or left out to store what it was sent, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IntakeNote {
    @Required
    @Size(min = 1, max = 256)
    @JsonPropertyDescription(
            "The field of the notification concerned, for example commonLabels.namespace or alerts[3].labels.deployment.")
    public String field;

    @Required
    @Size(min = 1, max = 512)
    @JsonPropertyDescription("What was done with it and why.")
    public String message;

    public IntakeNote() {}

    public IntakeNote(String field, String message) {
        this.field = field;
        this.message = message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntakeNote n && Objects.equals(field, n.field) && Objects.equals(message, n.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(field, message);
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
