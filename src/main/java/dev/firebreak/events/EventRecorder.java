package dev.firebreak.events;

import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.digest.Sha256;
import dev.firebreak.text.Text;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Records core/v1 Events on Firebreak's objects so that 'kubectl describe' tells the story. An Event's name is
 * derived from the object, its reason and its message, so the same Event again is the same object with its count
 * bumped (kubectl shows "x3 over 5m"), never a new one: a reconcile repeated after a conflict cannot multiply
 * Events. At most one Event per object, reason and type is written per {@link #WINDOW} (a storm of alert changes is
 * one AlertFiring Event a minute, not one per notification; a Warning that things got worse is never held back by a
 * Normal one of the same reason): the timeline is the complete record, Events its summary; the next Event of that
 * reason says how many were not written. Across all objects at most {@code firebreak.events.per-second} are
 * written (a storm of new incidents pages first; the rest are dropped and counted). Events are written off the
 * reconcile's thread, at most {@code firebreak.events.in-flight} at a time, {@value #QUEUED} waiting: so they yield
 * to the API server's latency (at 650 ms a write, two in flight are three a second, whatever the budget) and never
 * hold up a status write or a page; beyond the queue they are dropped and counted. An Event that cannot be written
 * is logged and dropped: Events are a courtesy, never a reason to fail a reconcile.
 */
@ApplicationScoped
public class EventRecorder {
    public static final String COMPONENT = "firebreak";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final int MAX_MESSAGE = 1024;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int KEPT = 4096;
    /** The most Events waiting for a writer; beyond it they are dropped (counted as {@code backlog}). */
    static final int QUEUED = 100;

    private final KubernetesClient client;
    private final Clock clock;
    private final String instance;
    /**
     * The count last written per Event name, so that a repeat needs no read; bounded. Two writers meet on one name
     * only when a minute's worth of Events waits for them: the count may then come out one low, nothing worse.
     */
    private final Map<String, Integer> counts = recent();

    /** Per object UID and reason: when its last Event was written, and how many were held back since. */
    private record Written(Instant at, int heldBack) {}

    private final Map<String, Written> written = recent();

    /** A map of the {@value #KEPT} entries used last. */
    private static <V> Map<String, V> recent() {
        return Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > KEPT;
            }
        });
    }

    /** Tokens for Events across all objects: {@code perSecond}, up to five seconds' worth saved. */
    private final int perSecond;

    private double tokens;
    private Instant refilled;
    private final Counter overBudget;
    private final Counter overBacklog;
    private final Executor writer;

    @Inject
    public EventRecorder(KubernetesClient client, Clock clock, FirebreakConfig config, MeterRegistry registry) {
        this(
                client,
                clock,
                config.events().perSecond(),
                dropped(registry, "budget"),
                dropped(registry, "backlog"),
                writers(config.events().inFlight()));
    }

    EventRecorder(
            KubernetesClient client,
            Clock clock,
            int perSecond,
            Counter overBudget,
            Counter overBacklog,
            Executor writer) {
        this.client = client;
        this.clock = clock;
        this.instance = System.getenv().getOrDefault("HOSTNAME", "firebreak");
        this.perSecond = perSecond;
        this.tokens = 5.0 * perSecond;
        this.refilled = clock.instant();
        this.overBudget = overBudget;
        this.overBacklog = overBacklog;
        this.writer = writer;
    }

    private static Counter dropped(MeterRegistry registry, String why) {
        return Counter.builder("firebreak.events.dropped")
                .tag("why", why)
                .description("Events not written: over the operator's Event budget (firebreak.events.per-second), "
                        + "or over the queue of Events waiting for a writer (firebreak.events.in-flight)")
                .register(registry);
    }

    private static ThreadPoolExecutor writers(int inFlight) {
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(1, inFlight);
        return new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUED),
                r -> {
                    Thread t = new Thread(r, "firebreak-events-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    @PreDestroy
    void stop() {
        if (writer instanceof ExecutorService service) {
            // Events still waiting are dropped: the client is closing, and leadership may be gone.
            service.shutdownNow();
        }
    }

    /** Whether the operator's Event budget has room for one more now (and takes it). */
    synchronized boolean withinBudget(Instant now) {
        if (now.isAfter(refilled)) {
            tokens = Math.min(
                    5.0 * perSecond,
                    tokens + perSecond * Duration.between(refilled, now).toNanos() / 1e9);
            refilled = now;
        }
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    public void normal(HasMetadata object, EventReason reason, String message) {
        record(object, "Normal", reason, message);
    }

    public void warning(HasMetadata object, EventReason reason, String message) {
        record(object, "Warning", reason, message);
    }

    /** Records the notices, each on its own object or else on {@code object}. */
    public void record(HasMetadata object, List<Notice> notices) {
        for (Notice n : notices) {
            record(n.about() == null ? object : n.about(), n.warning() ? "Warning" : "Normal", n.reason(), n.message());
        }
    }

    /**
     * Whether an Event of this reason may be written now: the number held back since the last one written, or empty
     * when one was written less than {@link #WINDOW} ago (this one is then held back and counted).
     */
    Optional<Integer> admit(HasMetadata object, String type, EventReason reason, Instant now) {
        String key = object.getMetadata().getUid() + "\u0000" + object.getKind() + "\u0000"
                + object.getMetadata().getName() + "\u0000" + type + "\u0000" + reason;
        Integer[] admitted = {null};
        written.compute(key, (k, last) -> {
            if (last != null && now.isBefore(last.at().plus(WINDOW))) {
                return new Written(last.at(), last.heldBack() + 1);
            }
            admitted[0] = last == null ? 0 : last.heldBack();
            return new Written(now, 0);
        });
        return Optional.ofNullable(admitted[0]);
    }

    /** The name of the Event for this object, type, reason and message: the same every time. */
    static String name(HasMetadata object, String type, EventReason reason, String message) {
        String id = object.getMetadata().getUid() == null
                ? object.getMetadata().getName()
                : object.getMetadata().getUid();
        String base = object.getMetadata().getName();
        base = base.length() <= 240 ? base : base.substring(0, 240).replaceAll("[-.]+$", "");
        return base + "." + Sha256.shortHex(id + "\u0000" + type + "\u0000" + reason + "\u0000" + message);
    }

    private void record(HasMetadata object, String type, EventReason reason, String message) {
        Instant now = clock.instant();
        Optional<Integer> heldBack = admit(object, type, reason, now);
        if (heldBack.isEmpty()) {
            LOG.debugf(
                    "%s event %s on %s/%s held back (one per reason a minute)",
                    type,
                    reason,
                    object.getMetadata().getNamespace(),
                    object.getMetadata().getName());
            return;
        }
        if (!withinBudget(now)) {
            overBudget.increment();
            LOG.debugf(
                    "%s event %s on %s/%s dropped: over the Event budget",
                    type,
                    reason,
                    object.getMetadata().getNamespace(),
                    object.getMetadata().getName());
            return;
        }
        String text = Text.cut(
                Text.wellFormed(message)
                        + (heldBack.get() == 0
                                ? ""
                                : " (" + heldBack.get() + " more " + reason
                                        + " in the minute before, on the timeline)"),
                MAX_MESSAGE);
        String name = name(object, type, reason, text);
        String namespace = object.getMetadata().getNamespace();
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(object.getApiVersion())
                        .withKind(object.getKind())
                        .withName(object.getMetadata().getName())
                        .withNamespace(namespace)
                        .withUid(object.getMetadata().getUid())
                        .withResourceVersion(object.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason.name())
                .withMessage(text)
                .withCount(1)
                .withFirstTimestamp(now.toString())
                .withLastTimestamp(now.toString())
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .build();
        try {
            writer.execute(() -> write(event, now));
        } catch (RejectedExecutionException e) {
            overBacklog.increment();
            LOG.debugf(
                    "%s event %s on %s/%s dropped: %d Events already wait for a writer",
                    type, reason, namespace, object.getMetadata().getName(), QUEUED);
        }
    }

    /** Writes the Event, or bumps the count of the one of the same name. */
    private void write(Event event, Instant now) {
        String name = event.getMetadata().getName();
        String namespace = event.getMetadata().getNamespace();
        try {
            Integer known = counts.get(name);
            if (known == null) {
                try {
                    client.v1().events().inNamespace(namespace).resource(event).create();
                    counts.put(name, 1);
                    return;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    Event existing = client.v1()
                            .events()
                            .inNamespace(namespace)
                            .withName(name)
                            .get();
                    known = existing == null || existing.getCount() == null ? 1 : existing.getCount();
                }
            }
            int count = known + 1;
            try {
                // Through resource(event): patching by name alone makes the client GET the object first.
                client.v1()
                        .events()
                        .inNamespace(namespace)
                        .resource(event)
                        .patch(
                                PatchContext.of(PatchType.JSON_MERGE),
                                client.getKubernetesSerialization()
                                        .asJson(Map.of("count", count, "lastTimestamp", now.toString())));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                // Expired (the API server keeps Events for an hour): a new one.
                client.v1().events().inNamespace(namespace).resource(event).create();
                count = 1;
            }
            counts.put(name, count);
        } catch (RuntimeException e) {
            counts.remove(name);
            LOG.warnf(
                    "could not record %s event %s on %s %s/%s: %s",
                    event.getType().toLowerCase(Locale.ROOT),
                    event.getReason(),
                    event.getInvolvedObject().getKind(),
                    namespace,
                    event.getInvolvedObject().getName(),
                    e.getMessage());
        }
    }
}
