package dev.firebreak.api.v1alpha1.spec;

/** Whether Firebreak may roll back the affected workload. */
public enum RollbackMode {
    /** Roll back without waiting for a human, within the guardrails. */
    Auto,
    /** Propose the rollback in status and wait for 'kubectl firebreak approve-rollback'. */
    Manual,
    /** Never roll back for this incident, whatever the workload or namespace opt-in says. */
    Disabled
}
