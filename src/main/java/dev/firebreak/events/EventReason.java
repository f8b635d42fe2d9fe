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
    /** A new incident, at its first reconcile, whatever opened it: an alert group, a failing rollout, a human (Warning). */
    Opened,
    /** A workload's rollout failed; recorded on the workload, naming its incident (Warning). */
    RolloutFailing,
    /** Firebreak proposes a rollback and waits for approval; on the incident and the workload (Normal). */
    RollbackProposed,
    /** Firebreak decided not to roll back, or could not; the message says why (Normal). */
    RollbackSkipped,
    /** The rollback patch was accepted (Warning: Firebreak changed a workload). */
    RollbackStarted,
    /**
     * A StatefulSet's forced rollback deleted a pod of the bad revision that never became Ready (OrderedReady waits
     * for it forever); on the incident and the StatefulSet (Warning).
     */
    BadPodDeleted,
    /** The rolled-back workload is available again (Normal). */
    RollbackSucceeded,
    /** The rolled-back workload did not become available in time (Warning). */
    RollbackFailed,
    /** Alerts of the incident started firing, or fired again; one Event per reconcile names them all (Warning). */
    AlertFiring,
    /** Alerts of the incident resolved; one Event per reconcile names them all (Normal). */
    AlertResolved,
    /** The person an OnCallSchedule has on call changed (Normal). */
    OnCallChanged,
    /** An incident was bound to an EscalationPolicy, or to none (Normal; Warning when none applies). */
    PolicyBound,
    /**
     * A step of a reconcile failed (the rollback, escalation, review creation or reminders); the others ran and the
     * status was written; the step is retried with backoff (Warning).
     */
    StepFailed,
    /** A whole reconcile failed; the operator SDK retries it with backoff (Warning). */
    ReconcileFailed,
    /** An escalation level fired (Warning: people are being paged). */
    Escalated,
    /** A notification was delivered (Normal). */
    Notified,
    /** A notification could not be delivered; the message says why, with credentials redacted (Warning). */
    NotificationFailed,
    /** A post-incident review was created for a resolved incident, or its sections were pre-filled (Normal). */
    ReviewDrafted,
    /** More of a review's action items passed their due date (Warning). */
    ActionItemsOverdue,
    /** Overdue action items were reminded through the incident's notification channels (Normal). */
    ActionItemsReminded
}
