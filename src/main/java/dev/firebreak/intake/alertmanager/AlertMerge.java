package dev.firebreak.intake.alertmanager;

import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges a notification's alerts into an incident's, by fingerprint. Idempotent: the same notification twice gives
 * the same list. Alerts missing from a notification are kept as they were (a truncated notification, or an alert
 * Alertmanager stopped sending after it resolved). Pure.
 */
public final class AlertMerge {
    /** The schema's limit on status.alerts; beyond it the oldest resolved alerts go first. */
    public static final int LIMIT = 1000;

    /** One alert changing state: a firing alert that resolved, or a resolved one that fires again, or a new one. */
    public record Transition(String fingerprint, String alertname, AlertState from, AlertState to) {
    }

    public record Result(List<AlertRecord> alerts, List<Transition> transitions, boolean changed) {
    }

    private AlertMerge() {
    }

    public static Result merge(List<AlertRecord> existing, List<WebhookAlert> incoming) {
        Map<String, AlertRecord> byFingerprint = new LinkedHashMap<>();
        for (AlertRecord record : existing) {
            byFingerprint.put(record.fingerprint, record);
        }
        List<Transition> transitions = new ArrayList<>();
        boolean changed = false;
        for (WebhookAlert alert : incoming) {
            AlertRecord before = byFingerprint.get(alert.fingerprint());
            AlertRecord after = record(alert);
            if (before == null) {
                transitions.add(new Transition(after.fingerprint, after.alertname, null, after.state));
                changed = true;
            } else if (!same(before, after)) {
                if (before.state != after.state) {
                    transitions.add(new Transition(after.fingerprint, after.alertname, before.state, after.state));
                }
                changed = true;
            }
            byFingerprint.put(alert.fingerprint(), before != null && same(before, after) ? before : after);
        }
        List<AlertRecord> alerts = new ArrayList<>(byFingerprint.values());
        while (alerts.size() > LIMIT) {
            int oldestResolved = -1;
            for (int i = 0; i < alerts.size(); i++) {
                if (alerts.get(i).state == AlertState.Resolved) {
                    oldestResolved = i;
                    break;
                }
            }
            alerts.remove(oldestResolved >= 0 ? oldestResolved : 0);
            changed = true;
        }
        return new Result(alerts, transitions, changed);
    }

    static AlertRecord record(WebhookAlert alert) {
        AlertRecord r = new AlertRecord();
        r.fingerprint = alert.fingerprint();
        r.alertname = alert.labels().get("alertname");
        r.state = alert.firing() ? AlertState.Firing : AlertState.Resolved;
        r.startsAt = alert.startsAt();
        r.endsAt = alert.firing() ? null : alert.endsAt();
        r.labels = Map.copyOf(alert.labels());
        r.generatorURL = alert.generatorURL();
        Map<String, String> annotations = alert.annotations() == null ? Map.of() : alert.annotations();
        r.runbookURL = annotations.getOrDefault("runbook_url", annotations.get("runbook"));
        return r;
    }

    private static boolean same(AlertRecord a, AlertRecord b) {
        return a.state == b.state && Objects.equals(a.startsAt, b.startsAt) && Objects.equals(a.endsAt, b.endsAt)
                && Objects.equals(a.labels, b.labels) && Objects.equals(a.alertname, b.alertname)
                && Objects.equals(a.generatorURL, b.generatorURL) && Objects.equals(a.runbookURL, b.runbookURL);
    }
}
