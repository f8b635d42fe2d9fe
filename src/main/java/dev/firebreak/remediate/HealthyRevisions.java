package dev.firebreak.remediate;

import dev.firebreak.classify.Workloads;
import dev.firebreak.intake.rollout.RolloutScope;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Remembers which revisions were healthy, on their ReplicaSets (Deployments) or ControllerRevisions (StatefulSets,
 * DaemonSets), annotation {@value DeploymentRollback#OBSERVED_HEALTHY}, so that a rollback restores a revision known
 * good and survives an operator restart. Done when a workload is fully rolled out and available, once per revision,
 * for workloads a rollback could concern: in namespaces with rollout detection or auto-rollback, or annotated for
 * auto-rollback.
 */
@ApplicationScoped
public class HealthyRevisions {
    private static final Logger LOG = Logger.getLogger(HealthyRevisions.class);

    private final KubernetesClient client;
    private final RolloutScope scope;
    private final Clock clock;
    private final Set<String> marked = ConcurrentHashMap.newKeySet();

    public HealthyRevisions(KubernetesClient client, RolloutScope scope, Clock clock) {
        this.client = client;
        this.scope = scope;
        this.clock = clock;
    }

    public void observe(HasMetadata workload) {
        if (!Workloads.rolledOut(workload) || !concerned(workload)) {
            return;
        }
        try {
            if (workload instanceof Deployment d) {
                observeDeployment(d);
            } else {
                observeRevisions(workload);
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot record the healthy revision of %s %s/%s: %s", workload.getKind(),
                    workload.getMetadata().getNamespace(), workload.getMetadata().getName(), e.getMessage());
        }
    }

    private void observeDeployment(Deployment d) {
        long revision = DeploymentRollback.revision(d.getMetadata().getAnnotations());
        String key = d.getMetadata().getUid() + "@" + revision;
        if (revision == 0 || marked.contains(key)) {
            return;
        }
        for (ReplicaSet rs : client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace())
                .withLabelSelector(d.getSpec().getSelector()).list().getItems()) {
            if (DeploymentRollback.revision(rs.getMetadata().getAnnotations()) == revision && ownedBy(rs, d)) {
                mark(rs);
                marked.add(key);
            }
        }
    }

    /** StatefulSets (status.updateRevision) and DaemonSets (the newest ControllerRevision). */
    private void observeRevisions(HasMetadata workload) {
        String namespace = workload.getMetadata().getNamespace();
        LabelSelector selector = workload instanceof StatefulSet s ? s.getSpec().getSelector()
                : ((DaemonSet) workload).getSpec().getSelector();
        String updateRevision = workload instanceof StatefulSet s && s.getStatus() != null
                ? s.getStatus().getUpdateRevision() : null;
        if (updateRevision != null && marked.contains(workload.getMetadata().getUid() + "@" + updateRevision)) {
            return;
        }
        List<ControllerRevision> owned = client.apps().controllerRevisions().inNamespace(namespace)
                .withLabelSelector(selector).list().getItems().stream().filter(r -> ownedBy(r, workload)).toList();
        Optional<ControllerRevision> current = updateRevision != null
                ? owned.stream().filter(r -> r.getMetadata().getName().equals(updateRevision)).findFirst()
                : owned.stream().max(Comparator.comparingLong(RevisionRollback::number));
        current.ifPresent(r -> {
            String key = workload.getMetadata().getUid() + "@" + r.getMetadata().getName();
            if (!marked.contains(key)) {
                mark(r);
                marked.add(key);
            }
        });
    }

    private void mark(HasMetadata revision) {
        if (revision.getMetadata().getAnnotations() != null
                && revision.getMetadata().getAnnotations().containsKey(DeploymentRollback.OBSERVED_HEALTHY)) {
            return;
        }
        client.resource(revision).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + DeploymentRollback.OBSERVED_HEALTHY + "\":\""
                        + clock.instant().truncatedTo(ChronoUnit.SECONDS) + "\"}}}");
        LOG.debugf("%s %s/%s observed healthy", revision.getKind(), revision.getMetadata().getNamespace(),
                revision.getMetadata().getName());
    }

    private static boolean ownedBy(HasMetadata child, HasMetadata owner) {
        return child.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> o.getUid() != null && o.getUid().equals(owner.getMetadata().getUid()));
    }

    private boolean concerned(HasMetadata w) {
        Map<String, String> annotations = w.getMetadata().getAnnotations();
        return scope.covers(w.getMetadata().getNamespace())
                || (annotations != null && "true".equals(annotations.get(RollbackGuard.ANNOTATION)))
                || "true".equals(scope.labels(w.getMetadata().getNamespace()).get(RollbackGuard.ANNOTATION));
    }
}
