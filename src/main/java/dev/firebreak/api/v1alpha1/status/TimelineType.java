package dev.firebreak.api.v1alpha1.status;

/** What a timeline entry records. */
public enum TimelineType {
    Detected,
    AlertFiring,
    AlertResolved,
    Classified,
    Acknowledged,
    Escalated,
    Notified,
    RemediationProposed,
    RemediationStarted,
    RemediationSucceeded,
    RemediationFailed,
    Update,
    Resolved,
    Reopened,
    Note
}
