package dev.firebreak.events;

/** The reasons of the Kubernetes Events Firebreak records; each decision has one. */
public enum EventReason {
    /** A resource became invalid, or its problems changed (Warning). */
    Invalid,
    /** A resource that was invalid became valid again (Normal). */
    Valid
}
