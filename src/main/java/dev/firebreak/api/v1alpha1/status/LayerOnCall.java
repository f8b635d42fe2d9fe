package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Who a layer has on call now. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LayerOnCall {
    @JsonPropertyDescription("Name of the layer.")
    public String layer;

    @JsonPropertyDescription(
            "Name of the person on call in this layer; unset when the layer is outside its restrictions.")
    public String person;
}
