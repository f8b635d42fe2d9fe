package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.ApiGroup;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One improvement to make so that the incident does not happen again. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ActionItem {
    @Required
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription("What to do.")
    public String description;

    @Size(max = 128)
    @JsonPropertyDescription("Who is responsible.")
    public String owner;

    @Pattern(ApiGroup.DATE_PATTERN)
    @JsonPropertyDescription("When it is due, YYYY-MM-DD; an item not done by the end of that day (UTC) is overdue.")
    public String dueDate;

    @JsonPropertyDescription("True once it is done.")
    public boolean done;
}
