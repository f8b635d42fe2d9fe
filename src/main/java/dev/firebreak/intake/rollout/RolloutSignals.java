package dev.firebreak.intake.rollout;

import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.workload.Revisions;
import dev.firebreak.workload.Workload;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Decides whether a workload's rollout failed, from the workload, its revisions and the pods of its newest revision.
 * Pure: {@link RolloutDetector} lists what it needs; {@link Workload} says which revision is in force and what a
 * workload controls.
 *
 * <p>Signals: a Deployment's {@code Progressing=False} (ProgressDeadlineExceeded, ReplicaSetCreateError) or
 * {@code ReplicaFailure=True}; pods of the newest revision waiting in a failing state (CrashLoopBackOff,
 * ImagePullBackOff, ErrImagePull, CreateContainerConfigError, CreateContainerError) once they restarted
 * {@link Thresholds#restarts()} times or have existed for {@link Thresholds#failingFor()}.
 */
public final class RolloutSignals {
    public static final Set<String> FAILING_WAITING_REASONS = Set.of(
            "CrashLoopBackOff",
            "ImagePullBackOff",
            "ErrImagePull",
            "CreateContainerConfigError",
            "CreateContainerError");

    /** When a waiting pod counts as failing: it restarted this often, or has existed this long. */
    public record Thresholds(int restarts, Duration failingFor) {}

    private RolloutSignals() {}

    // --- Deployment ----------------------------------------------------------------------------------------------

    /** @param replicaSets the Deployment's; its pods of the revision in force (the others are left out) */
    public static Optional<RolloutFailure> deployment(
            Deployment d, List<ReplicaSet> replicaSets, List<Pod> pods, Thresholds thresholds, Instant now) {
        Optional<ReplicaSet> newest = Workload.of(d).current(replicaSets);
        String revision = Optional.ofNullable(annotation(d, Revisions.REVISION))
                .or(() -> newest.map(rs -> annotation(rs, Revisions.REVISION)))
                .orElse("0");
        List<Pod> ofNewest = newest.map(rs ->
                        pods.stream().filter(p -> Workload.controlledBy(p, rs)).toList())
                .orElse(List.of());
        Map<String, Integer> failingPods = failingReasons(ofNewest, thresholds, now);
        String podDetail = failingPods.isEmpty() ? "" : "; " + describe(failingPods, ofNewest.size());
        List<DeploymentCondition> conditions =
                d.getStatus() == null ? List.of() : d.getStatus().getConditions();
        for (DeploymentCondition c : conditions) {
            boolean stalled = "Progressing".equals(c.getType())
                    && "False".equals(c.getStatus())
                    && ("ProgressDeadlineExceeded".equals(c.getReason())
                            || "ReplicaSetCreateError".equals(c.getReason()));
            boolean replicaFailure = "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus());
            if (stalled || replicaFailure) {
                String signal = stalled ? c.getReason() : "ReplicaFailure";
                String detail = signal + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")") + podDetail;
                return Optional.of(failure(
                        WorkloadKind.Deployment, d, revision, d.getSpec().getTemplate(), signal, detail));
            }
        }
        return podSignal(WorkloadKind.Deployment, d, revision, d.getSpec().getTemplate(), ofNewest, thresholds, now);
    }

    // --- StatefulSet -----------------------------------------------------------------------------------------------

    /** Pods of a StatefulSet's update revision ({@code status.updateRevision}). */
    public static Optional<RolloutFailure> statefulSet(
            StatefulSet s, List<Pod> pods, Thresholds thresholds, Instant now) {
        String revision = s.getStatus() == null ? null : s.getStatus().getUpdateRevision();
        if (revision == null) {
            return Optional.empty();
        }
        List<Pod> ofRevision = pods.stream()
                .filter(p -> Workload.controlledBy(p, s))
                .filter(p -> revision.equals(label(p, Revisions.CONTROLLER_REVISION_HASH)))
                .toList();
        return podSignal(WorkloadKind.StatefulSet, s, revision, s.getSpec().getTemplate(), ofRevision, thresholds, now);
    }

    // --- DaemonSet -------------------------------------------------------------------------------------------------

    public static Optional<RolloutFailure> daemonSet(
            DaemonSet ds, List<ControllerRevision> revisions, List<Pod> pods, Thresholds thresholds, Instant now) {
        Optional<ControllerRevision> newest = Workload.of(ds).current(revisions);
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        String hash = label(newest.get(), Revisions.CONTROLLER_REVISION_HASH);
        List<Pod> ofRevision = pods.stream()
                .filter(p -> Workload.controlledBy(p, ds))
                .filter(p -> hash != null && hash.equals(label(p, Revisions.CONTROLLER_REVISION_HASH)))
                .toList();
        return podSignal(
                WorkloadKind.DaemonSet,
                ds,
                newest.get().getMetadata().getName(),
                ds.getSpec().getTemplate(),
                ofRevision,
                thresholds,
                now);
    }

    // --- pods ------------------------------------------------------------------------------------------------------

    private static Optional<RolloutFailure> podSignal(
            WorkloadKind kind,
            HasMetadata workload,
            String revision,
            PodTemplateSpec template,
            List<Pod> pods,
            Thresholds thresholds,
            Instant now) {
        Map<String, Integer> byReason = failingReasons(pods, thresholds, now);
        if (byReason.isEmpty()) {
            return Optional.empty();
        }
        String signal = byReason.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        return Optional.of(failure(kind, workload, revision, template, signal, describe(byReason, pods.size())));
    }

    /** How many pods fail, by waiting reason. */
    private static Map<String, Integer> failingReasons(List<Pod> pods, Thresholds thresholds, Instant now) {
        Map<String, Integer> byReason = new TreeMap<>();
        pods.forEach(p -> failingReason(p, thresholds, now).ifPresent(r -> byReason.merge(r, 1, Integer::sum)));
        return byReason;
    }

    /** "3 of 4 pods waiting in CrashLoopBackOff". */
    private static String describe(Map<String, Integer> byReason, int pods) {
        int failing = byReason.values().stream().mapToInt(Integer::intValue).sum();
        List<String> reasons = new ArrayList<>();
        byReason.forEach((reason, n) -> reasons.add(byReason.size() == 1 ? reason : n + " in " + reason));
        return failing + " of " + pods + " pod" + (pods == 1 ? "" : "s") + " waiting in " + String.join(", ", reasons);
    }

    /** The waiting reason that makes this pod failing, once past the thresholds. */
    static Optional<String> failingReason(Pod pod, Thresholds thresholds, Instant now) {
        if (pod.getStatus() == null || pod.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        Instant since = Optional.ofNullable(pod.getStatus().getStartTime())
                .or(() -> Optional.ofNullable(pod.getMetadata().getCreationTimestamp()))
                .map(Instant::parse)
                .orElse(now);
        boolean oldEnough = !since.plus(thresholds.failingFor()).isAfter(now);
        return Stream.concat(
                        pod.getStatus().getInitContainerStatuses().stream(),
                        pod.getStatus().getContainerStatuses().stream())
                .filter(c -> c.getState() != null
                        && c.getState().getWaiting() != null
                        && FAILING_WAITING_REASONS.contains(
                                c.getState().getWaiting().getReason()))
                .filter(c -> oldEnough || restarts(c) >= thresholds.restarts())
                .map(c -> c.getState().getWaiting().getReason())
                .findFirst();
    }

    private static int restarts(ContainerStatus c) {
        return c.getRestartCount() == null ? 0 : c.getRestartCount();
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static RolloutFailure failure(
            WorkloadKind kind,
            HasMetadata workload,
            String revision,
            PodTemplateSpec template,
            String signal,
            String detail) {
        List<String> images =
                Workload.images(template).stream().distinct().limit(16).toList();
        return new RolloutFailure(
                kind,
                workload.getMetadata().getNamespace(),
                workload.getMetadata().getName(),
                revision,
                images,
                signal,
                detail);
    }

    private static String annotation(HasMetadata m, String key) {
        return m.getMetadata().getAnnotations() == null
                ? null
                : m.getMetadata().getAnnotations().get(key);
    }

    private static String label(HasMetadata m, String key) {
        return m.getMetadata().getLabels() == null
                ? null
                : m.getMetadata().getLabels().get(key);
    }
}
