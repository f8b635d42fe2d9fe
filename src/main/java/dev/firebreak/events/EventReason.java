package dev.firebreak.events;

/** The reasons of the Kubernetes Events Firebreak records; each decision has one. */
public enum EventReason {
    /** A resource became invalid, or its problems changed (Warning). */
    Invalid,
    /** A resource that was invalid became valid again (Normal). */
    Valid,
    /** An incident's severity, impact or urgency changed (Normal; Warning when it got worse). */
    Classified,
    /** An incident entered a phase (Normal). */
    Triggered,
    Acknowledged,
    Mitigating,
    Mitigated,
    Resolved,
    /** A resolved incident's evidence returned, or a human un-resolved it (Warning). */
    Reopened,
    /** The intake opened an incident for an alert group or a failing rollout (Warning). */
    Opened,
    /** A workload's rollout failed; recorded on the workload, naming its incident (Warning). */
    RolloutFailing,
    /** An alert of the incident started firing, or fired again (Warning). */
    AlertFiring,
    /** An alert of the incident resolved (Normal). */
    AlertResolved
}
