package dev.firebreak.inbound;

import dev.firebreak.api.v1alpha1.SecretKeyRef;
import dev.firebreak.kubeapi.Clients;
import dev.firebreak.secrets.SecretReader;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets that authenticate inbound requests, read with one GET per Secret key at most every {@link #REFRESH}, one
 * request at a time (the others wait for it); during an outage the last value read is used and the read retried after
 * the same interval:
 * a flood of forged requests costs the API server nothing more, and a rotated Secret is used within that time. At
 * most {@link #MAX_ENTRIES} keys are held (only ones an EscalationPolicy names). Never logs or records a value.
 */
@ApplicationScoped
public class InboundSecrets {
    static final Duration REFRESH = Duration.ofSeconds(30);
    static final int MAX_ENTRIES = 512;

    /** The Secret could not be read now (the API server is unavailable): answer so that the tool retries. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(Throwable cause) {
            super("the Secret cannot be read now", cause);
        }
    }

    private record Key(String namespace, String name, String key) {}

    private record Entry(List<byte[]> secrets, Instant readAt) {}

    private final SecretReader reader;
    private final Clock clock;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    @Inject
    public InboundSecrets(KubernetesClient client, Clock clock) {
        // The tool is waiting: an unavailable API server is answered 503 now, not after fabric8's minute of retries.
        this(new SecretReader(Clients.withoutRetries(client)), clock);
    }

    InboundSecrets(SecretReader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    /** The secrets one Secret key holds (one per line), empty when the Secret or key does not exist. */
    public List<byte[]> read(String namespace, SecretKeyRef ref) {
        if (ref == null || ref.name == null || ref.key == null) {
            return List.of();
        }
        Key key = new Key(namespace, ref.name, ref.key);
        Instant now = clock.instant();
        Entry entry = entries.get(key);
        if (fresh(entry, now)) {
            return entry.secrets();
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        // One read per key at a time: the others wait for it instead of reading too.
        return entries.compute(key, (k, old) -> fresh(old, now) ? old : read(namespace, ref, old, now))
                .secrets();
    }

    private static boolean fresh(Entry entry, Instant now) {
        return entry != null && entry.readAt().plus(REFRESH).isAfter(now);
    }

    private Entry read(String namespace, SecretKeyRef ref, Entry old, Instant now) {
        Optional<Map<String, byte[]>> data;
        try {
            data = reader.data(namespace, ref.name);
        } catch (RuntimeException e) {
            if (old != null) {
                // Keep what was read last, and try again after the interval, not on every request of the outage.
                return new Entry(old.secrets(), now);
            }
            throw new Unavailable(e);
        }
        return new Entry(data.map(d -> d.get(ref.key)).map(Signatures::secrets).orElse(List.of()), now);
    }
}
