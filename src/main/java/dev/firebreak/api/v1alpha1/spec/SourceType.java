package dev.firebreak.api.v1alpha1.spec;

/** Where an incident came from. */
public enum SourceType {
    Alertmanager,
    Rollout,
    Manual
}
