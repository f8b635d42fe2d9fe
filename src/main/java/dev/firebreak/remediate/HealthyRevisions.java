package dev.firebreak.remediate;

import dev.firebreak.classify.Workloads;
import dev.firebreak.intake.rollout.RolloutScope;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Remembers which Deployment revisions were healthy, on their ReplicaSets (annotation
 * {@value DeploymentRollback#OBSERVED_HEALTHY}), so that a rollback restores a revision known good and survives an
 * operator restart. Done when a Deployment is fully rolled out and available, once per revision, for Deployments a
 * rollback could concern: in namespaces with rollout detection or auto-rollback, or annotated for auto-rollback.
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

    public void observe(Deployment d) {
        String namespace = d.getMetadata().getNamespace();
        long revision = DeploymentRollback.revision(d.getMetadata().getAnnotations());
        String key = d.getMetadata().getUid() + "@" + revision;
        if (revision == 0 || marked.contains(key) || !Workloads.rolledOut(d) || !concerned(d)) {
            return;
        }
        try {
            for (ReplicaSet rs : client.apps().replicaSets().inNamespace(namespace)
                    .withLabelSelector(d.getSpec().getSelector()).list().getItems()) {
                if (DeploymentRollback.revision(rs.getMetadata().getAnnotations()) != revision
                        || rs.getMetadata().getOwnerReferences().stream()
                                .noneMatch(o -> o.getUid() != null && o.getUid().equals(d.getMetadata().getUid()))) {
                    continue;
                }
                if (rs.getMetadata().getAnnotations() == null
                        || !rs.getMetadata().getAnnotations().containsKey(DeploymentRollback.OBSERVED_HEALTHY)) {
                    client.resource(rs).patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"" + DeploymentRollback.OBSERVED_HEALTHY + "\":\""
                                    + clock.instant().truncatedTo(ChronoUnit.SECONDS) + "\"}}}");
                    LOG.debugf("revision %d of Deployment %s/%s observed healthy", revision, namespace,
                            d.getMetadata().getName());
                }
                marked.add(key);
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot record revision %d of Deployment %s/%s as healthy: %s", revision, namespace,
                    d.getMetadata().getName(), e.getMessage());
        }
    }

    private boolean concerned(Deployment d) {
        Map<String, String> annotations = d.getMetadata().getAnnotations();
        return scope.covers(d.getMetadata().getNamespace())
                || (annotations != null && "true".equals(annotations.get(RollbackGuard.ANNOTATION)))
                || "true".equals(scope.labels(d.getMetadata().getNamespace()).get(RollbackGuard.ANNOTATION));
    }
}
