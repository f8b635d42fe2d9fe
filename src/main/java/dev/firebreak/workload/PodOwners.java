package dev.firebreak.workload;

import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.kubeapi.Clients;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The workload a pod belongs to, by controller owner references: Pod -> ReplicaSet -> Deployment, or Pod ->
 * StatefulSet / DaemonSet. Two GETs at most, by name (RBAC: get on pods and replicasets, never list). Best effort: a
 * pod that is gone, or an API error, names no workload, and the incident opens without it.
 */
@ApplicationScoped
public class PodOwners {
    private static final Logger LOG = Logger.getLogger(PodOwners.class);

    private final KubernetesClient client;

    public PodOwners(KubernetesClient client) {
        // Called while a webhook request waits: a failure names no workload at once, never after fabric8's retries.
        this.client = Clients.withoutRetries(client);
    }

    public Optional<WorkloadRef> workloadOf(String namespace, String pod) {
        try {
            Pod p = client.pods().inNamespace(namespace).withName(pod).get();
            Optional<OwnerReference> owner = controller(p);
            if (owner.isEmpty()) {
                return Optional.empty();
            }
            return switch (owner.get().getKind()) {
                case "StatefulSet" ->
                    Optional.of(new WorkloadRef(
                            WorkloadKind.StatefulSet, owner.get().getName()));
                case "DaemonSet" ->
                    Optional.of(
                            new WorkloadRef(WorkloadKind.DaemonSet, owner.get().getName()));
                case "ReplicaSet" ->
                    controller(client.apps()
                                    .replicaSets()
                                    .inNamespace(namespace)
                                    .withName(owner.get().getName())
                                    .get())
                            .filter(o -> "Deployment".equals(o.getKind()))
                            .map(o -> new WorkloadRef(WorkloadKind.Deployment, o.getName()));
                default -> Optional.empty();
            };
        } catch (KubernetesClientException e) {
            LOG.debugf("cannot resolve the owner of pod %s/%s: %s", namespace, pod, e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<OwnerReference> controller(HasMetadata object) {
        if (object == null || object.getMetadata().getOwnerReferences() == null) {
            return Optional.empty();
        }
        return object.getMetadata().getOwnerReferences().stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst();
    }
}
