package dev.firebreak.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * One destination's queue and pace, so that a burst never turns a rate limit into lost pages and one busy
 * destination never delays another. A destination with a pace (its channel's documented rate, or one learned from a
 * 429 and its Retry-After, for {@link #LEARNED_FOR}) gets one delivery at a time, no sooner than the pace allows,
 * and that delivery carries everything of the same kind waiting for it (a digest, at most {@link #DIGEST_MAX}
 * notifications); any other gets up to {@code parallel} deliveries at once, one notification each. Decisions only:
 * the Dispatcher runs what {@link #take} gives and reports back with {@link #done}. Thread-safe.
 */
final class Lane<T extends Lane.Item> {
    static final int DIGEST_MAX = 500;
    static final Duration LEARNED_FOR = Duration.ofMinutes(1);
    static final Duration LEARNED_MIN = Duration.ofSeconds(1);

    /** What the lane needs to know of a notification to bundle it: its key and what kind of message it is. */
    interface Item {
        Dispatcher.Key key();

        /** Only notifications of the same kind (action, drill or not) share a delivery. */
        Object kind();
    }

    private final Duration pace;
    private final int parallel;
    private final LinkedHashMap<Dispatcher.Key, T> waiting = new LinkedHashMap<>();
    private Instant nextFree = Instant.EPOCH;
    private Instant learnedUntil = Instant.EPOCH;
    private Duration learned = Duration.ZERO;
    private int inFlight;
    private Instant timerAt;

    Lane(Duration pace, int parallel) {
        this.pace = pace;
        this.parallel = Math.max(1, parallel);
    }

    synchronized void add(T item) {
        waiting.putIfAbsent(item.key(), item);
    }

    /** The notifications of the next delivery, to start now; empty when none may start now. */
    synchronized List<T> take(Instant now) {
        if (waiting.isEmpty()) {
            return List.of();
        }
        Duration p = pace(now);
        List<T> batch = new ArrayList<>();
        if (p.isZero()) {
            if (inFlight >= parallel) {
                return List.of();
            }
            Iterator<T> it = waiting.values().iterator();
            batch.add(it.next());
            it.remove();
        } else {
            if (inFlight > 0 || now.isBefore(nextFree)) {
                return List.of();
            }
            Object kind = waiting.values().iterator().next().kind();
            for (Iterator<T> it = waiting.values().iterator(); it.hasNext() && batch.size() < DIGEST_MAX; ) {
                T item = it.next();
                if (item.kind().equals(kind)) {
                    batch.add(item);
                    it.remove();
                }
            }
            nextFree = now.plus(p);
        }
        inFlight++;
        return batch;
    }

    /** A delivery finished: a 429 teaches the lane the destination's pace. */
    synchronized void done(Attempt outcome, Instant now) {
        inFlight--;
        if (outcome.rateLimited()) {
            Duration wait = outcome.retryAfter()
                    .filter(d -> d.compareTo(LEARNED_MIN) > 0)
                    .orElse(LEARNED_MIN);
            learned = wait.compareTo(learned) > 0 || !now.isBefore(learnedUntil) ? wait : learned;
            learnedUntil = now.plus(LEARNED_FOR);
            Instant retryAt = now.plus(wait);
            nextFree = retryAt.isAfter(nextFree) ? retryAt : nextFree;
        }
    }

    /**
     * When {@link #take} may next give something that it gives nothing now, if a timer must wake it and none is set
     * for then already (a burst of submissions sets one timer, not one each).
     */
    synchronized Optional<Instant> due(Instant now) {
        if (waiting.isEmpty() || pace(now).isZero() || inFlight > 0 || timerAt != null && !timerAt.isAfter(nextFree)) {
            return Optional.empty();
        }
        timerAt = nextFree;
        return Optional.of(nextFree);
    }

    /** The timer set by {@link #due} fired. */
    synchronized void woke() {
        timerAt = null;
    }

    /** Everything still waiting, removed (at shutdown: it stays Pending in status, for the next leader). */
    synchronized List<T> clear() {
        List<T> all = new ArrayList<>(waiting.values());
        waiting.clear();
        return all;
    }

    synchronized Duration pace(Instant now) {
        Duration p = now.isBefore(learnedUntil) ? learned : Duration.ZERO;
        return pace.compareTo(p) > 0 ? pace : p;
    }
}
