package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The one delivery that carried several incidents' notifications to one destination over its rate. */
public class DigestRef {
    @JsonPropertyDescription(
            "The digest's id: the first notification's incident UID and id, and how many others it carried.")
    public String id;

    @JsonPropertyDescription("How many incidents it named, this one included.")
    public Integer incidents;

    public DigestRef() {}

    public DigestRef(String id, Integer incidents) {
        this.id = id;
        this.incidents = incidents;
    }
}
