package dev.firebreak.intake.alertmanager;

import java.util.List;
import java.util.Map;

/** An Alertmanager webhook notification (payload version 4), validated. Unknown fields are ignored. */
public record WebhookNotification(String receiver, String status, String groupKey, int truncatedAlerts,
        Map<String, String> groupLabels, Map<String, String> commonLabels, Map<String, String> commonAnnotations,
        String externalURL, List<WebhookAlert> alerts) {
}
