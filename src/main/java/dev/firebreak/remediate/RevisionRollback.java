package dev.firebreak.remediate;

import dev.firebreak.workload.Revisions;
import dev.firebreak.workload.Workload;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Plans the rollback of a StatefulSet or DaemonSet the way {@code kubectl rollout undo} does for them: history is the
 * ControllerRevisions the workload owns, ordered by {@code .revision}, and the target's {@code data} (the pod template
 * as a strategic merge patch) is applied. The target is pinned like a Deployment's: the newest revision observed
 * healthy (annotation {@value Revisions#OBSERVED_HEALTHY} on the ControllerRevision) that no incident
 * implicates (by ControllerRevision name). Pure.
 */
public final class RevisionRollback {
    /** What a rollback restores; {@code data} is the target ControllerRevision's, as JSON. */
    public record Plan(
            long fromRevision,
            long toRevision,
            String fromName,
            String toName,
            List<String> fromImages,
            List<String> toImages,
            Map<String, Object> data) {}

    public record Outcome(Optional<Plan> plan, String reason, boolean nothingToDo) {
        static Outcome impossible(String reason) {
            return new Outcome(Optional.empty(), reason, false);
        }
    }

    private RevisionRollback() {}

    /**
     * @param currentName the revision in force: a StatefulSet's status.updateRevision; a DaemonSet's newest
     * @param implicated ControllerRevision names a failure names (the incidents' spec.source.revision)
     */
    public static Outcome plan(
            HasMetadata workload,
            String currentName,
            List<ControllerRevision> revisions,
            Set<String> implicated,
            KubernetesSerialization json) {
        List<ControllerRevision> owned = Workload.of(workload).controlled(revisions);
        Optional<ControllerRevision> current = owned.stream()
                .filter(r -> r.getMetadata().getName().equals(currentName))
                .findFirst();
        if (current.isEmpty()) {
            return Outcome.impossible("the current revision " + currentName + " is not among the " + workload.getKind()
                    + "'s ControllerRevisions");
        }
        List<ControllerRevision> history =
                owned.stream().filter(r -> r != current.get()).toList();
        if (history.isEmpty()) {
            return Outcome.impossible("no earlier revision to restore: the " + workload.getKind()
                    + " keeps no history (revisionHistoryLimit) or has only " + currentName);
        }
        Optional<ControllerRevision> target = history.stream()
                .filter(r -> !implicated.contains(r.getMetadata().getName()))
                .filter(Revisions::observedHealthy)
                .max(Comparator.comparingLong(Revisions::number));
        if (target.isEmpty()) {
            return Outcome.impossible("no earlier revision was observed healthy and is free of failures: "
                    + history.stream()
                            .sorted(Comparator.comparingLong(Revisions::number))
                            .map(r -> r.getMetadata().getName()
                                    + (implicated.contains(r.getMetadata().getName())
                                            ? " (implicated)"
                                            : " (never seen healthy)"))
                            .collect(Collectors.joining(", ")));
        }
        ControllerRevision to = target.get();
        Map<String, Object> data = data(to, json);
        if (Objects.equals(template(data), template(data(current.get(), json)))) {
            return new Outcome(
                    Optional.empty(),
                    "the pod template already is " + to.getMetadata().getName() + "'s",
                    true);
        }
        return new Outcome(
                Optional.of(new Plan(
                        Revisions.number(current.get()),
                        Revisions.number(to),
                        currentName,
                        to.getMetadata().getName(),
                        images(data(current.get(), json)),
                        images(data),
                        data)),
                "restore " + to.getMetadata().getName() + ", the newest revision observed healthy and free of failures",
                false);
    }

    /**
     * The strategic merge patch: the target's data, under the resourceVersion read as a precondition, with a
     * change-cause naming the incident (as on a Deployment).
     */
    public static String patch(HasMetadata workload, Plan plan, String cause, KubernetesSerialization json) {
        Map<String, Object> patch = new LinkedHashMap<>(plan.data());
        patch.put(
                "metadata",
                Map.of(
                        "resourceVersion",
                        workload.getMetadata().getResourceVersion(),
                        "annotations",
                        Map.of(Revisions.CHANGE_CAUSE, cause)));
        return json.asJson(patch);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(ControllerRevision r, KubernetesSerialization json) {
        return r.getData() == null ? Map.of() : json.unmarshal(json.asJson(r.getData()), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Object template(Map<String, Object> data) {
        Object spec = data.get("spec");
        return spec instanceof Map<?, ?> m ? ((Map<String, Object>) m).get("template") : null;
    }

    @SuppressWarnings("unchecked")
    static List<String> images(Map<String, Object> data) {
        Object template = template(data);
        if (!(template instanceof Map<?, ?> t)
                || !(t.get("spec") instanceof Map<?, ?> spec)
                || !(spec.get("containers") instanceof List<?> containers)) {
            return List.of();
        }
        return containers.stream()
                .filter(c -> c instanceof Map<?, ?>)
                .map(c -> ((Map<String, Object>) c).get("image"))
                .filter(Objects::nonNull)
                .map(Object::toString)
                .toList();
    }
}
