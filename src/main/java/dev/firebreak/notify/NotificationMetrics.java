package dev.firebreak.notify;

import dev.firebreak.api.v1alpha1.status.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * What happened to notifications, each counted once where it happened: firebreak_notification_attempts_total{channel,
 * outcome} per delivery attempt (when it finished; a digest is one attempt), firebreak_notifications_total{channel,
 * result} per notification once its final result is recorded (sent or failed; by the process that attempted it),
 * and firebreak_escalations_total{level}.
 */
@ApplicationScoped
public class NotificationMetrics {
    private final MeterRegistry registry;

    public NotificationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One attempt's outcome: sent, retry or failed. */
    public void attempt(Channel channel, Attempt.Outcome outcome) {
        Counter.builder("firebreak.notification.attempts")
                .description("Delivery attempts by channel and outcome")
                .tag("channel", channel.name())
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    /** A notification's final result: sent, or failed (a retry that never followed counts as failed). */
    public void delivered(Channel channel, Attempt.Outcome result) {
        Counter.builder("firebreak.notifications")
                .description("Notifications by channel and final result")
                .tag("channel", channel.name())
                .tag("result", result == Attempt.Outcome.Sent ? "sent" : "failed")
                .register(registry)
                .increment();
    }

    /** An escalation level fired. */
    public void escalated(int level) {
        Counter.builder("firebreak.escalations")
                .description("Escalation levels fired, by level")
                .tag("level", Integer.toString(level))
                .register(registry)
                .increment();
    }
}
