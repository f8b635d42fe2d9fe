package dev.firebreak.notify;

import dev.firebreak.config.FirebreakConfig;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs delivery attempts off the reconcile threads, a bounded number at once, and hands their outcomes back: it
 * keeps each outcome until the incident's status records it, and wakes the incident's reconciler when one arrives. A
 * slow or failing channel therefore holds one of these threads for at most one timeout and never a reconcile. The
 * outcomes live in memory only: after a restart or a leader change, a notification still Pending in status is
 * attempted again (at-least-once; PagerDuty and Opsgenie deduplicate by the incident's UID).
 */
@ApplicationScoped
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    /** One notification of one incident. */
    public record Key(String incidentUid, int id) {
    }

    /** The outcome of attempt number {@code attempt} (1-based). */
    public record Result(int attempt, Attempt outcome, Instant at) {
    }

    private final ExecutorService pool;
    private final Map<Key, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Map<Key, Result> results = new ConcurrentHashMap<>();
    /**
     * The highest attempt started per notification, until its status is final: a reconcile working from a copy of
     * the incident older than the one that recorded an attempt would otherwise start that attempt again (a second
     * page). Cleared by {@link #recorded} once the status holds a final result.
     */
    private final Map<Key, Integer> started = new ConcurrentHashMap<>();
    private volatile Consumer<ResourceID> wake = id -> {
    };
    /** Shutting down: nothing new is started (it stays Pending in status, for the next leader). */
    private volatile boolean draining;

    public Dispatcher(FirebreakConfig config) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.notifications().concurrency(), r -> {
            Thread t = new Thread(r, "firebreak-notify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Who to tell that an outcome arrived: the incident reconciler's event source. */
    public void onResult(Consumer<ResourceID> wake) {
        this.wake = wake;
    }

    /**
     * Starts attempt {@code attempt} unless one for the same notification is running or this attempt (or a later
     * one) was started already; false when it was not started.
     */
    public boolean submit(Key key, int attempt, ResourceID incident, Supplier<Attempt> delivery,
            java.time.Clock clock) {
        if (draining || inFlight.putIfAbsent(key, Boolean.TRUE) != null) {
            return false;
        }
        boolean[] fresh = {false};
        started.compute(key, (k, last) -> {
            if (last != null && last >= attempt) {
                return last;
            }
            fresh[0] = true;
            return attempt;
        });
        if (!fresh[0]) {
            inFlight.remove(key);
            LOG.debugf("attempt %d of notification %s was started already: not again", attempt, key);
            return false;
        }
        try {
            pool.execute(() -> {
                Attempt outcome = attempt(delivery);
                results.put(key, new Result(attempt, outcome, clock.instant()));
                inFlight.remove(key);
                wake.accept(incident);
            });
            return true;
        } catch (RejectedExecutionException e) {
            inFlight.remove(key);
            return false;
        }
    }

    /**
     * One attempt whose outcome nobody records in a status (a review's reminder): counted by the caller's callback,
     * never retried. False when the pool refused it.
     */
    public boolean once(Supplier<Attempt> delivery, Consumer<Attempt> outcome) {
        if (draining) {
            return false;
        }
        try {
            pool.execute(() -> outcome.accept(attempt(delivery)));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** One attempt; a missing Secret is final, anything unexpected is retried. */
    private static Attempt attempt(Supplier<Attempt> delivery) {
        try {
            return delivery.get();
        } catch (Credentials.Missing e) {
            return Attempt.failed(e.getMessage());
        } catch (RuntimeException e) {
            // Never the exception's message: it may quote a request. The class says enough to investigate.
            LOG.warnf("delivery attempt failed unexpectedly: %s", e.getClass().getName());
            return Attempt.retry("internal error: " + e.getClass().getSimpleName(), java.util.Optional.empty());
        }
    }

    public boolean inFlight(Key key) {
        return inFlight.containsKey(key);
    }

    /** The outcome waiting to be recorded for a notification, if any. */
    public java.util.Optional<Result> result(Key key) {
        return java.util.Optional.ofNullable(results.get(key));
    }

    /** Drops an outcome once the status records {@code persistedAttempts} attempts or more. */
    public void recorded(Key key, int persistedAttempts) {
        results.computeIfPresent(key, (k, r) -> r.attempt() <= persistedAttempts ? null : r);
    }

    /** The status holds a final result for the notification: nothing of it is attempted again. */
    public void finished(Key key) {
        started.remove(key);
        results.remove(key);
    }

    /**
     * At shutdown, while the reconcilers still run: starts nothing new, and waits (at most {@code atMost}) until every
     * attempt in flight has finished and its outcome was recorded in the incident's status. Returns how many
     * notifications were still in flight or unrecorded.
     */
    public int drain(java.time.Duration atMost) {
        draining = true;
        long deadline = System.nanoTime() + atMost.toNanos();
        while ((!inFlight.isEmpty() || !results.isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        java.util.Set<Key> left = new java.util.HashSet<>(inFlight.keySet());
        left.addAll(results.keySet());
        return left.size();
    }

    void shutdown(@Observes @jakarta.annotation.Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000)
            ShutdownEvent event) {
        pool.shutdownNow();
    }
}
