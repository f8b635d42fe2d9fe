package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.ApiGroup;
import dev.firebreak.api.v1alpha1.Person;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One rotation of people. Layers listed later are higher: where they have someone on call, they win. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ScheduleLayer {
    @Required
    @Size(min = 1, max = 63)
    @JsonPropertyDescription("Name of the layer, unique in the schedule.")
    public String name;

    @Required
    @Size(min = 1, max = 100)
    @JsonPropertyDescription("People in rotation order.")
    public List<Person> participants = new ArrayList<>();

    @JsonPropertyDescription("How often the on-call person changes.")
    public Rotation rotation = new Rotation();

    @Default("09:00")
    @Pattern(ApiGroup.TIME_OF_DAY_PATTERN)
    @JsonPropertyDescription(
            "Time of day of every handoff, HH:mm in the schedule's time zone. Weekly rotations hand off on the weekday of 'start', custom ones every 'length' from the first handoff.")
    public String handoffTime = "09:00";

    @Required
    @JsonPropertyDescription(
            "When the rotation begins, with the first participant on call (RFC 3339); the first handoff is at the first handoffTime after it.")
    public Instant start;

    @Size(max = 14)
    @JsonPropertyDescription("Days and hours the layer is active; empty means always.")
    public List<Restriction> restrictions = new ArrayList<>();
}
