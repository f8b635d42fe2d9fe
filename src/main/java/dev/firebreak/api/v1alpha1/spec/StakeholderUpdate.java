package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.ApiGroup;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.time.Instant;

/** A message for stakeholders; each one is sent to every channel already notified. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StakeholderUpdate {
    @Required
    @Size(min = 1, max = 4096)
    @JsonPropertyDescription("The update, written for people outside the response team.")
    public String message;

    @Pattern(ApiGroup.DURATION_PATTERN)
    @JsonPropertyDescription(
            "Expected time to the next milestone or to resolution, counted from 'time' (for example 30m).")
    public String eta;

    @Size(max = 128)
    @JsonPropertyDescription("Who wrote the update.")
    public String author;

    @JsonPropertyDescription(
            "When the update was written. 'kubectl firebreak update' sets it; when unset, the time Firebreak first saw the update is used.")
    public Instant time;
}
