package dev.firebreak.classify;

import dev.firebreak.api.v1alpha1.spec.WorkloadRef;

/**
 * What Firebreak measured of one affected workload: desired and available replicas, and whether it is annotated
 * {@code firebreak.dev/tier: critical}. {@code found} is false when the workload does not exist.
 */
public record WorkloadHealth(WorkloadRef workload, String namespace, boolean found, int desired, int available,
        boolean critical) {
    public static final String TIER_ANNOTATION = "firebreak.dev/tier";

    public int unavailable() {
        return Math.max(0, desired - available);
    }

    public String describe() {
        return available + " of " + desired + " replicas of " + workload.kind.name().toLowerCase() + " " + namespace
                + "/" + workload.name + " available" + (critical ? " (tier critical)" : "");
    }
}
