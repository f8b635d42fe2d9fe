package dev.firebreak.api.v1alpha1;

/** How fast the incident needs a response, most urgent first. */
public enum Urgency {
    Immediate,
    High,
    Medium,
    Low
}
