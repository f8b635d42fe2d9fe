package dev.firebreak.intake.alertmanager;

import java.time.Instant;
import java.util.Map;

/**
 * One alert of an Alertmanager webhook notification (payload version 4), validated and cut to its limits. Its labels
 * and annotations are null when the parse had no room left for them ({@link PayloadParser.Limits#detailBytes}); its
 * alertname is kept regardless. {@code omitted} counts labels and annotations left out of its own budget.
 */
public record WebhookAlert(
        String status,
        String alertname,
        Map<String, String> labels,
        Map<String, String> annotations,
        int omitted,
        Instant startsAt,
        Instant endsAt,
        String generatorURL,
        String fingerprint) {
    public boolean firing() {
        return "firing".equals(status);
    }

    /** The labels kept, or none. */
    public Map<String, String> labelsOrEmpty() {
        return labels == null ? Map.of() : labels;
    }

    /** For tests and fixtures: an alert with its labels and annotations kept whole. */
    public static WebhookAlert of(
            String status,
            Map<String, String> labels,
            Map<String, String> annotations,
            Instant startsAt,
            Instant endsAt,
            String generatorURL,
            String fingerprint) {
        return new WebhookAlert(
                status,
                labels.get("alertname"),
                labels,
                annotations,
                0,
                startsAt,
                "firing".equals(status) ? null : endsAt,
                generatorURL,
                fingerprint);
    }
}
