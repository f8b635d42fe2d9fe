package dev.firebreak.api.v1alpha1.spec;

/** The kinds of workload Firebreak can observe and roll back. */
public enum WorkloadKind {
    Deployment,
    StatefulSet,
    DaemonSet
}
