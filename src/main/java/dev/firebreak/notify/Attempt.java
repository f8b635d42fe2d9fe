package dev.firebreak.notify;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of one delivery attempt. The error never holds credentials (see Redaction). {@code rateLimited}: the
 * destination answered 429, so its pace is learned from it (see Lane).
 */
public record Attempt(
        Outcome outcome,
        String error,
        Optional<Duration> retryAfter,
        Optional<String> externalId,
        boolean rateLimited) {
    /** Delivered; retry later (network error, 5xx, 429); or refused for good (any other 4xx, bad configuration). */
    public enum Outcome {
        Sent,
        Retry,
        Failed
    }

    public static Attempt sent(Optional<String> externalId) {
        return new Attempt(Outcome.Sent, null, Optional.empty(), externalId, false);
    }

    public static Attempt retry(String error, Optional<Duration> after) {
        return new Attempt(Outcome.Retry, error, after, Optional.empty(), false);
    }

    /** 429: over the destination's rate; retried, never a reason to give up sooner. */
    public static Attempt rateLimited(String error, Optional<Duration> after) {
        return new Attempt(Outcome.Retry, error, after, Optional.empty(), true);
    }

    public static Attempt failed(String error) {
        return new Attempt(Outcome.Failed, error, Optional.empty(), Optional.empty(), false);
    }
}
