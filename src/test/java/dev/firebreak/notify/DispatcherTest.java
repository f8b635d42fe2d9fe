package dev.firebreak.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.config.FirebreakConfig;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each attempt of a notification runs once, whatever copy of the incident asks for it. */
class DispatcherTest {
    private static FirebreakConfig config() {
        FirebreakConfig.Notify notify = (FirebreakConfig.Notify) Proxy.newProxyInstance(getLoader(),
                new Class<?>[] {FirebreakConfig.Notify.class}, (p, m, a) -> m.getName().equals("concurrency") ? 2
                        : null);
        return (FirebreakConfig) Proxy.newProxyInstance(getLoader(), new Class<?>[] {FirebreakConfig.class},
                (p, m, a) -> m.getName().equals("notifications") ? notify : null);
    }

    private static ClassLoader getLoader() {
        return DispatcherTest.class.getClassLoader();
    }

    @Test
    void anAttemptAskedForAgainFromAStaleStatusIsNotStartedAgain() {
        Dispatcher dispatcher = new Dispatcher(config());
        AtomicInteger sent = new AtomicInteger();
        Dispatcher.Key key = new Dispatcher.Key("uid", 0);
        ResourceID incident = new ResourceID("i", "ns");
        assertThat(dispatcher.submit(key, 1, incident, () -> {
            sent.incrementAndGet();
            return Attempt.retry("HTTP 500", java.util.Optional.empty());
        }, Clock.systemUTC())).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.result(key).isPresent());
        dispatcher.recorded(key, 1);
        // A reconcile reading a copy from before attempt 1 was recorded asks for attempt 1 again.
        assertThat(dispatcher.submit(key, 1, incident, () -> {
            sent.incrementAndGet();
            return Attempt.sent(java.util.Optional.empty());
        }, Clock.systemUTC())).isFalse();
        assertThat(sent).hasValue(1);
        assertThat(dispatcher.submit(key, 2, incident, () -> {
            sent.incrementAndGet();
            return Attempt.sent(java.util.Optional.empty());
        }, Clock.systemUTC())).as("the next attempt runs").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.get() == 2);
    }

    /**
     * Shutdown: nothing new starts (it stays Pending in status, for the next leader), and drain waits for the attempt
     * in flight and for its outcome to be recorded, then reports nothing left.
     */
    @Test
    void drainWaitsForWhatIsInFlightToBeRecordedAndStartsNothingNew() throws Exception {
        Dispatcher dispatcher = new Dispatcher(config());
        Dispatcher.Key key = new Dispatcher.Key("uid", 0);
        ResourceID incident = new ResourceID("i", "ns");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        dispatcher.onResult(id -> dispatcher.recorded(key, 1)); // the reconcile that records the outcome
        assertThat(dispatcher.submit(key, 1, incident, () -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Attempt.sent(java.util.Optional.empty());
        }, Clock.systemUTC())).isTrue();
        running.await();
        java.util.concurrent.CompletableFuture<Integer> left = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> dispatcher.drain(Duration.ofSeconds(10)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !dispatcher.submit(new Dispatcher.Key("uid", 1), 1,
                incident, () -> Attempt.sent(java.util.Optional.empty()), Clock.systemUTC()));
        assertThat(left).isNotDone();
        release.countDown();
        assertThat(left.get(5, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(dispatcher.once(() -> Attempt.sent(java.util.Optional.empty()), a -> { })).isFalse();
    }

    @Test
    void drainGivesUpAfterItsTimeAndSaysWhatIsLeft() {
        Dispatcher dispatcher = new Dispatcher(config());
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        dispatcher.submit(new Dispatcher.Key("uid", 0), 1, new ResourceID("i", "ns"), () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Attempt.sent(java.util.Optional.empty());
        }, Clock.systemUTC());
        long start = System.nanoTime();
        assertThat(dispatcher.drain(Duration.ofMillis(300))).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        never.countDown();
    }
}
