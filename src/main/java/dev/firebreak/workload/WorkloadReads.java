package dev.firebreak.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The API reads about one workload that no cache holds (Firebreak does not watch ReplicaSets, ControllerRevisions or
 * pods): each a LIST in the workload's namespace by its selector, so never every object of a kind.
 */
@ApplicationScoped
public class WorkloadReads {
    private final KubernetesClient client;

    public WorkloadReads(KubernetesClient client) {
        this.client = client;
    }

    /** The workload's revision objects: ReplicaSets of a Deployment, ControllerRevisions otherwise; only its own. */
    public List<? extends HasMetadata> listRevisions(Workload workload) {
        return workload instanceof Workload.OfDeployment d ? listReplicaSets(d) : listControllerRevisions(workload);
    }

    public List<ReplicaSet> listReplicaSets(Workload.OfDeployment deployment) {
        return deployment.controlled(client.apps()
                .replicaSets()
                .inNamespace(deployment.namespace())
                .withLabelSelector(deployment.selector())
                .list()
                .getItems());
    }

    public List<ControllerRevision> listControllerRevisions(Workload workload) {
        return workload.controlled(client.apps()
                .controllerRevisions()
                .inNamespace(workload.namespace())
                .withLabelSelector(workload.selector())
                .list()
                .getItems());
    }

    /** The workload's pods of one revision (its {@link Workload#podRevisionLabel()} value), never all its pods. */
    public List<Pod> listPods(Workload workload, String revisionHash) {
        return client.pods()
                .inNamespace(workload.namespace())
                .withLabelSelector(workload.selector())
                .withLabel(workload.podRevisionLabel(), revisionHash)
                .list()
                .getItems();
    }
}
