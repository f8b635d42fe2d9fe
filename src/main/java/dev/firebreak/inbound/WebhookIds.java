package dev.firebreak.inbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The delivery IDs already handled (PagerDuty's X-Webhook-Id repeats across its retries, about five over twenty
 * minutes), kept for {@link #KEEP} and at most {@link #MAX} of them, so a replay is answered 2xx without doing
 * anything again. Only a delivery that was handled is remembered: one answered 503 is done in full when retried.
 * After a restart the set is empty; a replay then reaches {@link OutsideActions}, which changes nothing for an action
 * the incident already shows.
 */
final class WebhookIds {
    static final Duration KEEP = Duration.ofHours(1);
    static final int MAX = 10_000;

    private final Clock clock;
    private final Map<String, Instant> seen = new LinkedHashMap<>();

    WebhookIds(Clock clock) {
        this.clock = clock;
    }

    synchronized boolean seen(String id) {
        expire();
        return id != null && seen.containsKey(id);
    }

    synchronized void handled(String id) {
        if (id == null) {
            return;
        }
        expire();
        seen.remove(id);
        seen.put(id, clock.instant());
        while (seen.size() > MAX) {
            seen.remove(seen.keySet().iterator().next());
        }
    }

    private void expire() {
        Instant oldest = clock.instant().minus(KEEP);
        var it = seen.entrySet().iterator();
        while (it.hasNext() && it.next().getValue().isBefore(oldest)) {
            it.remove();
        }
    }
}
