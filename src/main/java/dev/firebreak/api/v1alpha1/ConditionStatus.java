package dev.firebreak.api.v1alpha1;

/** The status of a condition, as Kubernetes spells it. */
public enum ConditionStatus {
    True,
    False,
    Unknown
}
