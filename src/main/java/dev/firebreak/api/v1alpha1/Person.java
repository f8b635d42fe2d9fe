package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A responder and how to reach them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Person {
    @Required
    @Size(min = 1, max = 128)
    @JsonPropertyDescription("Name of the person, as shown to responders and used by 'kubectl firebreak ack --by'.")
    public String name;

    @Size(max = 254)
    @Pattern(ApiGroup.EMAIL_PATTERN)
    @JsonPropertyDescription("Email address; pages go here when an email channel is configured.")
    public String email;

    @Size(max = 32)
    @Pattern("^\\+?[0-9 ()-]{3,31}$")
    @JsonPropertyDescription("Phone number in international format, for the responders' reference.")
    public String phone;

    @Size(max = 32)
    @JsonPropertyDescription("Slack member ID (for example U024BE7LH), mentioned in Slack messages.")
    public String slackUserId;

    public Person() {}

    public Person(String name, String email) {
        this.name = name;
        this.email = email;
    }
}
