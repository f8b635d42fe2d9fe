package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/** A status that carries standard conditions and observedGeneration. */
public interface HasConditions {
    @JsonIgnore
    List<Condition> getConditions();

    void setObservedGeneration(Long generation);
}
