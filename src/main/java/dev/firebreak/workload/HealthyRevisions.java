package dev.firebreak.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Remembers which revisions were healthy, on their ReplicaSets (Deployments) or ControllerRevisions (StatefulSets,
 * DaemonSets), annotation {@value Revisions#OBSERVED_HEALTHY}, so that a rollback restores a revision known good and
 * survives an operator restart. Done when a workload is fully rolled out and available, once per revision, for
 * workloads a rollback could concern ({@link RolloutScope#coversRollbacks}).
 */
@ApplicationScoped
public class HealthyRevisions {
    private static final Logger LOG = Logger.getLogger(HealthyRevisions.class);

    private final KubernetesClient client;
    private final WorkloadReads reads;
    private final RolloutScope scope;
    private final Clock clock;
    private final Set<String> marked = ConcurrentHashMap.newKeySet();

    public HealthyRevisions(KubernetesClient client, WorkloadReads reads, RolloutScope scope, Clock clock) {
        this.client = client;
        this.reads = reads;
        this.scope = scope;
        this.clock = clock;
    }

    /** Annotates the revision in force as healthy when the workload is rolled out (at most once per revision). */
    public void recordHealthy(HasMetadata object) {
        Workload workload = Workload.of(object);
        if (!workload.rolledOut() || !scope.coversRollbacks(object)) {
            return;
        }
        try {
            // A Deployment names its revision itself; a StatefulSet's or DaemonSet's is known once listed.
            Optional<String> known = workload instanceof Workload.OfDeployment d
                    ? Optional.of(Long.toString(d.revision()))
                    : workload instanceof Workload.OfStatefulSet s ? s.updateRevision() : Optional.empty();
            if (known.filter(r -> r.equals("0") || marked.contains(key(object, r)))
                    .isPresent()) {
                return;
            }
            Optional<? extends HasMetadata> current = workload.current(reads.listRevisions(workload));
            if (workload instanceof Workload.OfDeployment d) {
                current = current.filter(rs -> Revisions.number(rs) == d.revision());
            }
            current.ifPresent(revision -> {
                String key = key(
                        object,
                        workload instanceof Workload.OfDeployment
                                ? Long.toString(Revisions.number(revision))
                                : revision.getMetadata().getName());
                if (!marked.contains(key)) {
                    mark(revision);
                    marked.add(key);
                }
            });
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "cannot record the healthy revision of %s %s/%s: %s",
                    object.getKind(),
                    object.getMetadata().getNamespace(),
                    object.getMetadata().getName(),
                    e.getMessage());
        }
    }

    private static String key(HasMetadata workload, String revision) {
        return workload.getMetadata().getUid() + "@" + revision;
    }

    private void mark(HasMetadata revision) {
        if (Revisions.observedHealthy(revision)) {
            return;
        }
        client.resource(revision)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        client.getKubernetesSerialization()
                                .asJson(Map.of(
                                        "metadata",
                                        Map.of(
                                                "annotations",
                                                Map.of(
                                                        Revisions.OBSERVED_HEALTHY,
                                                        clock.instant()
                                                                .truncatedTo(ChronoUnit.SECONDS)
                                                                .toString())))));
        LOG.debugf(
                "%s %s/%s observed healthy",
                revision.getKind(),
                revision.getMetadata().getNamespace(),
                revision.getMetadata().getName());
    }
}
