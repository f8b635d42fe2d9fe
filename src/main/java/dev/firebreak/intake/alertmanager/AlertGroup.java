package dev.firebreak.intake.alertmanager;

import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.digest.Sha256;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What an Alertmanager group (receiver + groupKey) becomes: one incident with a deterministic name, in a namespace,
 * with a title and the workloads its labels name. Pure.
 */
public final class AlertGroup {
    /** Label on every incident opened from an alert group: the group's hash, to find its earlier incidents. */
    public static final String GROUP_LABEL = "firebreak.dev/alert-group";
    private static final Map<String, WorkloadKind> WORKLOAD_LABELS = Map.of(
            "deployment", WorkloadKind.Deployment,
            "statefulset", WorkloadKind.StatefulSet,
            "daemonset", WorkloadKind.DaemonSet);

    private AlertGroup() {
    }

    /** A stable hash of receiver and groupKey: the group's identity, 12 hex digits. */
    public static String hash(String receiver, String groupKey) {
        return Sha256.shortHex(receiver + "\u0000" + groupKey);
    }

    /**
     * The name of the group's {@code occurrence}-th incident (1 for the first; a group that fires again after the
     * reopen window opens the next one): {@code am-<alertname>-<hash>[-<occurrence>]}, at most 63 characters.
     */
    public static String incidentName(WebhookNotification n, int occurrence) {
        String alertname = n.groupLabels().getOrDefault("alertname", n.commonLabels().getOrDefault("alertname", ""));
        String slug = alertname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 36) {
            slug = slug.substring(0, 36).replaceAll("-+$", "");
        }
        String base = "am-" + (slug.isEmpty() ? "" : slug + "-") + hash(n.receiver(), n.groupKey());
        return occurrence <= 1 ? base : base + "-" + occurrence;
    }

    /** The group's namespace label when Firebreak watches that namespace, else the configured default. */
    public static String namespace(WebhookNotification n, Predicate<String> watched, String defaultNamespace) {
        String namespace = n.commonLabels().get("namespace");
        return namespace != null && watched.test(namespace) ? namespace : defaultNamespace;
    }

    public static String title(WebhookNotification n) {
        String summary = n.commonAnnotations().get("summary");
        String title;
        if (summary != null && !summary.isBlank()) {
            title = summary.strip();
        } else {
            String alertname = n.commonLabels().getOrDefault("alertname",
                    n.groupLabels().getOrDefault("alertname", "alert group " + n.groupKey()));
            String where = n.commonLabels().getOrDefault("namespace", n.commonLabels().get("instance"));
            title = alertname + (where == null ? "" : " (" + where + ")");
        }
        return title.length() > 256 ? title.substring(0, 255) + "…" : title;
    }

    /** Whether an alert names its workload directly (deployment, statefulset or daemonset label). */
    public static boolean namesWorkload(WebhookAlert alert) {
        return WORKLOAD_LABELS.keySet().stream().anyMatch(alert.labels()::containsKey);
    }

    /**
     * The workloads named by the alerts' deployment, statefulset and daemonset labels, in the incident's namespace
     * (alerts about other namespaces do not name its workloads). Pods are resolved to their owners by the intake.
     */
    public static List<WorkloadRef> workloads(WebhookNotification n, String incidentNamespace) {
        Set<WorkloadRef> refs = new LinkedHashSet<>();
        for (WebhookAlert alert : n.alerts()) {
            String namespace = alert.labels().get("namespace");
            if (namespace != null && !namespace.equals(incidentNamespace)) {
                continue;
            }
            WORKLOAD_LABELS.forEach((label, kind) -> {
                String name = alert.labels().get(label);
                if (name != null && !name.isBlank()) {
                    refs.add(new WorkloadRef(kind, name));
                }
            });
        }
        List<WorkloadRef> sorted = new ArrayList<>(refs);
        sorted.sort(java.util.Comparator.comparing((WorkloadRef r) -> r.kind).thenComparing(r -> r.name));
        return sorted.size() > 16 ? sorted.subList(0, 16) : sorted;
    }
}
