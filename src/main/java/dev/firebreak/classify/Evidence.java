package dev.firebreak.classify;

import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.workload.WorkloadHealth;
import java.util.List;

/** Whether what opened an incident is over: the lifecycle auto-resolves on it, a rollback waits for it. Pure. */
public final class Evidence {
    private Evidence() {}

    /**
     * Every alert resolved (an Alertmanager incident), or every affected workload healthy again (a rollout one): all
     * replicas available and the latest revision fully rolled out, since old replicas stay available while a new
     * revision crash-loops.
     */
    public static boolean over(IncidentSpec spec, IncidentStatus status, List<WorkloadHealth> workloads) {
        if (spec.source != null && spec.source.type == SourceType.Rollout) {
            return !workloads.isEmpty()
                    && workloads.stream()
                            .allMatch(w -> w.found() && w.desired() > 0 && w.unavailable() == 0 && w.rolledOut());
        }
        // The summary counts the whole group, alerts with no room in status.alerts included.
        var summary = status == null ? null : status.alertsSummary;
        if (summary != null && summary.firing != null) {
            return summary.firing == 0 && summary.resolved != null && summary.resolved > 0;
        }
        List<AlertRecord> alerts = status == null ? List.of() : status.alerts;
        return !alerts.isEmpty() && alerts.stream().allMatch(a -> a.state == AlertState.Resolved);
    }
}
