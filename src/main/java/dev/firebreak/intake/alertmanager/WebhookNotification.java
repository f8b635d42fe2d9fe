package dev.firebreak.intake.alertmanager;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An Alertmanager webhook notification (payload version 4), validated. Unknown fields are ignored. {@code alerts} are
 * the alerts the parse tracked; {@code untracked} counts the rest (a group larger than the parse keeps), and
 * {@code earliestStartsAt} is over all of them.
 */
public record WebhookNotification(
        String receiver,
        String status,
        String groupKey,
        int truncatedAlerts,
        Map<String, String> groupLabels,
        Map<String, String> commonLabels,
        Map<String, String> commonAnnotations,
        String externalURL,
        List<WebhookAlert> alerts,
        Untracked untracked,
        Instant earliestStartsAt) {

    /** Alerts beyond what the parse tracks: counted by state, never held. */
    public record Untracked(int firing, int resolved) {
        public static final Untracked NONE = new Untracked(0, 0);

        public int total() {
            return firing + resolved;
        }
    }

    /** For tests: a notification whose alerts are all tracked. */
    public WebhookNotification(
            String receiver,
            String status,
            String groupKey,
            int truncatedAlerts,
            Map<String, String> groupLabels,
            Map<String, String> commonLabels,
            Map<String, String> commonAnnotations,
            String externalURL,
            List<WebhookAlert> alerts) {
        this(
                receiver,
                status,
                groupKey,
                truncatedAlerts,
                groupLabels,
                commonLabels,
                commonAnnotations,
                externalURL,
                alerts,
                Untracked.NONE,
                alerts.stream()
                        .map(WebhookAlert::startsAt)
                        .filter(Objects::nonNull)
                        .min(Comparator.naturalOrder())
                        .orElse(null));
    }

    /** No alert at all: nothing to store. */
    public boolean empty() {
        return alerts.isEmpty() && untracked.total() == 0;
    }

    /** The group as a whole: firing while any of its alerts fires (Alertmanager counts them all, truncated too). */
    public boolean firing() {
        return "firing".equals(status);
    }
}
