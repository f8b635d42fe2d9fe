package dev.firebreak.workload;

import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;

/**
 * What Firebreak measured of one affected workload: desired and available replicas, whether it is annotated
 * {@code firebreak.dev/tier: critical}, and whether its latest revision is fully rolled out (every replica updated and
 * available, no failed-progress condition). {@code found} is false when the workload does not exist.
 */
public record WorkloadHealth(
        WorkloadRef workload,
        String namespace,
        boolean found,
        int desired,
        int available,
        boolean critical,
        boolean rolledOut) {
    public static final String TIER_ANNOTATION = "firebreak.dev/tier";

    /** A measurement with no rollout in progress: rolled out when every replica is available. */
    public WorkloadHealth(
            WorkloadRef workload, String namespace, boolean found, int desired, int available, boolean critical) {
        this(workload, namespace, found, desired, available, critical, found && available >= desired);
    }

    /** What the workload found (or its absence) shows now. */
    public static WorkloadHealth of(WorkloadRef ref, String namespace, Optional<? extends HasMetadata> found) {
        if (found.isEmpty()) {
            return new WorkloadHealth(ref, namespace, false, 0, 0, false);
        }
        Workload w = Workload.of(found.get());
        var annotations = w.object().getMetadata().getAnnotations();
        boolean critical = annotations != null && "critical".equals(annotations.get(TIER_ANNOTATION));
        return new WorkloadHealth(ref, namespace, true, w.desired(), w.available(), critical, w.rolledOut());
    }

    public int unavailable() {
        return Math.max(0, desired - available);
    }

    public String describe() {
        return available + " of " + desired + " replicas of "
                + workload.kind.name().toLowerCase() + " " + namespace + "/" + workload.name + " available"
                + (critical ? " (tier critical)" : "");
    }
}
