package dev.firebreak.intake.alertmanager;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertsSummary;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.kubeapi.ApiFailure;
import dev.firebreak.kubeapi.Clients;
import dev.firebreak.kubeapi.JsonPatch;
import dev.firebreak.kubeapi.PrimaryCaches;
import dev.firebreak.text.Text;
import dev.firebreak.workload.PodOwners;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Persists a notification on its group's incident, and only then may the webhook answer 2xx. The intake writes the
 * incident's spec when it opens it, and afterwards only status.alerts, status.alertsRevision and status.alertsSummary
 * (a JSON Patch guarded by a test that the revision is still what it read, retried on conflict), so it never
 * overwrites what humans (the spec) or the reconciler (the rest of the status) wrote meanwhile.
 *
 * <p>Every failure of the API server is classified ({@link ApiFailure}): a conflict or a vanished incident is retried
 * on fresh state; a namespace that does not exist or is not Firebreak's to write opens the incident in the default
 * namespace instead, with a note; an object the API server refuses as invalid or too large is written again in a
 * smaller form (a minimal spec, compact alerts), and only if that is refused too is the notification {@link Refused};
 * whatever a later retry can fix is {@link Unavailable}. The bytes written per incident per minute are bounded
 * ({@link WriteBudget}): beyond them, {@link Unavailable} with the time to wait.
 *
 * <p>In a storm every API request counts, so a notification costs one write and no read: the group's incidents come
 * from the incident controller's cache (indexed by group, {@link GroupIndex}; not a cache of its own, which at 5,000
 * incidents was a third copy of every one), the alerts and their revision from this process's own last write to that
 * incident (the intake is the only writer of status.alerts; the cache may lag behind it by a few milliseconds).
 * Notifications of one group are persisted one at a time. Only a conflict (another replica, or a lagging cache) costs
 * a fresh LIST, on the retry.
 */
@ApplicationScoped
public class AlertmanagerIntake {
    public static final String OCCURRENCE_LABEL = "firebreak.dev/alert-group-occurrence";
    private static final Logger LOG = Logger.getLogger(AlertmanagerIntake.class);
    private static final int ATTEMPTS = 5;
    /**
     * What an alerts write is charged beyond the alerts themselves: more than the rest of the object the API server
     * stores again with them can take (timeline at most 128 KiB, the intake's spec, conditions, escalation), so that
     * the write budget bounds the bytes etcd stores, not only the alerts'.
     */
    static final long OBJECT_OVERHEAD = 192 * 1024;

    /** What was done: which incident, whether it was opened now, whether anything was written, and the summary. */
    public record Persisted(String namespace, String name, boolean opened, boolean written, AlertsSummary summary) {}

    /** A retry later can succeed: the API server is unavailable, or the incident's write budget is spent. */
    public static final class Unavailable extends RuntimeException {
        private final Duration retryAfter;

        Unavailable(String message, Duration retryAfter, Throwable cause) {
            super(message, cause);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** Nothing of the notification can ever be stored: the API server refuses even its smallest form. */
    public static final class Refused extends RuntimeException {
        private final String field;

        Refused(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** For the writes and the LIST on a retry, which classify their own failures (no fabric8 retries). */
    private final KubernetesClient client;

    private final PrimaryCaches caches;
    private final PodOwners podOwners;
    private final FirebreakConfig config;
    private final Clock clock;
    private final Operator operator;
    /** The incident controller's namespaces, once read from the operator SDK (see {@link #watchedNamespaceList}). */
    private volatile Set<String> watchedNamespaces;

    private final Object[] groupLocks = new Object[64];
    private final WriteBudget budget;
    private final AlertMerge.Budget alertBudget;
    /**
     * The incident as this process last wrote its alerts, by namespace/name, only until the cache has caught up with
     * that write (then its copy is as new, and this one is dropped when next read): so it holds the incidents written
     * in the last moments, not a second copy of every incident. Bounded all the same, least recently used out.
     */
    private final Map<String, Incident> lastWritten = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Incident> eldest) {
            return size() > 256;
        }
    });

    private volatile String defaultNamespace;

    public AlertmanagerIntake(
            KubernetesClient client,
            PrimaryCaches caches,
            PodOwners podOwners,
            FirebreakConfig config,
            Clock clock,
            Operator operator) {
        this.client = Clients.withoutRetries(client);
        this.caches = caches;
        this.podOwners = podOwners;
        this.config = config;
        this.clock = clock;
        this.operator = operator;
        this.budget = new WriteBudget(config.intake().maxBytesPerMinute().asLongValue());
        this.alertBudget = AlertMerge.Budget.of(config.intake().alertBudget().asLongValue());
        Arrays.setAll(groupLocks, i -> new Object());
    }

    /** Decides the default namespace at start-up: a configured one no controller watches stops the start here. */
    void start(@Observes StartupEvent event) {
        Optional<Set<String>> only = watchedNamespaceList();
        defaultNamespace = defaultNamespace(config.intake().defaultNamespace(), config.namespace(), only);
        if (only.isPresent()) {
            LOG.infof("incidents whose alerts name no watched namespace open in %s", defaultNamespace);
        }
    }

    public Persisted persist(WebhookNotification notification) {
        String group = AlertGroup.hash(notification.receiver(), notification.groupKey());
        KubernetesClientException last = null;
        // The incident an attempt opened before its alerts write failed: the retry that finds it still opened it.
        AtomicReference<String> openedUid = new AtomicReference<>();
        synchronized (groupLocks[Math.floorMod(group.hashCode(), groupLocks.length)]) {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    return attempt(notification, group, attempt == 1, openedUid);
                } catch (KubernetesClientException e) {
                    ApiFailure.Classified failure = ApiFailure.classify(e, false);
                    switch (failure.kind()) {
                        case CONFLICT, GONE -> last = e;
                        case INVALID, TOO_LARGE -> throw refused(failure);
                        default ->
                            throw new Unavailable("the Kubernetes API is not available: " + e.getMessage(), null, e);
                    }
                }
            }
        }
        throw new Unavailable("the incident kept changing under this write", null, last);
    }

    private Persisted attempt(WebhookNotification n, String group, boolean cached, AtomicReference<String> openedUid) {
        Optional<Incident> latest =
                groupIncidents(group, cached).stream().max(Comparator.comparingInt(AlertmanagerIntake::occurrence));
        boolean opened;
        Incident incident;
        if (latest.isEmpty() || (expired(latest.get()) && n.firing())) {
            int occurrence = latest.map(AlertmanagerIntake::occurrence).orElse(0) + 1;
            // 409 when the cache had not seen it yet: the retry reads afresh and finds it.
            incident = open(n, group, occurrence);
            openedUid.set(incident.getMetadata().getUid());
            opened = true;
        } else {
            incident = latest.get();
            opened = incident.getMetadata().getUid().equals(openedUid.get());
            if (cached) {
                Incident mine = lastWritten.get(key(incident));
                if (mine != null
                        && mine.getMetadata()
                                .getUid()
                                .equals(incident.getMetadata().getUid())
                        && revision(mine) > revision(incident)) {
                    incident = mine;
                } else if (mine != null) {
                    lastWritten.remove(key(incident)); // the cache has caught up with it, or it was another incident
                }
            }
        }
        IncidentStatus status = incident.getStatus();
        List<AlertRecord> current = status == null ? List.of() : status.alerts;
        Long revision = status == null ? null : status.alertsRevision;
        long next = revision == null ? 1 : revision + 1;
        AlertMerge.Result merge = AlertMerge.merge(
                current, status == null ? null : status.alertsSummary, n, next, clock.instant(), alertBudget);
        boolean written = false;
        if (merge.changed()) {
            if (!opened) {
                Optional<Duration> wait = budget.take(
                        incident.getMetadata().getUid(), merge.summary().bytes + OBJECT_OVERHEAD, clock.instant());
                if (wait.isPresent()) {
                    throw new Unavailable(
                            "incident " + key(incident) + " has had its share of writes this minute", wait.get(), null);
                }
            } else {
                budget.take(incident.getMetadata().getUid(), merge.summary().bytes + OBJECT_OVERHEAD, clock.instant());
            }
            incident = writeAlertsOrSmaller(incident, merge, n, next);
            lastWritten.put(key(incident), incident);
            written = true;
        }
        return new Persisted(
                incident.getMetadata().getNamespace(),
                incident.getMetadata().getName(),
                opened,
                written,
                merge.summary());
    }

    /** The group's incidents in any watched namespace: from the cache, or (on a retry, or before it is ready) a LIST. */
    private List<Incident> groupIncidents(String group, boolean cached) {
        Optional<List<Incident>> fromCache =
                cached ? caches.byIndex(Incident.class, GroupIndex.NAME, group) : Optional.empty();
        if (fromCache.isPresent()) {
            return fromCache.get();
        }
        var resources = client.resources(Incident.class);
        Optional<Set<String>> only = watchedNamespaceList();
        if (only.isEmpty()) {
            return resources
                    .inAnyNamespace()
                    .withLabel(AlertGroup.GROUP_LABEL, group)
                    .list()
                    .getItems();
        }
        return only.get().stream()
                .flatMap(ns ->
                        resources.inNamespace(ns).withLabel(AlertGroup.GROUP_LABEL, group).list().getItems().stream())
                .toList();
    }

    private static long revision(Incident incident) {
        return incident.getStatus() == null || incident.getStatus().alertsRevision == null
                ? 0
                : incident.getStatus().alertsRevision;
    }

    private static String key(Incident incident) {
        return incident.getMetadata().getNamespace() + "/"
                + incident.getMetadata().getName();
    }

    /**
     * Writes the merged alerts. An object the API server refuses as invalid or too large is written again with the
     * alerts compact and in a quarter of the budget; refused again, nothing of it can be stored.
     */
    private Incident writeAlertsOrSmaller(
            Incident incident, AlertMerge.Result merge, WebhookNotification n, long next) {
        try {
            return writeAlerts(incident, merge, next);
        } catch (KubernetesClientException e) {
            ApiFailure.Classified failure = ApiFailure.classify(e, false);
            if (failure.kind() != ApiFailure.Kind.INVALID && failure.kind() != ApiFailure.Kind.TOO_LARGE) {
                throw e;
            }
            LOG.errorf(
                    "the API server refused the alerts of %s (%s): writing them compactly. This is a bug in "
                            + "Firebreak or a policy of the cluster: %s",
                    key(incident), failure.kind(), failure.message());
            AlertMerge.Budget b = alertBudget;
            IncidentStatus status = incident.getStatus();
            AlertMerge.Result smaller = AlertMerge.merge(
                    List.of(),
                    status == null ? null : status.alertsSummary,
                    n,
                    next,
                    clock.instant(),
                    new AlertMerge.Budget(b.bytes() / 4, 0, b.records() / 4));
            try {
                return writeAlerts(incident, smaller, next);
            } catch (KubernetesClientException again) {
                ApiFailure.Classified second = ApiFailure.classify(again, false);
                if (second.kind() == ApiFailure.Kind.INVALID || second.kind() == ApiFailure.Kind.TOO_LARGE) {
                    throw refused(second);
                }
                throw again;
            }
        }
    }

    /**
     * Replaces status.alerts, their revision and their summary and nothing else, only if the revision is still what
     * was read: only a concurrent alerts write (another replica) fails it (a failed test, or 409 on the
     * resourceVersion), and the caller retries on fresh state. Humans editing the spec and the reconciler writing the
     * rest of the status never conflict with it. The test is on the revision, a number, not on the alerts themselves:
     * the API server compares a test's strings byte for byte as it re-encodes them (escaping {@code &}, {@code <},
     * {@code >}), so a generatorURL with a query string would never match. The first alerts of a new incident go in
     * as a merge patch under the resourceVersion read, because a JSON Patch cannot add to a status the API server may
     * not have yet.
     */
    private Incident writeAlerts(Incident incident, AlertMerge.Result merge, long next) {
        var json = client.getKubernetesSerialization();
        Long revision = incident.getStatus() == null ? null : incident.getStatus().alertsRevision;
        // Through resource(incident): patching by name alone makes the client GET the object first.
        var target = client.resource(incident).subresource("status");
        if (revision == null) {
            // A status the reconciler has not written yet starts its revision at 0 (status/StatusUpdate), so that the
            // reconciler's first write tests that, not the resourceVersion, which the next alerts write moves.
            boolean unrecorded = incident.getStatus() == null || incident.getStatus().recordRevision == null;
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("alerts", merge.alerts());
            status.put("alertsRevision", next);
            status.put("alertsSummary", merge.summary());
            if (unrecorded) {
                status.put("recordRevision", 0);
            }
            return target.patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    json.asJson(Map.of(
                            "metadata",
                            Map.of("resourceVersion", incident.getMetadata().getResourceVersion()),
                            "status",
                            status)));
        }
        // Only the test can fail: "add" replaces a member that is there and adds one that is not.
        return target.patch(
                PatchContext.of(PatchType.JSON),
                JsonPatch.with(json)
                        .test("/status/alertsRevision", revision)
                        .add("/status/alerts", merge.alerts())
                        .add("/status/alertsRevision", next)
                        .add("/status/alertsSummary", merge.summary())
                        .toJson());
    }

    /**
     * Creates the group's incident: in the namespace its labels name when Firebreak watches it and may write there,
     * else in the default namespace (noted); an incident the API server refuses is created again in its smallest form
     * (title and source only, noted).
     */
    private Incident open(WebhookNotification n, String group, int occurrence) {
        String fallback = defaultNamespace != null
                ? defaultNamespace
                : defaultNamespace(config.intake().defaultNamespace(), config.namespace(), watchedNamespaceList());
        AlertGroup.Notes notes = new AlertGroup.Notes();
        String namespace = AlertGroup.namespace(n, this::watched, fallback, notes);
        boolean minimal = false;
        while (true) {
            Incident incident = incident(n, group, occurrence, namespace, notes, minimal);
            try {
                return client.resource(incident).create();
            } catch (KubernetesClientException e) {
                ApiFailure.Classified failure = ApiFailure.classify(e, true);
                if (failure.kind() == ApiFailure.Kind.NAMESPACE_UNAVAILABLE && !namespace.equals(fallback)) {
                    notes.add(
                            "commonLabels.namespace",
                            "Firebreak cannot create incidents in namespace " + namespace
                                    + " (" + (e.getCode() == 404 ? "it does not exist" : "forbidden or terminating")
                                    + "); opened in " + fallback);
                    namespace = fallback;
                } else if ((failure.kind() == ApiFailure.Kind.INVALID || failure.kind() == ApiFailure.Kind.TOO_LARGE)
                        && !minimal) {
                    LOG.errorf(
                            "the API server refused incident %s/%s (%s): creating it in its smallest form. This "
                                    + "is a bug in Firebreak or a policy of the cluster: %s",
                            namespace, incident.getMetadata().getName(), failure.kind(), failure.message());
                    notes.add(
                            failure.field().orElse("spec"),
                            "the API server refused the incident as "
                                    + (failure.kind() == ApiFailure.Kind.INVALID ? "invalid" : "too large")
                                    + "; opened with its title and source only: " + Text.cut(failure.message(), 300));
                    minimal = true;
                } else if (failure.kind() == ApiFailure.Kind.INVALID || failure.kind() == ApiFailure.Kind.TOO_LARGE) {
                    throw refused(failure);
                } else if (failure.kind() == ApiFailure.Kind.NAMESPACE_UNAVAILABLE) {
                    throw new Unavailable(
                            "cannot create incidents in the default namespace " + fallback + ": " + e.getMessage(),
                            null,
                            e);
                } else {
                    throw e;
                }
            }
        }
    }

    private Incident incident(
            WebhookNotification n,
            String group,
            int occurrence,
            String namespace,
            AlertGroup.Notes notes,
            boolean minimal) {
        return AlertGroup.incident(
                n, group, occurrence, namespace, notes, minimal, pod -> podOwners.workloadOf(namespace, pod));
    }

    private static Refused refused(ApiFailure.Classified failure) {
        return new Refused(
                failure.field().orElse("alerts"),
                "the Kubernetes API refuses what Firebreak made of this "
                        + "notification as " + (failure.kind() == ApiFailure.Kind.INVALID ? "invalid" : "too large")
                        + ": "
                        + Text.cut(failure.message(), 512));
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
        String value = incident.getMetadata().getLabels() == null
                ? null
                : incident.getMetadata().getLabels().get(OCCURRENCE_LABEL);
        try {
            return value == null ? 1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * Where an incident opens whose alerts name no namespace Firebreak watches: one it watches, or the incident would
     * never be reconciled (and, without the RBAC there, every notification of its group answered 503 for ever). The
     * configured one must be watched (else Firebreak does not start: a configuration no retry can fix); unset, the
     * operator's own namespace when watched, else the first watched namespace.
     */
    static String defaultNamespace(Optional<String> configured, String own, Optional<Set<String>> watched) {
        if (configured.isPresent()) {
            if (watched.isPresent() && !watched.get().contains(configured.get())) {
                throw new IllegalStateException("firebreak.intake.default-namespace is " + configured.get()
                        + ", which Firebreak's incident controller does not watch (namespaces: "
                        + String.join(",", watched.get()) + "): its incidents would never be reconciled");
            }
            return configured.get();
        }
        if (watched.isEmpty() || watched.get().contains(own)) {
            return own;
        }
        return new TreeSet<>(watched.get()).first();
    }

    /**
     * The namespaces the incident controller watches (empty: all), as the operator SDK configured it, the
     * per-controller setting ({@code quarkus.operator-sdk.controllers.incident.namespaces}) included: an incident
     * opened anywhere else would never be reconciled, and the intake would not find it in the controller's cache.
     */
    private Optional<Set<String>> watchedNamespaceList() {
        Set<String> namespaces = watchedNamespaces;
        if (namespaces == null) {
            InformerConfiguration<?> informer = operator.getRegisteredControllers().stream()
                    .map(RegisteredController::getConfiguration)
                    .filter(c -> c.getResourceClass() == Incident.class)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no controller of incidents is registered"))
                    .getInformerConfig();
            namespaces = informer.watchAllNamespaces()
                    ? Set.of()
                    : new TreeSet<>(informer.getNamespaces().stream()
                            .map(n -> n.equals(Constants.WATCH_CURRENT_NAMESPACE) ? config.namespace() : n)
                            .toList());
            watchedNamespaces = namespaces;
        }
        return namespaces.isEmpty() ? Optional.empty() : Optional.of(namespaces);
    }

    private boolean watched(String namespace) {
        return watchedNamespaceList().map(only -> only.contains(namespace)).orElse(true);
    }
}
