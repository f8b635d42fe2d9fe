package dev.firebreak.api.v1alpha1;

import java.util.List;

/**
 * A status that carries standard conditions and observedGeneration. The accessors name the same JSON properties as
 * the implementing fields, so they add nothing to the schema.
 */
public interface HasConditions {
    List<Condition> getConditions();

    void setObservedGeneration(Long generation);
}
