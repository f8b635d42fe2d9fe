package dev.firebreak.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firebreak.api.v1alpha1.SecretKeyRef;
import dev.firebreak.secrets.SecretReader;
import dev.firebreak.testing.MovableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Secret reads bounded in time (one per key per 30 s, whatever arrives), a rotation seen, an outage survived. */
class InboundSecretsTest {
    static final SecretKeyRef REF = new SecretKeyRef("paging", "pd-webhook");

    static final class FakeReader extends SecretReader {
        final AtomicInteger reads = new AtomicInteger();
        volatile Supplier<Optional<Map<String, byte[]>>> answer;

        FakeReader() {
            super(null);
        }

        @Override
        public Optional<Map<String, byte[]>> data(String namespace, String name) {
            reads.incrementAndGet();
            return answer.get();
        }
    }

    static Supplier<Optional<Map<String, byte[]>>> value(String v) {
        return () -> Optional.of(Map.of("pd-webhook", v.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFloodReadsTheSecretOncePerIntervalAndSeesARotationAfterIt() {
        MovableClock clock = new MovableClock();
        FakeReader reader = new FakeReader();
        reader.answer = value("old\n");
        InboundSecrets secrets = new InboundSecrets(reader, clock);
        for (int i = 0; i < 1000; i++) {
            assertThat(secrets.read("shop", REF)).hasSize(1);
        }
        assertThat(reader.reads).hasValue(1);
        reader.answer = value("old\nnew\n");
        clock.advance(InboundSecrets.REFRESH.plus(Duration.ofSeconds(1)));
        assertThat(secrets.read("shop", REF)).hasSize(2);
        assertThat(reader.reads).hasValue(2);
    }

    @Test
    void aMissingSecretOrKeyAuthenticatesNothingAndAnOutageKeepsWhatWasRead() {
        MovableClock clock = new MovableClock();
        FakeReader reader = new FakeReader();
        reader.answer = Optional::empty;
        InboundSecrets secrets = new InboundSecrets(reader, clock);
        assertThat(secrets.read("shop", REF)).isEmpty();
        assertThat(secrets.read("shop", new SecretKeyRef("paging", "other"))).isEmpty();
        assertThat(secrets.read("shop", null)).isEmpty();

        reader.answer = () -> {
            throw new IllegalStateException("connection refused");
        };
        assertThatThrownBy(() -> secrets.read("other-ns", REF)).isInstanceOf(InboundSecrets.Unavailable.class);

        reader.answer = value("s3cret");
        InboundSecrets fresh = new InboundSecrets(reader, clock);
        assertThat(fresh.read("shop", REF)).hasSize(1);
        reader.answer = () -> {
            throw new IllegalStateException("connection refused");
        };
        clock.advance(InboundSecrets.REFRESH.plus(Duration.ofSeconds(1)));
        assertThat(fresh.read("shop", REF))
                .as("the last value read, during an outage")
                .hasSize(1);
    }
}
