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
}
