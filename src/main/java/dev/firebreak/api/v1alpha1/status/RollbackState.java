package dev.firebreak.api.v1alpha1.status;

/** Where a rollback stands. */
public enum RollbackState {
    /** Firebreak proposes a rollback and waits for a human to approve it. */
    Proposed,
    /** The rollback patch was accepted; Firebreak waits for the rollout to become available. */
    InProgress,
    /** The workload became available on the target revision. */
    Succeeded,
    /** The rollback was attempted and did not make the workload available. */
    Failed,
    /** Firebreak decided not to roll back; the reason says why. */
    Skipped
}
