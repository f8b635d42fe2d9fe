package dev.firebreak.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Workloads as the tests need them, with the status a controller would have written. */
public final class TestWorkloads {
    private TestWorkloads() {}

    public static Deployment deployment(String namespace, String name, int replicas, int available) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("shop/" + name + ":1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withReadyReplicas(available)
                .withAvailableReplicas(available)
                .endStatus()
                .build();
    }

    /**
     * Creates {@code object} with its status, as a controller would have written it: a real API server ignores the
     * status of a create (it is a subresource) and assigns the UID, generation and creation time itself, so the
     * status is written after, on the object as created (whose UID owner references then point at).
     */
    public static <T extends HasMetadata> T create(KubernetesClient client, T object) {
        Object status = status(object);
        T created = client.resource(object).create();
        if (status == null) {
            return created;
        }
        setStatus(created, status);
        return client.resource(created).updateStatus();
    }

    private static Object status(HasMetadata o) {
        if (o instanceof Deployment d) {
            return d.getStatus();
        } else if (o instanceof StatefulSet s) {
            return s.getStatus();
        } else if (o instanceof DaemonSet d) {
            return d.getStatus();
        } else if (o instanceof ReplicaSet r) {
            return r.getStatus();
        } else if (o instanceof Pod p) {
            return p.getStatus();
        }
        return null;
    }

    private static void setStatus(HasMetadata o, Object status) {
        if (o instanceof Deployment d) {
            d.setStatus((DeploymentStatus) status);
        } else if (o instanceof StatefulSet s) {
            s.setStatus((StatefulSetStatus) status);
        } else if (o instanceof DaemonSet d) {
            d.setStatus((DaemonSetStatus) status);
        } else if (o instanceof ReplicaSet r) {
            r.setStatus((ReplicaSetStatus) status);
        } else if (o instanceof Pod p) {
            p.setStatus((PodStatus) status);
        }
    }
}
