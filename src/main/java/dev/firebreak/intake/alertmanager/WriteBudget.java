package dev.firebreak.intake.alertmanager;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bytes one incident may have written per minute: a token bucket per incident that holds a minute's worth and refills
 * at that rate, so a burst is served at once and a sender that never stops is slowed to the rate. Pure but for its
 * own state; the caller passes the time. At most {@value #TRACKED} incidents are tracked (least recently used out: an
 * incident forgotten starts with a full bucket again, which only ever allows more, never less, than the rate).
 */
final class WriteBudget {
    static final int TRACKED = 4096;

    private final double capacity;
    private final double perNano;
    private final Map<String, double[]> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
            return size() > TRACKED;
        }
    };

    WriteBudget(long bytesPerMinute) {
        this.capacity = bytesPerMinute;
        this.perNano = bytesPerMinute / (double) Duration.ofMinutes(1).toNanos();
    }

    /**
     * Takes {@code bytes} from the incident's bucket: empty when they may be written now, else how long until they
     * may (nothing is taken then).
     */
    synchronized Optional<Duration> take(String incident, long bytes, Instant now) {
        double cost = Math.min(bytes, capacity);
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        double[] bucket = buckets.computeIfAbsent(incident, k -> new double[] {capacity, nanos});
        bucket[0] = Math.min(capacity, bucket[0] + Math.max(0, nanos - bucket[1]) * perNano);
        bucket[1] = nanos;
        if (bucket[0] >= cost) {
            bucket[0] -= cost;
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) Math.ceil((cost - bucket[0]) / perNano)));
    }
}
