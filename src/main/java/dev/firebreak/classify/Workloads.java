package dev.firebreak.classify;

import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Optional;

/** Reads desired and available replicas off a Deployment, StatefulSet or DaemonSet. */
public final class Workloads {
    private Workloads() {
    }

    public static WorkloadHealth health(WorkloadRef ref, String namespace, Optional<? extends HasMetadata> found) {
        if (found.isEmpty()) {
            return new WorkloadHealth(ref, namespace, false, 0, 0, false);
        }
        HasMetadata workload = found.get();
        boolean critical = workload.getMetadata().getAnnotations() != null
                && "critical".equals(workload.getMetadata().getAnnotations().get(WorkloadHealth.TIER_ANNOTATION));
        int desired;
        int available;
        if (workload instanceof Deployment d) {
            desired = orZero(d.getSpec().getReplicas(), 1);
            available = d.getStatus() == null ? 0 : orZero(d.getStatus().getAvailableReplicas(), 0);
        } else if (workload instanceof StatefulSet s) {
            desired = orZero(s.getSpec().getReplicas(), 1);
            available = s.getStatus() == null ? 0 : orZero(s.getStatus().getAvailableReplicas(), 0);
        } else if (workload instanceof DaemonSet ds) {
            desired = ds.getStatus() == null ? 0 : orZero(ds.getStatus().getDesiredNumberScheduled(), 0);
            available = ds.getStatus() == null ? 0 : orZero(ds.getStatus().getNumberAvailable(), 0);
        } else {
            throw new IllegalArgumentException("not a workload: " + workload.getKind());
        }
        return new WorkloadHealth(ref, namespace, true, desired, available, critical);
    }

    private static int orZero(Integer value, int absent) {
        return value == null ? absent : value;
    }
}
