package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.time.Instant;

/** One thing that happened. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimelineEntry {
    /** Longest message, in characters; a longer one is cut. */
    public static final int MESSAGE_LIMIT = 1024;

    @Required
    @JsonPropertyDescription("When it happened.")
    public Instant time;

    @Required
    @JsonPropertyDescription("What kind of thing happened.")
    public TimelineType type;

    @Required
    @Size(max = TimelineEntry.MESSAGE_LIMIT)
    @JsonPropertyDescription("What happened, in words.")
    public String message;

    public TimelineEntry() {}

    public TimelineEntry(Instant time, TimelineType type, String message) {
        this.time = time;
        this.type = type;
        this.message = message;
    }
}
