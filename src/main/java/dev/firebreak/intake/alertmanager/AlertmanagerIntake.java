package dev.firebreak.intake.alertmanager;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.spec.IncidentSource;
import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.intake.PodOwners;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Persists a notification on its group's incident, and only then may the webhook answer 2xx. The intake writes the
 * incident's spec when it opens it, and afterwards only status.alerts and status.alertsRevision (a JSON Patch guarded
 * by a test that the revision is still what it read, retried on conflict), so it never overwrites what humans (the
 * spec) or the reconciler (the rest of the status) wrote meanwhile. API failures propagate: the webhook answers 503 and Alertmanager retries.
 *
 * <p>In a storm every API request counts, so a notification costs one write and no read: the group's incidents come
 * from an informer (incidents labelled with an alert group), the alerts and their revision from this process's own
 * last write to that incident (the intake is the only writer of status.alerts; the informer may lag behind it by a few
 * milliseconds). Notifications of one group are persisted one at a time. Only a conflict (another replica, or a
 * lagging cache) costs a fresh LIST, on the retry. Events are the reconciler's: it records the opening and the
 * alerts' transitions, once per reconcile rather than once per notification.
 */
@ApplicationScoped
public class AlertmanagerIntake {
    public static final String OCCURRENCE_LABEL = "firebreak.dev/alert-group-occurrence";
    private static final int ATTEMPTS = 5;
    private static final String BY_GROUP = "alert-group";

    /** What was done: which incident, whether it was opened now, and how many alerts it holds. */
    public record Persisted(String namespace, String name, boolean opened, int alerts) {
    }

    private final KubernetesClient client;
    private final PodOwners podOwners;
    private final FirebreakConfig config;
    private final Clock clock;
    private final Optional<List<String>> watchedNamespaces;
    private final Object[] groupLocks = new Object[64];
    /** The incident as this process last wrote its alerts, by namespace/name; bounded, least recently used out. */
    private final Map<String, Incident> lastWritten = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Incident> eldest) {
                    return size() > 4096;
                }
            });
    private volatile SharedIndexInformer<Incident> incidents;

    public AlertmanagerIntake(KubernetesClient client, PodOwners podOwners, FirebreakConfig config, Clock clock,
            @ConfigProperty(name = "quarkus.operator-sdk.namespaces") Optional<List<String>> watchedNamespaces) {
        this.client = client;
        this.podOwners = podOwners;
        this.config = config;
        this.clock = clock;
        this.watchedNamespaces = watchedNamespaces;
        Arrays.setAll(groupLocks, i -> new Object());
    }

    /** Starts the cache of alert-group incidents with the application, so the first notification finds it ready. */
    void start(@Observes StartupEvent event) {
        SharedIndexInformer<Incident> informer = client.resources(Incident.class).inAnyNamespace()
                .withLabel(AlertGroup.GROUP_LABEL).runnableInformer(0);
        informer.addIndexers(Map.of(BY_GROUP, i -> List.of(groupKey(i.getMetadata().getNamespace(),
                i.getMetadata().getLabels().get(AlertGroup.GROUP_LABEL)))));
        informer.start();
        incidents = informer;
    }

    void stop(@Observes ShutdownEvent event) {
        if (incidents != null) {
            incidents.close();
        }
    }

    public Persisted persist(WebhookNotification notification) {
        String namespace = AlertGroup.namespace(notification, this::watched,
                config.intake().defaultNamespace().orElse(config.namespace()));
        String group = AlertGroup.hash(notification.receiver(), notification.groupKey());
        KubernetesClientException last = null;
        synchronized (groupLocks[Math.floorMod(group.hashCode(), groupLocks.length)]) {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    return attempt(notification, namespace, group, attempt == 1);
                } catch (KubernetesClientException e) {
                    if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                        throw e;
                    }
                    last = e;
                }
            }
        }
        throw last;
    }

    private Persisted attempt(WebhookNotification n, String namespace, String group, boolean cached) {
        Optional<Incident> latest = groupIncidents(namespace, group, cached).stream()
                .max(Comparator.comparingInt(AlertmanagerIntake::occurrence));
        boolean opened = false;
        Incident incident;
        if (latest.isEmpty() || (expired(latest.get()) && n.alerts().stream().anyMatch(WebhookAlert::firing))) {
            int occurrence = latest.map(AlertmanagerIntake::occurrence).orElse(0) + 1;
            // 409 when the cache had not seen it yet: the retry reads afresh and finds it.
            incident = client.resource(open(n, namespace, group, occurrence)).create();
            opened = true;
        } else {
            incident = latest.get();
            if (cached) {
                Incident mine = lastWritten.get(key(incident));
                if (mine != null && mine.getMetadata().getUid().equals(incident.getMetadata().getUid())) {
                    incident = mine;
                }
            }
        }
        List<AlertRecord> current = incident.getStatus() == null ? List.of() : incident.getStatus().alerts;
        AlertMerge.Result merge = AlertMerge.merge(current, n.alerts());
        if (merge.changed()) {
            incident = writeAlerts(incident, merge.alerts());
            lastWritten.put(key(incident), incident);
        }
        return new Persisted(namespace, incident.getMetadata().getName(), opened, merge.alerts().size());
    }

    /** The group's incidents: from the cache, or (on a retry, or before the cache is ready) from a LIST. */
    private List<Incident> groupIncidents(String namespace, String group, boolean cached) {
        SharedIndexInformer<Incident> informer = incidents;
        if (cached && informer != null && informer.hasSynced()) {
            return informer.getIndexer().byIndex(BY_GROUP, groupKey(namespace, group));
        }
        return client.resources(Incident.class).inNamespace(namespace).withLabel(AlertGroup.GROUP_LABEL, group)
                .list().getItems();
    }

    private static String groupKey(String namespace, String group) {
        return namespace + "/" + group;
    }

    private static String key(Incident incident) {
        return incident.getMetadata().getNamespace() + "/" + incident.getMetadata().getName();
    }

    /**
     * Replaces status.alerts and their revision and nothing else, only if the revision is still what was read: only a
     * concurrent alerts write (another replica) fails it (422 on the JSON Patch test, 409 on the resourceVersion), and
     * the caller retries on fresh state. Humans editing the spec and the reconciler writing the rest of the status
     * never conflict with it. The test is on the revision, a number, not on the alerts themselves: the API server
     * compares a test's strings byte for byte as it re-encodes them (escaping {@code &}, {@code <}, {@code >}), so a
     * generatorURL with a query string would never match. The first alerts of a new incident go in as a merge patch
     * under the resourceVersion read, because a JSON Patch cannot add to a status the API server may not have yet.
     */
    private Incident writeAlerts(Incident incident, List<AlertRecord> alerts) {
        var json = client.getKubernetesSerialization();
        Long revision = incident.getStatus() == null ? null : incident.getStatus().alertsRevision;
        long next = revision == null ? 1 : revision + 1;
        // Through resource(incident): patching by name alone makes the client GET the object first.
        var target = client.resource(incident).subresource("status");
        try {
            if (revision == null) {
                return target.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"resourceVersion\":"
                        + json.asJson(incident.getMetadata().getResourceVersion()) + "},\"status\":{\"alerts\":"
                        + json.asJson(alerts) + ",\"alertsRevision\":" + next + "}}");
            }
            return target.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"test\",\"path\":\"/status/alertsRevision\","
                    + "\"value\":" + revision + "},{\"op\":\"replace\",\"path\":\"/status/alerts\",\"value\":"
                    + json.asJson(alerts) + "},{\"op\":\"replace\",\"path\":\"/status/alertsRevision\",\"value\":"
                    + next + "}]");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 422) {
                throw new KubernetesClientException("alerts changed concurrently: " + e.getMessage(),
                        HttpURLConnection.HTTP_CONFLICT, e.getStatus());
            }
            throw e;
        }
    }

    private Incident open(WebhookNotification n, String namespace, String group, int occurrence) {
        Incident incident = new Incident();
        incident.setMetadata(new ObjectMetaBuilder().withName(AlertGroup.incidentName(n, occurrence))
                .withNamespace(namespace)
                .addToLabels(AlertGroup.GROUP_LABEL, group)
                .addToLabels(OCCURRENCE_LABEL, Integer.toString(occurrence))
                .build());
        IncidentSpec spec = new IncidentSpec();
        spec.title = AlertGroup.title(n);
        spec.description = n.commonAnnotations().get("description");
        spec.source = new IncidentSource(SourceType.Alertmanager);
        spec.source.receiver = n.receiver();
        spec.source.groupKey = n.groupKey();
        spec.source.externalURL = n.externalURL();
        spec.affected.addAll(AlertGroup.workloads(n, namespace));
        // Alerts such as KubePodCrashLooping name only the pod: follow its owners to the workload.
        n.alerts().stream().filter(a -> namespace.equals(a.labels().get("namespace")))
                .filter(a -> a.labels().containsKey("pod") && !AlertGroup.namesWorkload(a))
                .map(a -> a.labels().get("pod")).distinct().limit(16)
                .map(pod -> podOwners.workloadOf(namespace, pod)).flatMap(Optional::stream)
                .filter(w -> !spec.affected.contains(w) && spec.affected.size() < 16)
                .forEach(spec.affected::add);
        incident.setSpec(spec);
        incident.setStatus(null);
        return incident;
    }

    /** Resolved longer ago than the reopen window: the group's next firing opens a new incident. */
    private boolean expired(Incident incident) {
        IncidentStatus s = incident.getStatus();
        if (s == null || s.phase != Phase.Resolved || s.resolvedAt == null) {
            return false;
        }
        Instant now = clock.instant();
        return s.resolvedAt.plus(config.intake().reopenWindow()).isBefore(now);
    }

    private static int occurrence(Incident incident) {
        String value = incident.getMetadata().getLabels() == null ? null
                : incident.getMetadata().getLabels().get(OCCURRENCE_LABEL);
        try {
            return value == null ? 1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * Whether the operator watches a namespace, by the operator SDK's setting: unset, JOSDK_ALL_NAMESPACES and
     * QOSDK_USE_BUILDTIME_NAMESPACES (Firebreak fixes none at build time) mean all; JOSDK_WATCH_CURRENT its own.
     */
    private boolean watched(String namespace) {
        Set<String> namespaces = Set.copyOf(watchedNamespaces.orElse(List.of()));
        if (namespaces.isEmpty() || namespaces.contains("JOSDK_ALL_NAMESPACES")
                || namespaces.contains("QOSDK_USE_BUILDTIME_NAMESPACES")) {
            return true;
        }
        return namespaces.contains(namespace)
                || (namespaces.contains("JOSDK_WATCH_CURRENT") && namespace.equals(config.namespace()));
    }
}
