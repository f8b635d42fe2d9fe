package dev.firebreak.workload;

import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Deployment, StatefulSet or DaemonSet, read the one way Firebreak reads workloads: its selector and pod template,
 * replicas, whether its latest revision is rolled out, which objects it controls and which of its revisions is in
 * force. Detection, classification and remediation all read workloads through this. Pure.
 */
public sealed interface Workload permits Workload.OfDeployment, Workload.OfStatefulSet, Workload.OfDaemonSet {

    /** The workload this object is; {@link IllegalArgumentException} for any other kind. */
    static Workload of(HasMetadata object) {
        if (object instanceof Deployment d) {
            return new OfDeployment(d);
        }
        if (object instanceof StatefulSet s) {
            return new OfStatefulSet(s);
        }
        if (object instanceof DaemonSet ds) {
            return new OfDaemonSet(ds);
        }
        throw new IllegalArgumentException("not a workload: " + object.getKind());
    }

    HasMetadata object();

    WorkloadKind kind();

    LabelSelector selector();

    PodTemplateSpec template();

    /** Replicas wanted (a DaemonSet: the nodes it should run on). */
    int desired();

    int available();

    /**
     * Whether the latest revision is fully rolled out, as {@code kubectl rollout status} decides: the controller has
     * seen the latest spec, no progress deadline was exceeded, every replica runs the latest revision and is
     * available.
     */
    boolean rolledOut();

    /** The label a pod carries naming its revision: {@value Revisions#POD_TEMPLATE_HASH} or {@value Revisions#CONTROLLER_REVISION_HASH}. */
    String podRevisionLabel();

    /**
     * Among revision objects listed by this workload's selector (ReplicaSets for a Deployment, ControllerRevisions
     * otherwise), the one in force: a Deployment's by its revision annotation, a StatefulSet's by
     * {@code status.updateRevision}; otherwise (and for a DaemonSet) the newest.
     */
    <R extends HasMetadata> Optional<R> current(List<R> revisions);

    default String namespace() {
        return object().getMetadata().getNamespace();
    }

    default String name() {
        return object().getMetadata().getName();
    }

    default WorkloadRef ref() {
        return new WorkloadRef(kind(), name());
    }

    /** The pod template's container images, in order. */
    default List<String> images() {
        return images(template());
    }

    /**
     * Whether this workload controls that object (a ReplicaSet, ControllerRevision or pod), as Kubernetes' own
     * controllers decide: an owner reference with {@code controller: true} and this workload's UID (its kind and name
     * when it has no UID yet).
     */
    default boolean controls(HasMetadata child) {
        return controlledBy(child, object());
    }

    /** The objects among these that this workload controls. */
    default <R extends HasMetadata> List<R> controlled(List<R> children) {
        return children.stream().filter(this::controls).toList();
    }

    /** Whether {@code owner} controls {@code child}: the rule {@link #controls} states, for any owner. */
    static boolean controlledBy(HasMetadata child, HasMetadata owner) {
        List<OwnerReference> refs = child.getMetadata().getOwnerReferences();
        String uid = owner.getMetadata().getUid();
        return refs != null
                && refs.stream()
                        .anyMatch(r -> Boolean.TRUE.equals(r.getController())
                                && (uid != null
                                        ? uid.equals(r.getUid())
                                        : owner.getKind().equals(r.getKind())
                                                && owner.getMetadata().getName().equals(r.getName())));
    }

    static List<String> images(PodTemplateSpec template) {
        return template == null || template.getSpec() == null
                ? List.of()
                : template.getSpec().getContainers().stream()
                        .map(c -> c.getImage())
                        .filter(Objects::nonNull)
                        .toList();
    }

    private static <R extends HasMetadata> Optional<R> newest(List<R> revisions) {
        return revisions.stream().max(Comparator.comparingLong(Revisions::number));
    }

    private static boolean caughtUp(Long generation, Long observed) {
        return generation == null || observed == null || observed >= generation;
    }

    private static int orZero(Integer value, int absent) {
        return value == null ? absent : value;
    }

    record OfDeployment(Deployment object) implements Workload {
        @Override
        public WorkloadKind kind() {
            return WorkloadKind.Deployment;
        }

        @Override
        public LabelSelector selector() {
            return object.getSpec().getSelector();
        }

        @Override
        public PodTemplateSpec template() {
            return object.getSpec().getTemplate();
        }

        @Override
        public int desired() {
            return orZero(object.getSpec().getReplicas(), 1);
        }

        @Override
        public int available() {
            return object.getStatus() == null ? 0 : orZero(object.getStatus().getAvailableReplicas(), 0);
        }

        @Override
        public boolean rolledOut() {
            var s = object.getStatus();
            int desired = desired();
            return s != null
                    && caughtUp(object.getMetadata().getGeneration(), s.getObservedGeneration())
                    && s.getConditions().stream()
                            .noneMatch(c -> ("Progressing".equals(c.getType()) && "False".equals(c.getStatus()))
                                    || ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())))
                    && orZero(s.getUpdatedReplicas(), 0) >= desired
                    && orZero(s.getAvailableReplicas(), 0) >= desired
                    && orZero(s.getReplicas(), 0) <= desired;
        }

        @Override
        public String podRevisionLabel() {
            return Revisions.POD_TEMPLATE_HASH;
        }

        /** The Deployment's own revision number ({@value Revisions#REVISION}); 0 before its first rollout. */
        public long revision() {
            return Revisions.number(object);
        }

        @Override
        public <R extends HasMetadata> Optional<R> current(List<R> revisions) {
            List<R> owned = controlled(revisions);
            long current = revision();
            return owned.stream()
                    .filter(rs -> current != 0 && Revisions.number(rs) == current)
                    .findFirst()
                    .or(() -> newest(owned));
        }
    }

    record OfStatefulSet(StatefulSet object) implements Workload {
        @Override
        public WorkloadKind kind() {
            return WorkloadKind.StatefulSet;
        }

        @Override
        public LabelSelector selector() {
            return object.getSpec().getSelector();
        }

        @Override
        public PodTemplateSpec template() {
            return object.getSpec().getTemplate();
        }

        @Override
        public int desired() {
            return orZero(object.getSpec().getReplicas(), 1);
        }

        @Override
        public int available() {
            return object.getStatus() == null ? 0 : orZero(object.getStatus().getAvailableReplicas(), 0);
        }

        @Override
        public boolean rolledOut() {
            var s = object.getStatus();
            int desired = desired();
            return s != null
                    && caughtUp(object.getMetadata().getGeneration(), s.getObservedGeneration())
                    && (s.getUpdateRevision() == null
                            || s.getUpdateRevision().equals(s.getCurrentRevision())
                            || orZero(s.getUpdatedReplicas(), 0) >= desired)
                    && orZero(s.getAvailableReplicas(), 0) >= desired;
        }

        @Override
        public String podRevisionLabel() {
            return Revisions.CONTROLLER_REVISION_HASH;
        }

        /** {@code status.updateRevision}: the ControllerRevision the controller rolls out; empty before it saw one. */
        public Optional<String> updateRevision() {
            return Optional.ofNullable(object.getStatus()).map(s -> s.getUpdateRevision());
        }

        @Override
        public <R extends HasMetadata> Optional<R> current(List<R> revisions) {
            List<R> owned = controlled(revisions);
            Optional<String> update = updateRevision();
            return update.isPresent()
                    ? owned.stream()
                            .filter(r -> r.getMetadata().getName().equals(update.get()))
                            .findFirst()
                    : newest(owned);
        }
    }

    record OfDaemonSet(DaemonSet object) implements Workload {
        @Override
        public WorkloadKind kind() {
            return WorkloadKind.DaemonSet;
        }

        @Override
        public LabelSelector selector() {
            return object.getSpec().getSelector();
        }

        @Override
        public PodTemplateSpec template() {
            return object.getSpec().getTemplate();
        }

        @Override
        public int desired() {
            return object.getStatus() == null ? 0 : orZero(object.getStatus().getDesiredNumberScheduled(), 0);
        }

        @Override
        public int available() {
            return object.getStatus() == null ? 0 : orZero(object.getStatus().getNumberAvailable(), 0);
        }

        @Override
        public boolean rolledOut() {
            var s = object.getStatus();
            if (s == null) {
                return false;
            }
            int desired = desired();
            return caughtUp(object.getMetadata().getGeneration(), s.getObservedGeneration())
                    && orZero(s.getUpdatedNumberScheduled(), 0) >= desired
                    && orZero(s.getNumberAvailable(), 0) >= desired;
        }

        @Override
        public String podRevisionLabel() {
            return Revisions.CONTROLLER_REVISION_HASH;
        }

        @Override
        public <R extends HasMetadata> Optional<R> current(List<R> revisions) {
            return newest(controlled(revisions));
        }
    }
}
