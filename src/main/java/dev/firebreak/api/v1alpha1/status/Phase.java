package dev.firebreak.api.v1alpha1.status;

/** Where an incident stands. */
public enum Phase {
    Triggered,
    Acknowledged,
    Mitigating,
    Mitigated,
    Resolved
}
