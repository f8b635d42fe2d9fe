package dev.firebreak.api.v1alpha1.status;

import java.time.Duration;

/**
 * The channels Firebreak speaks; one Notifier each. {@code pace}: the least time between two deliveries to one
 * destination that the service documents (Slack: about one message a second per incoming webhook; PagerDuty's
 * Events API: 120 events a minute per routing key; Teams workflows: about four a second); zero where none is
 * documented, and the destination's 429s teach it (see Lane).
 */
public enum Channel {
    Slack(Duration.ofSeconds(1)),
    Teams(Duration.ofMillis(250)),
    PagerDuty(Duration.ofMillis(500)),
    Opsgenie(Duration.ZERO),
    ServiceNow(Duration.ZERO),
    Email(Duration.ZERO),
    Webhook(Duration.ZERO);

    private final Duration pace;

    Channel(Duration pace) {
        this.pace = pace;
    }

    public Duration pace() {
        return pace;
    }
}
