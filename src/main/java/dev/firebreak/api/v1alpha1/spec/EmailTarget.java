package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Email through the operator's SMTP server (plain text and HTML). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class EmailTarget {
    @Required
    @Size(min = 1, max = 50)
    @JsonPropertyDescription("Recipient addresses.")
    public List<String> to = new ArrayList<>();
}
