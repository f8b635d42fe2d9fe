package dev.firebreak.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.status.Action;
import dev.firebreak.api.v1alpha1.status.Channel;
import dev.firebreak.config.FirebreakConfig;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each attempt of a notification runs once, whatever copy of the incident asks for it. */
class DispatcherTest {
    private static FirebreakConfig config() {
        FirebreakConfig.Notify notify = (FirebreakConfig.Notify) Proxy.newProxyInstance(
                getLoader(),
                new Class<?>[] {FirebreakConfig.Notify.class},
                (p, m, a) -> m.getName().equals("concurrency") ? 2 : null);
        return (FirebreakConfig) Proxy.newProxyInstance(
                getLoader(),
                new Class<?>[] {FirebreakConfig.class},
                (p, m, a) -> m.getName().equals("notifications") ? notify : null);
    }

    private static ClassLoader getLoader() {
        return DispatcherTest.class.getClassLoader();
    }

    private static Dispatcher dispatcher() {
        return new Dispatcher(config(), new NotificationMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
    }

    /** A request to one destination whose delivery is {@code send}. */
    static Dispatcher.Request request(Dispatcher.Key key, int attempt, Supplier<Attempt> send) {
        return new Dispatcher.Request(
                key,
                attempt,
                new ResourceID("i", "ns"),
                "ns/policy|Webhook|levels[0]",
                Channel.Webhook,
                PayloadsTest.message(Action.Trigger, false),
                m -> send.get());
    }

    @Test
    void anAttemptAskedForAgainFromAStaleStatusIsNotStartedAgain() {
        Dispatcher dispatcher = dispatcher();
        AtomicInteger sent = new AtomicInteger();
        Dispatcher.Key key = new Dispatcher.Key("uid", 0);
        assertThat(dispatcher.submit(request(key, 1, () -> {
                    sent.incrementAndGet();
                    return Attempt.retry("HTTP 500", java.util.Optional.empty());
                })))
                .isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.result(key).isPresent());
        dispatcher.recorded(key, 1);
        // A reconcile reading a copy from before attempt 1 was recorded asks for attempt 1 again.
        assertThat(dispatcher.submit(request(key, 1, () -> {
                    sent.incrementAndGet();
                    return Attempt.sent(Optional.empty());
                })))
                .isFalse();
        assertThat(sent).hasValue(1);
        assertThat(dispatcher.submit(request(key, 2, () -> {
                    sent.incrementAndGet();
                    return Attempt.sent(Optional.empty());
                })))
                .as("the next attempt runs")
                .isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.get() == 2);
    }

    /**
     * Shutdown: nothing new starts (it stays Pending in status, for the next leader), and drain waits for the attempt
     * in flight and for its outcome to be recorded, then reports nothing left.
     */
    @Test
    void drainWaitsForWhatIsInFlightToBeRecordedAndStartsNothingNew() throws Exception {
        Dispatcher dispatcher = dispatcher();
        Dispatcher.Key key = new Dispatcher.Key("uid", 0);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        dispatcher.onResult(id -> dispatcher.recorded(key, 1)); // the reconcile that records the outcome
        assertThat(dispatcher.submit(request(key, 1, () -> {
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Attempt.sent(Optional.empty());
                })))
                .isTrue();
        running.await();
        CompletableFuture<Integer> left = CompletableFuture.supplyAsync(() -> dispatcher.drain(Duration.ofSeconds(10)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !dispatcher.submit(
                        request(new Dispatcher.Key("uid", 1), 1, () -> Attempt.sent(java.util.Optional.empty()))));
        assertThat(left).isNotDone();
        release.countDown();
        assertThat(left.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(dispatcher.once(Channel.Webhook, () -> Attempt.sent(Optional.empty()), a -> {}))
                .isFalse();
    }

    @Test
    void drainGivesUpAfterItsTimeAndSaysWhatIsLeft() {
        Dispatcher dispatcher = dispatcher();
        CountDownLatch never = new CountDownLatch(1);
        dispatcher.submit(request(new Dispatcher.Key("uid", 0), 1, () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Attempt.sent(Optional.empty());
        }));
        long start = System.nanoTime();
        assertThat(dispatcher.drain(Duration.ofMillis(300))).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        never.countDown();
    }

    /**
     * A burst to a destination that allows one request a second and answers 429 beyond: nothing is lost, the lane
     * learns the pace from the 429, and what waits goes in one digest naming every notification it covers.
     */
    @Test
    void aBurstOverADestinationsRateBecomesADigestNotLostPages() {
        Dispatcher dispatcher = dispatcher();
        List<Message> received = new CopyOnWriteArrayList<>();
        AtomicLong last = new AtomicLong();
        Function<Message, Attempt> destination = m -> {
            long now = System.nanoTime();
            long before = last.get();
            if (before != 0 && now - before < Duration.ofMillis(900).toNanos() || !last.compareAndSet(before, now)) {
                return Attempt.rateLimited("HTTP 429", java.util.Optional.of(Duration.ofSeconds(1)));
            }
            received.add(m);
            return Attempt.sent(Optional.empty());
        };
        int n = 40;
        for (int i = 0; i < n; i++) {
            Dispatcher.Key key = new Dispatcher.Key("uid-" + i, 0);
            assertThat(dispatcher.submit(new Dispatcher.Request(
                            key,
                            1,
                            new ResourceID("i" + i, "ns"),
                            "burst",
                            Channel.Webhook,
                            PayloadsTest.message(Action.Trigger, false),
                            destination)))
                    .isTrue();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> IntStream.range(0, n)
                        .allMatch(i -> dispatcher
                                .result(new Dispatcher.Key("uid-" + i, 0))
                                .isPresent()));
        long sent = IntStream.range(0, n)
                .mapToObj(i ->
                        dispatcher.result(new Dispatcher.Key("uid-" + i, 0)).orElseThrow())
                .filter(r -> r.outcome().outcome() == Attempt.Outcome.Sent)
                .count();
        long limited = n - sent;
        assertThat(sent).as("one page went through at once").isGreaterThanOrEqualTo(1);
        // The ones answered 429 are retried by their incidents; the rest waited in the lane and went in one digest.
        Dispatcher.Result digested = IntStream.range(0, n)
                .mapToObj(i ->
                        dispatcher.result(new Dispatcher.Key("uid-" + i, 0)).orElseThrow())
                .filter(r -> r.digest().isPresent())
                .findFirst()
                .orElseThrow();
        assertThat(digested.digest().get().incidents()).isGreaterThan(n / 2);
        assertThat(received).hasSize(2);
        assertThat(received.get(1).digest()).hasSize(digested.digest().get().incidents());
        assertThat(limited)
                .as("at most the lane's share of threads met the 429")
                .isLessThanOrEqualTo(1);
    }
}
