package dev.firebreak.intake.rollout;

import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.digest.Sha256;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A rollout that failed: the workload, the revision that started failing and its images, the signal that showed it,
 * and a sentence for humans. One failure, whatever the number of failing pods, is one incident.
 */
public record RolloutFailure(
        WorkloadKind kind,
        String namespace,
        String name,
        String revision,
        List<String> images,
        String signal,
        String detail) {
    private static final Map<WorkloadKind, String> SHORT =
            Map.of(WorkloadKind.Deployment, "deploy", WorkloadKind.StatefulSet, "sts", WorkloadKind.DaemonSet, "ds");

    /**
     * The incident's name, the same however often the failure is seen: {@code rollout-<kind>-<name>-<revision>}
     * (a ControllerRevision's name contributes its hash suffix), shortened with a hash beyond 63 characters.
     */
    public String incidentName() {
        String rev = revision.startsWith(name + "-") ? revision.substring(name.length() + 1) : revision;
        rev = rev.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        String full = "rollout-" + SHORT.get(kind) + "-" + name + "-" + rev;
        if (full.length() <= 63) {
            return full;
        }
        String prefix =
                ("rollout-" + SHORT.get(kind) + "-" + name).substring(0, 45).replaceAll("[-.]+$", "");
        return prefix + "-" + Sha256.shortHex(kind + "/" + namespace + "/" + name + "@" + revision);
    }

    public String title() {
        return kind + " " + namespace + "/" + name + " revision " + revision + " failing: " + detail;
    }
}
