package dev.firebreak.notify;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to retry a delivery: exponential from {@code base}, doubling per attempt, capped at {@code max}, with ±20 %
 * jitter so that many incidents hitting one failing channel do not retry in lockstep. A Retry-After from the
 * channel wins when it is longer (capped at {@code max} too, so a hostile header cannot park a page for a day).
 */
public record Backoff(Duration base, Duration max, int maxAttempts) {

    /** The wait before the next attempt, after {@code attempts} failed ones (1 = the first attempt failed). */
    public Duration after(int attempts, Optional<Duration> retryAfter, DoubleSupplier random) {
        double factor = Math.pow(2, Math.max(0, attempts - 1));
        double millis = Math.min(max.toMillis(), base.toMillis() * factor);
        double jittered = millis * (0.8 + 0.4 * random.getAsDouble());
        Duration wait = Duration.ofMillis((long) Math.min(max.toMillis(), jittered));
        if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
            wait = retryAfter.get().compareTo(max) > 0 ? max : retryAfter.get();
        }
        return wait;
    }

    /**
     * After a 429: the destination's own wait (at least a second, at most {@code max}), not doubled: its lane paces
     * and bundles what waits (Lane), so being over a rate costs time, never the page.
     */
    public Duration afterRateLimit(Optional<Duration> retryAfter, DoubleSupplier random) {
        long millis = Math.max(1000, retryAfter.map(Duration::toMillis).orElse(1000L));
        return Duration.ofMillis(Math.min(max.toMillis(), (long) (millis * (1 + 0.2 * random.getAsDouble()))));
    }

    /** Whether another attempt is allowed after {@code attempts}. */
    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }

    /**
     * Whether another attempt is allowed after {@code attempts}, the last answered 429: four times as many, so a
     * burst over a destination's rate is paced out rather than given up, and a destination that only ever answers
     * 429 still ends (an hour or more at the longest wait).
     */
    public boolean exhaustedByRateLimits(int attempts) {
        return attempts >= RATE_LIMITED_FACTOR * maxAttempts;
    }

    static final int RATE_LIMITED_FACTOR = 4;
}
