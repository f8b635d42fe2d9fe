package dev.firebreak.intake.rollout;

import dev.firebreak.workload.Revisions;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.time.Instant;
import java.util.Map;

/**
 * Workloads, revisions and pods as their controllers and the kubelet leave them, for the rollout tests (unit and mock
 * API server). Every object carries a uid; owned objects point at their owner's.
 */
public final class RolloutFixtures {
    public static final String NS = "shop";

    private RolloutFixtures() {}

    /** A Deployment at {@code revision}, {@code replicas} wanted, {@code updated} of them on it, {@code available} up. */
    public static Deployment deployment(
            String name, int revision, int replicas, int updated, int available, DeploymentCondition... conditions) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withUid("uid-" + name)
                .withGeneration(2L)
                .addToAnnotations(Revisions.REVISION, Integer.toString(revision))
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
                .withImage("shop/" + name + ":" + revision)
                .endContainer()
                .addNewContainer()
                .withName("proxy")
                .withImage("envoy:1.30")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(2L)
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(available)
                .withAvailableReplicas(available)
                .withConditions(conditions)
                .endStatus()
                .build();
    }

    public static DeploymentCondition condition(String type, String status, String reason) {
        return new DeploymentConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(type + " " + reason)
                .build();
    }

    public static ReplicaSet replicaSet(Deployment owner, int revision, String hash) {
        return new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(owner.getMetadata().getName() + "-" + hash)
                .withNamespace(NS)
                .withUid("uid-rs-" + hash)
                .addToAnnotations(Revisions.REVISION, Integer.toString(revision))
                .addToLabels("app", owner.getMetadata().getName())
                .addToLabels(Revisions.POD_TEMPLATE_HASH, hash)
                .withOwnerReferences(owner(owner, "Deployment"))
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", owner.getMetadata().getName())
                .addToMatchLabels(Revisions.POD_TEMPLATE_HASH, hash)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", owner.getMetadata().getName())
                .addToLabels(Revisions.POD_TEMPLATE_HASH, hash)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("shop/" + owner.getMetadata().getName() + ":" + revision)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    public static StatefulSet statefulSet(String name, String currentRevision, String updateRevision) {
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withUid("uid-" + name)
                .withGeneration(2L)
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("db")
                .withImage("postgres:17")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(2L)
                .withReplicas(3)
                .withReadyReplicas(2)
                .withAvailableReplicas(2)
                .withUpdatedReplicas(1)
                .withCurrentRevision(currentRevision)
                .withUpdateRevision(updateRevision)
                .endStatus()
                .build();
    }

    public static DaemonSet daemonSet(String name) {
        return new DaemonSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withUid("uid-" + name)
                .withGeneration(2L)
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("agent")
                .withImage("vector:0.40")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(2L)
                .withDesiredNumberScheduled(3)
                .withNumberAvailable(2)
                .withUpdatedNumberScheduled(1)
                .withCurrentNumberScheduled(3)
                .withNumberMisscheduled(0)
                .withNumberReady(2)
                .endStatus()
                .build();
    }

    public static ControllerRevision revision(HasMetadata owner, String kind, long revision, String hash) {
        return new ControllerRevisionBuilder()
                .withNewMetadata()
                .withName(owner.getMetadata().getName() + "-" + hash)
                .withNamespace(NS)
                .addToLabels("app", owner.getMetadata().getName())
                .addToLabels(Revisions.CONTROLLER_REVISION_HASH, hash)
                .withOwnerReferences(owner(owner, kind))
                .endMetadata()
                .withRevision(revision)
                .withData(Map.of("spec", Map.of("template", Map.of("$patch", "replace"))))
                .build();
    }

    /** A pod owned by {@code owner}, labelled with its revision, started at {@code started}. */
    public static Pod pod(
            String name,
            HasMetadata owner,
            String ownerKind,
            String revisionLabel,
            String revision,
            Instant started,
            ContainerStatus... statuses) {
        String app = owner.getMetadata().getLabels() != null
                        && owner.getMetadata().getLabels().containsKey("app")
                ? owner.getMetadata().getLabels().get("app")
                : owner.getMetadata().getName();
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withUid("uid-" + name)
                .addToLabels("app", app)
                .addToLabels(revisionLabel, revision)
                .withCreationTimestamp(started.toString())
                .withOwnerReferences(owner(owner, ownerKind))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("x")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withStartTime(started.toString())
                .withContainerStatuses(statuses)
                .endStatus()
                .build();
    }

    public static ContainerStatus waiting(String reason, int restarts) {
        return new ContainerStatusBuilder()
                .withName("app")
                .withImage("x")
                .withReady(false)
                .withRestartCount(restarts)
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(reason + " for x")
                .endWaiting()
                .endState()
                .build();
    }

    public static ContainerStatus running() {
        return new ContainerStatusBuilder()
                .withName("app")
                .withImage("x")
                .withReady(true)
                .withRestartCount(0)
                .withNewState()
                .withNewRunning()
                .withStartedAt("2026-11-24T00:00:00Z")
                .endRunning()
                .endState()
                .build();
    }

    private static OwnerReference owner(HasMetadata owner, String kind) {
        return new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind(kind)
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .build();
    }
}
