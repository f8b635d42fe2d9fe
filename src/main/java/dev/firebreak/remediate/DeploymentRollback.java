package dev.firebreak.remediate;

import dev.firebreak.kubeapi.JsonPatch;
import dev.firebreak.workload.Revisions;
import dev.firebreak.workload.Workload;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * Plans the rollback of a Deployment the way {@code kubectl rollout undo} restores a revision, but pinned to the
 * newest revision Firebreak observed healthy and that no incident implicates, instead of "the second-highest" (which,
 * after one rollback, is the bad revision again). Pure: the caller lists the ReplicaSets and applies the patch.
 */
public final class DeploymentRollback {
    /**
     * The Deployment's own annotations kubectl keeps; every other one comes from the restored ReplicaSet, except
     * Firebreak's own (firebreak.dev/...), which stay.
     */
    private static final Set<String> KEPT = Set.of(
            "kubectl.kubernetes.io/last-applied-configuration",
            Revisions.REVISION,
            "deployment.kubernetes.io/revision-history",
            "deployment.kubernetes.io/desired-replicas",
            "deployment.kubernetes.io/max-replicas");

    /** What a rollback restores. */
    public record Plan(
            long fromRevision,
            long toRevision,
            List<String> fromImages,
            List<String> toImages,
            PodTemplateSpec template,
            Map<String, String> annotations) {}

    /** A plan, or why there is none; {@code nothingToDo} when the template already is the target's. */
    public record Outcome(Optional<Plan> plan, String reason, boolean nothingToDo) {
        static Outcome impossible(String reason) {
            return new Outcome(Optional.empty(), reason, false);
        }
    }

    private DeploymentRollback() {}

    /**
     * @param implicated revisions a failure names (the incidents' spec.source.revision); never a target
     * @param cause the change-cause to record for a target revision, e.g. "firebreak: incident shop/x rolled back
     * revision 7 to 6"
     */
    public static Outcome plan(
            Deployment d, List<ReplicaSet> replicaSets, Set<Long> implicated, LongFunction<String> cause) {
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            return Outcome.impossible("the Deployment is paused (kubectl rollout resume it first): a paused "
                    + "Deployment does not roll out, so a rollback would not take effect");
        }
        long current = Revisions.number(d);
        List<ReplicaSet> owned = Workload.of(d).controlled(replicaSets);
        List<ReplicaSet> history =
                owned.stream().filter(rs -> Revisions.number(rs) != current).toList();
        if (history.isEmpty()) {
            return Outcome.impossible("no earlier revision to restore: the Deployment keeps no history "
                    + "(revisionHistoryLimit " + d.getSpec().getRevisionHistoryLimit() + ") or has only revision "
                    + current);
        }
        Optional<ReplicaSet> target = history.stream()
                .filter(rs -> !implicated.contains(Revisions.number(rs)))
                .filter(Revisions::observedHealthy)
                .max(Comparator.comparingLong(Revisions::number));
        if (target.isEmpty()) {
            String revisions = history.stream()
                    .map(Revisions::number)
                    .sorted()
                    .map(r -> r + (implicated.contains(r) ? " (implicated)" : " (never seen healthy)"))
                    .collect(Collectors.joining(", "));
            return Outcome.impossible("no earlier revision was observed healthy and is free of failures: " + revisions);
        }
        ReplicaSet to = target.get();
        long toRevision = Revisions.number(to);
        PodTemplateSpec template = withoutHash(to.getSpec().getTemplate());
        if (withoutHash(d.getSpec().getTemplate()).equals(template)) {
            return new Outcome(Optional.empty(), "the pod template already is revision " + toRevision + "'s", true);
        }
        Map<String, String> annotations = new TreeMap<>();
        Map<String, String> own = orEmpty(d.getMetadata().getAnnotations());
        orEmpty(to.getMetadata().getAnnotations()).forEach((k, v) -> {
            if (!KEPT.contains(k) && !k.equals(Revisions.OBSERVED_HEALTHY)) {
                annotations.put(k, v);
            }
        });
        own.forEach((k, v) -> {
            // Firebreak's own annotations (the auto-rollback opt-in) outlive a rollback.
            if (KEPT.contains(k) || k.startsWith("firebreak.dev/")) {
                annotations.put(k, v);
            }
        });
        annotations.put(Revisions.CHANGE_CAUSE, cause.apply(toRevision));
        return new Outcome(
                Optional.of(new Plan(
                        current,
                        toRevision,
                        Workload.images(d.getSpec().getTemplate()),
                        Workload.images(to.getSpec().getTemplate()),
                        template,
                        annotations)),
                "restore revision " + toRevision + ", the newest observed healthy and free of failures",
                false);
    }

    /**
     * The patch: a JSON Patch that first tests the resourceVersion read (nobody changed the Deployment since it was
     * planned) and replaces the pod template and the annotations, as kubectl does. Replicas and strategy stay.
     */
    public static String patch(Deployment d, Plan plan, KubernetesSerialization json) {
        JsonPatch patch = JsonPatch.with(json)
                .test("/metadata/resourceVersion", d.getMetadata().getResourceVersion())
                .replace("/spec/template", plan.template());
        return (d.getMetadata().getAnnotations() == null
                        ? patch.add("/metadata/annotations", plan.annotations())
                        : patch.replace("/metadata/annotations", plan.annotations()))
                .toJson();
    }

    static PodTemplateSpec withoutHash(PodTemplateSpec template) {
        PodTemplateSpec copy = new PodTemplateSpecBuilder(template).build();
        if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
            Map<String, String> labels = new LinkedHashMap<>(copy.getMetadata().getLabels());
            labels.remove(Revisions.POD_TEMPLATE_HASH);
            copy.getMetadata().setLabels(labels);
        }
        return copy;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
