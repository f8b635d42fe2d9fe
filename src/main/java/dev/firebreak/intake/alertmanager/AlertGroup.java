package dev.firebreak.intake.alertmanager;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.spec.IncidentSource;
import dev.firebreak.api.v1alpha1.spec.IntakeNote;
import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.digest.Sha256;
import dev.firebreak.text.Text;
import dev.firebreak.validation.KubernetesNames;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What an Alertmanager group (receiver + groupKey) becomes: one incident with a deterministic name, in a namespace,
 * with a title and the workloads its labels name. Everything is normalized so that the API server accepts it: a
 * value that cannot be used is replaced or left out, with a note saying so ({@link Notes}). Pure.
 */
public final class AlertGroup {
    /** Label on every incident opened from an alert group: the group's hash, to find its earlier incidents. */
    public static final String GROUP_LABEL = "firebreak.dev/alert-group";

    static final int TITLE_LENGTH = 256;
    static final int DESCRIPTION_LENGTH = 16384;
    static final int GROUP_KEY_LENGTH = 4096;
    private static final int WORKLOADS = 16;
    private static final Map<String, WorkloadKind> WORKLOAD_LABELS = Map.of(
            "deployment", WorkloadKind.Deployment,
            "statefulset", WorkloadKind.StatefulSet,
            "daemonset", WorkloadKind.DaemonSet);

    private AlertGroup() {}

    /** The notes of one incident's opening, at most {@value #MAX} and each once, in order. */
    public static final class Notes {
        static final int MAX = 8;
        private final Set<IntakeNote> notes = new LinkedHashSet<>();

        public void add(String field, String message) {
            if (notes.size() < MAX) {
                notes.add(
                        new IntakeNote(Text.cut(Text.forDisplay(field), 256), Text.cut(Text.wellFormed(message), 512)));
            }
        }

        public List<IntakeNote> list() {
            return List.copyOf(notes);
        }
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
        String alertname = alertname(n);
        String slug = alertname == null
                ? ""
                : alertname
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "-")
                        .replaceAll("(^-+|-+$)", "");
        if (slug.length() > 36) {
            slug = slug.substring(0, 36).replaceAll("-+$", "");
        }
        String base = "am-" + (slug.isEmpty() ? "" : slug + "-") + hash(n.receiver(), n.groupKey());
        return occurrence <= 1 ? base : base + "-" + occurrence;
    }

    /**
     * The group's namespace label when it names a namespace Firebreak watches, else the configured default, with a
     * note saying why when the label named something else. (A watched namespace that does not exist, or where
     * Firebreak may not create incidents, is found out by the create; the intake then falls back the same way.)
     */
    public static String namespace(
            WebhookNotification n, Predicate<String> watched, String defaultNamespace, Notes notes) {
        String namespace = n.commonLabels().get("namespace");
        if (namespace == null) {
            return defaultNamespace;
        }
        if (!KubernetesNames.isNamespace(namespace)) {
            notes.add(
                    "commonLabels.namespace",
                    "'" + Text.cut(Text.forDisplay(namespace), 64) + "' is not a namespace name; opened in "
                            + defaultNamespace);
            return defaultNamespace;
        }
        if (!watched.test(namespace)) {
            notes.add(
                    "commonLabels.namespace",
                    "Firebreak does not watch namespace " + namespace + "; opened in " + defaultNamespace);
            return defaultNamespace;
        }
        return namespace;
    }

    /**
     * The group's {@code occurrence}-th incident in {@code namespace}, as the intake creates it: labelled with the
     * group, its spec from the notification ({@code minimal}: title and source only, for an API server that refused
     * the full one), the notes so far and those its own spec adds. {@code podOwner} follows a pod to its workload.
     */
    public static Incident incident(
            WebhookNotification n,
            String group,
            int occurrence,
            String namespace,
            Notes notes,
            boolean minimal,
            Function<String, Optional<WorkloadRef>> podOwner) {
        Incident incident = new Incident();
        incident.setMetadata(new ObjectMetaBuilder()
                .withName(incidentName(n, occurrence))
                .withNamespace(namespace)
                .addToLabels(GROUP_LABEL, group)
                .addToLabels(AlertmanagerIntake.OCCURRENCE_LABEL, Integer.toString(occurrence))
                .build());
        Notes these = new Notes();
        notes.list().forEach(note -> these.add(note.field, note.message));
        IncidentSpec spec = spec(n, namespace, these);
        if (minimal) {
            spec.title = "Alert group " + group;
            spec.description = null;
            spec.affected.clear();
            spec.source.groupKey = Text.cut(spec.source.groupKey, 253);
            spec.source.externalURL = null;
        } else {
            // Alerts such as KubePodCrashLooping name only the pod: follow its owners to the workload.
            pods(n, namespace, these).stream()
                    .map(podOwner)
                    .flatMap(Optional::stream)
                    .filter(w -> !spec.affected.contains(w) && spec.affected.size() < WORKLOADS)
                    .forEach(spec.affected::add);
        }
        List<IntakeNote> list = these.list();
        spec.source.notes = list.isEmpty() ? null : list;
        incident.setSpec(spec);
        incident.setStatus(null);
        return incident;
    }

    /** The spec of the group's incident in {@code namespace}; notes collects what had to be changed. */
    public static IncidentSpec spec(WebhookNotification n, String namespace, Notes notes) {
        IncidentSpec spec = new IncidentSpec();
        spec.title = title(n, notes);
        String description = n.commonAnnotations().get("description");
        if (description != null && !description.isBlank()) {
            spec.description = Text.cut(description, DESCRIPTION_LENGTH);
            if (Text.longerThan(description, DESCRIPTION_LENGTH - 1) && description.endsWith(Text.CUT)) {
                notes.add("commonAnnotations.description", "cut to " + DESCRIPTION_LENGTH + " characters");
            }
        }
        spec.source = new IncidentSource(SourceType.Alertmanager);
        spec.source.receiver = Text.cut(n.receiver(), 253);
        spec.source.groupKey = Text.cut(n.groupKey(), GROUP_KEY_LENGTH);
        if (Text.longerThan(n.groupKey(), GROUP_KEY_LENGTH)) {
            notes.add(
                    "groupKey",
                    "cut to " + GROUP_KEY_LENGTH + " characters here; the incident's identity (its "
                            + GROUP_LABEL + " label) is a digest of all "
                            + n.groupKey().codePointCount(0, n.groupKey().length()) + " characters");
        }
        spec.source.externalURL = Text.cut(n.externalURL(), 2048);
        spec.affected.addAll(workloads(n, namespace, notes));
        return spec;
    }

    /**
     * The summary annotation; else the alertname with the namespace or instance; else, when the group has no
     * alertname, its labels (noted). Always one line, at most {@value #TITLE_LENGTH} characters, never empty.
     */
    static String title(WebhookNotification n, Notes notes) {
        String summary = display(n.commonAnnotations().get("summary"));
        if (summary != null) {
            return Text.cut(summary, TITLE_LENGTH);
        }
        String alertname = display(alertname(n));
        if (alertname != null) {
            String where = display(
                    n.commonLabels().getOrDefault("namespace", n.commonLabels().get("instance")));
            return Text.cut(alertname + (where == null ? "" : " (" + where + ")"), TITLE_LENGTH);
        }
        Map<String, String> labels = n.groupLabels().isEmpty() ? n.commonLabels() : n.groupLabels();
        String described = labels.entrySet().stream()
                .filter(e -> !e.getKey().equals("alertname"))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        notes.add("commonLabels.alertname", "missing or empty; the title is made from the group's labels");
        String title = display(described.isEmpty() ? null : "Alert group {" + described + "}");
        return Text.cut(title == null ? "Alert group " + hash(n.receiver(), n.groupKey()) : title, TITLE_LENGTH);
    }

    /** The group's alertname (group labels, else common labels), or null when it has none that is not blank. */
    static String alertname(WebhookNotification n) {
        String name = n.groupLabels().get("alertname");
        if (name == null || name.isBlank()) {
            name = n.commonLabels().get("alertname");
        }
        return name == null || name.isBlank() ? null : name;
    }

    private static String display(String text) {
        if (text == null) {
            return null;
        }
        String shown = Text.forDisplay(text).strip();
        return shown.isEmpty() ? null : shown;
    }

    /** Whether an alert names its workload directly (deployment, statefulset or daemonset label). */
    public static boolean namesWorkload(WebhookAlert alert) {
        return WORKLOAD_LABELS.keySet().stream().anyMatch(alert.labelsOrEmpty()::containsKey);
    }

    /** Whether a label value can name a Kubernetes object (a DNS-1123 subdomain). */
    public static boolean isName(String value) {
        return KubernetesNames.isName(value);
    }

    /**
     * The workloads named by the alerts' deployment, statefulset and daemonset labels, in the incident's namespace
     * (alerts about other namespaces do not name its workloads); a value that is not a Kubernetes name is left out
     * with a note. At most {@value #WORKLOADS}. Pods are resolved to their owners by the intake.
     */
    static List<WorkloadRef> workloads(WebhookNotification n, String incidentNamespace, Notes notes) {
        Set<WorkloadRef> refs = new LinkedHashSet<>();
        for (int i = 0; i < n.alerts().size(); i++) {
            Map<String, String> labels = n.alerts().get(i).labelsOrEmpty();
            String namespace = labels.get("namespace");
            if (namespace != null && !namespace.equals(incidentNamespace)) {
                continue;
            }
            for (Map.Entry<String, WorkloadKind> label : WORKLOAD_LABELS.entrySet()) {
                String name = labels.get(label.getKey());
                if (name == null) {
                    continue;
                }
                if (isName(name)) {
                    refs.add(new WorkloadRef(label.getValue(), name));
                } else {
                    notes.add(
                            "alerts[" + i + "].labels." + label.getKey(),
                            "'" + Text.cut(Text.forDisplay(name), 64)
                                    + "' is not a Kubernetes name; left out of the affected workloads");
                }
            }
        }
        List<WorkloadRef> sorted = new ArrayList<>(refs);
        sorted.sort(Comparator.comparing((WorkloadRef r) -> r.kind).thenComparing(r -> r.name));
        return sorted.size() > WORKLOADS ? sorted.subList(0, WORKLOADS) : sorted;
    }

    /**
     * The pods named by alerts that name no workload (such as KubePodCrashLooping), in the incident's namespace, to be
     * followed to their owners; a value that is not a pod name is left out with a note. At most {@value #WORKLOADS}.
     */
    static List<String> pods(WebhookNotification n, String incidentNamespace, Notes notes) {
        Set<String> pods = new LinkedHashSet<>();
        for (int i = 0; i < n.alerts().size() && pods.size() < WORKLOADS; i++) {
            WebhookAlert alert = n.alerts().get(i);
            String pod = alert.labelsOrEmpty().get("pod");
            if (pod == null
                    || namesWorkload(alert)
                    || !incidentNamespace.equals(alert.labelsOrEmpty().get("namespace"))) {
                continue;
            }
            if (isName(pod)) {
                pods.add(pod);
            } else {
                notes.add(
                        "alerts[" + i + "].labels.pod",
                        "'" + Text.cut(Text.forDisplay(pod), 64) + "' is not a pod name; left out");
            }
        }
        return List.copyOf(pods);
    }
}
