package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.ApiGroup;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Limits a layer to some days and hours, in the schedule's time zone. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Restriction {
    @Size(max = 7)
    @JsonPropertyDescription(
            "Days the layer is active; empty means every day. A window that spans midnight belongs to the day it starts on.")
    public List<Weekday> days = new ArrayList<>();

    @Required
    @Pattern(ApiGroup.TIME_OF_DAY_PATTERN)
    @JsonPropertyDescription("Start of the active hours, HH:mm.")
    public String from;

    @Required
    @Pattern(ApiGroup.TIME_OF_DAY_PATTERN)
    @JsonPropertyDescription(
            "End of the active hours, HH:mm (exclusive). An end at or before the start spans midnight.")
    public String to;
}
