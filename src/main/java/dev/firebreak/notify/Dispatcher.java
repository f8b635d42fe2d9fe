package dev.firebreak.notify;

import dev.firebreak.api.v1alpha1.status.Channel;
import dev.firebreak.config.FirebreakConfig;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs delivery attempts off the reconcile threads, a bounded number at once, and hands their outcomes back: it
 * keeps each outcome until the incident's status records it, and wakes the incident's reconciler when one arrives. A
 * slow or failing channel therefore holds one of these threads for at most one timeout and never a reconcile. Each
 * destination has its own Lane (its pace, and a digest of what waits beyond it), so a burst is never turned into
 * lost pages by a rate limit and one busy destination never delays another. The outcomes live in memory only:
 * after a restart or a leader change, a notification still Pending in status is attempted again (at-least-once;
 * PagerDuty and Opsgenie deduplicate by the incident's UID).
 */
@ApplicationScoped
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    /** One notification of one incident. */
    public record Key(String incidentUid, int id) {}

    /**
     * The outcome of attempt number {@code attempt} (1-based); {@code digest}: the delivery carried this notification
     * with others (its id, how many).
     */
    public record Result(int attempt, Attempt outcome, Instant at, Optional<Digest> digest) {}

    /** A delivery that carried several incidents' notifications to one destination over its rate. */
    public record Digest(String id, int incidents) {}

    /**
     * One attempt of one notification: where it goes ({@code destination}, one Lane each), what it says, and how to
     * send a message to it (the dispatcher may send a digest in its place).
     */
    public record Request(
            Key key,
            int attempt,
            ResourceID incident,
            String destination,
            Channel channel,
            Message message,
            Function<Message, Attempt> send)
            implements Lane.Item {
        @Override
        public Object kind() {
            return List.of(message.action(), message.drill());
        }
    }

    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final int parallel;
    private final NotificationMetrics metrics;
    private final Clock clock;
    private final Map<String, Lane<Request>> lanes = new ConcurrentHashMap<>();
    private final Map<Key, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Map<Key, Result> results = new ConcurrentHashMap<>();
    /**
     * The highest attempt started per notification, until its status is final: a reconcile working from a copy of
     * the incident older than the one that recorded an attempt would otherwise start that attempt again (a second
     * page). Cleared by {@link #finished} once the status holds a final result.
     */
    private final Map<Key, Integer> started = new ConcurrentHashMap<>();
    /** Notifications whose final result was counted (until their status holds it). */
    private final Set<Key> counted = ConcurrentHashMap.newKeySet();

    private volatile Consumer<ResourceID> wake = id -> {};
    /** Shutting down: nothing new is started (it stays Pending in status, for the next leader). */
    private volatile boolean draining;

    public Dispatcher(FirebreakConfig config, NotificationMetrics metrics, Clock clock) {
        AtomicInteger n = new AtomicInteger();
        int concurrency = config.notifications().concurrency();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "firebreak-notify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "firebreak-notify-pace");
            t.setDaemon(true);
            return t;
        });
        // One destination never takes every thread: the others keep theirs.
        this.parallel = Math.max(1, concurrency / 2);
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Who to tell that an outcome arrived: the incident reconciler's event source. */
    public void onResult(Consumer<ResourceID> wake) {
        this.wake = wake;
    }

    /**
     * Queues the attempt on its destination's lane unless one for the same notification is queued or running or
     * this attempt (or a later one) was started already; false when it was not queued.
     */
    public boolean submit(Request request) {
        Key key = request.key();
        int attempt = request.attempt();
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
        Lane<Request> lane = lanes.computeIfAbsent(
                request.destination(), d -> new Lane<>(request.channel().pace(), parallel));
        lane.add(request);
        pump(lane);
        return true;
    }

    /** Starts what the lane lets start now, and sets a timer for when it lets more. */
    private void pump(Lane<Request> lane) {
        if (draining) {
            lane.clear().forEach(r -> inFlight.remove(r.key()));
            return;
        }
        for (List<Request> batch = lane.take(clock.instant()); !batch.isEmpty(); batch = lane.take(clock.instant())) {
            List<Request> delivery = batch;
            try {
                pool.execute(() -> deliver(lane, delivery));
            } catch (RejectedExecutionException e) {
                delivery.forEach(r -> inFlight.remove(r.key()));
                lane.done(Attempt.retry("shutting down", Optional.empty()), clock.instant());
                return;
            }
        }
        lane.due(clock.instant()).ifPresent(at -> {
            long delay = Math.max(1, Duration.between(clock.instant(), at).toMillis());
            try {
                timer.schedule(
                        () -> {
                            lane.woke();
                            pump(lane);
                        },
                        delay,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        });
    }

    /** One delivery: one notification's message, or a digest standing for several. */
    private void deliver(Lane<Request> lane, List<Request> batch) {
        Request first = batch.get(0);
        Optional<Digest> digest = batch.size() == 1
                ? Optional.empty()
                : Optional.of(new Digest(
                        first.key().incidentUid() + "-" + first.key().id() + "+" + (batch.size() - 1), batch.size()));
        Message message = digest.isEmpty()
                ? first.message()
                : Message.digest(batch.stream().map(Request::message).toList());
        Attempt outcome = attempt(() -> first.send().apply(message));
        Instant at = clock.instant();
        metrics.attempt(first.channel(), outcome.outcome());
        lane.done(outcome, at);
        digest.ifPresent(d -> LOG.infof(
                "%s digest %s: %d notifications in one delivery: %s",
                first.channel(), d.id(), d.incidents(), outcome.outcome()));
        for (Request r : batch) {
            results.put(r.key(), new Result(r.attempt(), outcome, at, digest));
            inFlight.remove(r.key());
            wake.accept(r.incident());
        }
        pump(lane);
    }

    /**
     * One attempt whose outcome nobody records in a status (a review's reminder): counted by the caller's callback,
     * never retried. False when the pool refused it.
     */
    public boolean once(Channel channel, Supplier<Attempt> delivery, Consumer<Attempt> outcome) {
        if (draining) {
            return false;
        }
        try {
            pool.execute(() -> {
                Attempt a = attempt(delivery);
                metrics.attempt(channel, a.outcome());
                metrics.delivered(channel, a.outcome());
                outcome.accept(a);
            });
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
            return Attempt.retry("internal error: " + e.getClass().getSimpleName(), Optional.empty());
        }
    }

    public boolean inFlight(Key key) {
        return inFlight.containsKey(key);
    }

    /** The outcome waiting to be recorded for a notification, if any. */
    public Optional<Result> result(Key key) {
        return Optional.ofNullable(results.get(key));
    }

    /** Drops an outcome once the status records {@code persistedAttempts} attempts or more. */
    public void recorded(Key key, int persistedAttempts) {
        results.computeIfPresent(key, (k, r) -> r.attempt() <= persistedAttempts ? null : r);
    }

    /**
     * An outcome made the notification's result final (about to be written to its status): counted once, by the
     * process that attempted it, however often a conflicting status write makes the reconcile record it again.
     */
    public void finalResult(Key key, Channel channel, Attempt.Outcome result) {
        if (started.containsKey(key) && counted.add(key)) {
            metrics.delivered(channel, result);
        }
    }

    /** The status holds a final result for the notification: nothing of it is attempted again. */
    public void finished(Key key) {
        started.remove(key);
        results.remove(key);
        counted.remove(key);
    }

    /**
     * At shutdown, while the reconcilers still run: starts nothing new, and waits (at most {@code atMost}) until every
     * attempt in flight has finished and its outcome was recorded in the incident's status. Returns how many
     * notifications were still in flight or unrecorded.
     */
    public int drain(Duration atMost) {
        draining = true;
        lanes.values().forEach(lane -> lane.clear().forEach(r -> inFlight.remove(r.key())));
        long deadline = System.nanoTime() + atMost.toNanos();
        while ((!inFlight.isEmpty() || !results.isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Set<Key> left = new HashSet<>(inFlight.keySet());
        left.addAll(results.keySet());
        return left.size();
    }

    void shutdown(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) ShutdownEvent event) {
        timer.shutdownNow();
        pool.shutdownNow();
    }
}
