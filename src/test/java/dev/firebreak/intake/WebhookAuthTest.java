package dev.firebreak.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.testing.MovableClock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How often the webhook's Secret is read: at most every REFRESH, by one request at a time. */
class WebhookAuthTest {
    private final MovableClock clock = new MovableClock();
    private final AtomicInteger reads = new AtomicInteger();

    private static Optional<Map<String, byte[]>> token(String value) {
        return Optional.of(Map.of("token", value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readOnceThenEveryRefreshAndARotatedTokenIsUsedAfterIt() {
        String[] current = {"first\n"};
        WebhookAuth auth = new WebhookAuth(
                null,
                () -> {
                    reads.incrementAndGet();
                    return token(current[0]);
                },
                clock);
        for (int i = 0; i < 100; i++) {
            assertThat(auth.credentials()).isPresent();
        }
        assertThat(reads).as("100 checks within the refresh: one read").hasValue(1);
        current[0] = "rotated";
        clock.advance(WebhookAuth.REFRESH);
        assertThat(auth.credentials().orElseThrow().token().orElseThrow())
                .isEqualTo("rotated".getBytes(StandardCharsets.UTF_8));
        assertThat(reads).hasValue(2);
    }

    @Test
    void whenTheRefreshIsDueOnlyOneConcurrentRequestReadsTheOthersUseWhatWasReadLast() throws Exception {
        CountDownLatch inRead = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebhookAuth auth = new WebhookAuth(
                null,
                () -> {
                    if (reads.incrementAndGet() == 2) {
                        inRead.countDown();
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return token("t");
                },
                clock);
        assertThat(auth.credentials()).isPresent();
        clock.advance(WebhookAuth.REFRESH);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<?> reader = pool.submit(auth::credentials);
            assertThat(inRead.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Optional<WebhookAuth.Credentials>>> others = IntStream.range(0, 32)
                    .mapToObj(i -> pool.submit(auth::credentials))
                    .toList();
            for (Future<Optional<WebhookAuth.Credentials>> other : others) {
                assertThat(other.get(10, TimeUnit.SECONDS))
                        .as("answered from the last read, not waiting")
                        .isPresent();
            }
            release.countDown();
            reader.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(reads)
                .as("33 concurrent checks with the refresh due: one more read")
                .hasValue(2);
    }

    @Test
    void aMissingSecretIsNoCredentialsAndIsReadAgainNextTime() {
        WebhookAuth auth = new WebhookAuth(
                null,
                () -> {
                    reads.incrementAndGet();
                    return Optional.empty();
                },
                clock);
        assertThat(auth.credentials()).isEmpty();
        assertThat(auth.credentials()).isEmpty();
        assertThat(reads).as("not cached: created, it is used at once").hasValue(2);
    }
}
