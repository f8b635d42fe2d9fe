package dev.firebreak.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** firebreak_notifications_total{channel,result} per attempt and firebreak_escalations_total{level}. */
@ApplicationScoped
public class NotificationMetrics {
    private final MeterRegistry registry;

    public NotificationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One attempt's outcome: sent, retry or failed. */
    public void attempt(Channel channel, Attempt.Outcome outcome) {
        Counter.builder("firebreak.notifications").description("Notification delivery attempts by channel and result")
                .tag("channel", channel.name()).tag("result", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry).increment();
    }

    /** An escalation level fired. */
    public void escalated(int level) {
        Counter.builder("firebreak.escalations").description("Escalation levels fired, by level")
                .tag("level", Integer.toString(level)).register(registry).increment();
    }
}
