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
        return new WorkloadHealth(ref, namespace, true, desired, available, critical, rolledOut(workload));
    }

    /**
     * Whether the workload's latest revision is fully rolled out, as {@code kubectl rollout status} decides: the
     * controller has seen the latest spec, no progress deadline was exceeded, every replica runs the latest revision
     * and is available.
     */
    public static boolean rolledOut(HasMetadata workload) {
        Long generation = workload.getMetadata().getGeneration();
        if (workload instanceof Deployment d) {
            var s = d.getStatus();
            int desired = orZero(d.getSpec().getReplicas(), 1);
            return s != null && caughtUp(generation, s.getObservedGeneration())
                    && s.getConditions().stream().noneMatch(c -> ("Progressing".equals(c.getType())
                            && "False".equals(c.getStatus())) || ("ReplicaFailure".equals(c.getType())
                            && "True".equals(c.getStatus())))
                    && orZero(s.getUpdatedReplicas(), 0) >= desired && orZero(s.getAvailableReplicas(), 0) >= desired
                    && orZero(s.getReplicas(), 0) <= desired;
        }
        if (workload instanceof StatefulSet st) {
            var s = st.getStatus();
            int desired = orZero(st.getSpec().getReplicas(), 1);
            return s != null && caughtUp(generation, s.getObservedGeneration())
                    && (s.getUpdateRevision() == null || s.getUpdateRevision().equals(s.getCurrentRevision())
                            || orZero(s.getUpdatedReplicas(), 0) >= desired)
                    && orZero(s.getAvailableReplicas(), 0) >= desired;
        }
        if (workload instanceof DaemonSet ds) {
            var s = ds.getStatus();
            if (s == null) {
                return false;
            }
            int desired = orZero(s.getDesiredNumberScheduled(), 0);
            return caughtUp(generation, s.getObservedGeneration())
                    && orZero(s.getUpdatedNumberScheduled(), 0) >= desired
                    && orZero(s.getNumberAvailable(), 0) >= desired;
        }
        throw new IllegalArgumentException("not a workload: " + workload.getKind());
    }

    private static boolean caughtUp(Long generation, Long observed) {
        return generation == null || observed == null || observed >= generation;
    }

    private static int orZero(Integer value, int absent) {
        return value == null ? absent : value;
    }
}
