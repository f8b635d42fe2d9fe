package dev.firebreak.intake.alertmanager;

import java.time.Instant;
import java.util.Map;

/** One alert of an Alertmanager webhook notification (payload version 4), validated. */
public record WebhookAlert(String status, Map<String, String> labels, Map<String, String> annotations,
        Instant startsAt, Instant endsAt, String generatorURL, String fingerprint) {
    public boolean firing() {
        return "firing".equals(status);
    }
}
