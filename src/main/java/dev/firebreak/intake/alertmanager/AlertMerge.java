package dev.firebreak.intake.alertmanager;

import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.api.v1alpha1.status.AlertsSummary;
import dev.firebreak.text.Text;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Merges a notification's alerts into an incident's, by fingerprint, and fits the result into the alert budget. Pure
 * and idempotent: the same notification twice gives the same alerts and summary, so the second one writes nothing.
 *
 * <ul>
 * <li>An alert missing from a firing notification is kept as it was (a truncated notification, or one Alertmanager
 * stopped sending after it resolved). A notification whose group status is resolved says every alert of the group is
 * resolved (Alertmanager computes it over all of them, truncated ones too), so stored alerts it does not list
 * resolve with it.</li>
 * <li>The budget ({@link Budget}): first, alerts are stored in full (labels and annotations) within the bytes for
 * full records: those stored in full before, then new firing ones, then new resolved ones, in order; then, in the
 * room left, every other firing alert compactly (fingerprint, name, state, times), then resolved ones, those stored
 * before first, newest first. What has no room is counted in the summary; Alertmanager sends every firing alert of
 * the group in each notification, so resolution and reopening still follow the alerts that are only counted. The
 * choice is stable: the same notification again stores the same, and what was stored stays stored while the
 * budget allows.</li>
 * <li>Each alert that appears or changes state carries the new alertsRevision, so the reconciler records it once.</li>
 * </ul>
 */
public final class AlertMerge {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** Bytes status.alerts may take as stored, of which full records may take {@code fullBytes}; and at most records. */
    public record Budget(long bytes, long fullBytes, int records) {
        /** 256 KiB for the alerts, half of it for labels and annotations: the Incident stays far below 512 KiB. */
        public static final Budget DEFAULT = of(256 * 1024);

        /** {@code bytes} in all, half of them for full records, at most as many records as the schema allows. */
        public static Budget of(long bytes) {
            return new Budget(bytes, bytes / 2, IncidentStatus.ALERTS_LIMIT);
        }
    }

    /**
     * The merged alerts, the group's summary, how many alerts appeared or changed state, and whether anything differs
     * from what was stored.
     */
    public record Result(List<AlertRecord> alerts, AlertsSummary summary, int transitions, boolean changed) {}

    private AlertMerge() {}

    public static Result merge(
            List<AlertRecord> existing,
            AlertsSummary before,
            WebhookNotification n,
            long revision,
            Instant now,
            Budget budget) {
        Map<String, Candidate> all = new LinkedHashMap<>();
        for (AlertRecord r : existing) {
            all.put(r.fingerprint, new Candidate(r, true, !r.compact()));
        }
        int transitions = 0;
        // A fingerprint listed twice (no Alertmanager does) is one alert: the last one listed.
        Map<String, WebhookAlert> listed = new LinkedHashMap<>();
        n.alerts().forEach(a -> listed.put(a.fingerprint(), a));
        for (WebhookAlert alert : listed.values()) {
            Candidate prior = all.get(alert.fingerprint());
            AlertRecord next = record(alert, prior == null ? null : prior.record);
            if (prior == null || prior.record.state != next.state) {
                next.revision = revision;
                transitions++;
            } else {
                next.revision = prior.record.revision;
            }
            all.put(alert.fingerprint(), new Candidate(next, prior != null, prior != null && prior.wasFull));
        }
        if (!n.firing()) {
            for (Candidate c : all.values()) {
                if (!listed.containsKey(c.record.fingerprint) && c.record.state == AlertState.Firing) {
                    AlertRecord resolved = copy(c.record);
                    resolved.state = AlertState.Resolved;
                    resolved.endsAt = now;
                    resolved.revision = revision;
                    c.record = resolved;
                    transitions++;
                }
            }
        }
        List<Candidate> candidates = new ArrayList<>(all.values());
        place(candidates, budget);

        List<AlertRecord> alerts = new ArrayList<>();
        AlertsSummary summary = new AlertsSummary();
        int firing = n.untracked().firing();
        int resolved = n.untracked().resolved();
        int full = 0;
        int compact = 0;
        long bytes = 2;
        for (Candidate c : candidates) {
            if (c.record.state == AlertState.Firing) {
                firing++;
            } else {
                resolved++;
            }
            if (c.stored) {
                AlertRecord r = c.full ? c.record : c.compactRecord();
                alerts.add(r);
                bytes += c.full ? c.fullSize() : c.compactSize();
                if (c.full) {
                    full++;
                } else {
                    compact++;
                }
            }
        }
        summary.firing = firing;
        summary.resolved = resolved;
        summary.storedFull = full;
        summary.storedCompact = compact;
        summary.notStored = candidates.size() - alerts.size() + n.untracked().total();
        summary.truncated = n.truncatedAlerts();
        summary.bytes = bytes;
        summary.earliestStartsAt = Stream.of(before == null ? null : before.earliestStartsAt, n.earliestStartsAt())
                .filter(Objects::nonNull)
                .min(Comparator.naturalOrder())
                .orElse(null);
        boolean changed = !alerts.equals(existing) || !summary.equals(before);
        return new Result(alerts, summary, transitions, changed);
    }

    /** Chooses what is stored, and how: see the class comment. */
    private static void place(List<Candidate> candidates, Budget budget) {
        long[] total = {2};
        int[] count = {0};
        // In full, within the bytes for full records: those that were, then new firing ones, then new resolved ones.
        long fullTotal = 0;
        List<Candidate> full = new ArrayList<>();
        candidates.stream().filter(c -> c.wasFull).forEach(full::add);
        candidates.stream()
                .filter(c -> !c.wasFull && c.record.state == AlertState.Firing)
                .forEach(full::add);
        candidates.stream()
                .filter(c -> !c.wasFull && c.record.state == AlertState.Resolved)
                .forEach(full::add);
        for (Candidate c : full) {
            if (!c.record.compact()
                    && count[0] < budget.records()
                    && fullTotal + c.fullSize() <= budget.fullBytes()
                    && total[0] + c.fullSize() <= budget.bytes()) {
                c.stored = true;
                c.full = true;
                fullTotal += c.fullSize();
                total[0] += c.fullSize();
                count[0]++;
            }
        }
        // Compactly in the room left: every firing alert, in order; then resolved ones, those stored already first,
        // each newest first.
        for (Candidate c : candidates) {
            if (c.record.state == AlertState.Firing) {
                storeCompact(c, budget, total, count);
            }
        }
        for (boolean wasStored : new boolean[] {true, false}) {
            for (int i = candidates.size() - 1; i >= 0; i--) {
                Candidate c = candidates.get(i);
                if (c.wasStored == wasStored && c.record.state == AlertState.Resolved) {
                    storeCompact(c, budget, total, count);
                }
            }
        }
    }

    private static void storeCompact(Candidate c, Budget budget, long[] total, int[] count) {
        if (!c.stored && count[0] < budget.records() && total[0] + c.compactSize() <= budget.bytes()) {
            c.stored = true;
            total[0] += c.compactSize();
            count[0]++;
        }
    }

    /** An alert with everything known of it: the notification's, else (for labels not kept this time) what was stored. */
    static AlertRecord record(WebhookAlert alert, AlertRecord prior) {
        AlertRecord r = new AlertRecord();
        r.fingerprint = alert.fingerprint();
        r.alertname = alert.alertname() != null ? alert.alertname() : prior == null ? null : prior.alertname;
        r.state = alert.firing() ? AlertState.Firing : AlertState.Resolved;
        r.startsAt = alert.startsAt();
        r.endsAt = alert.firing() ? null : alert.endsAt();
        r.generatorURL = alert.generatorURL();
        if (alert.labels() != null) {
            r.labels = alert.labels();
            r.annotations = alert.annotations() == null || alert.annotations().isEmpty() ? null : alert.annotations();
            r.omitted = alert.omitted() == 0 ? null : alert.omitted();
            Map<String, String> annotations = alert.annotations() == null ? Map.of() : alert.annotations();
            r.runbookURL = Text.cut(
                    annotations.getOrDefault("runbook_url", annotations.get("runbook")), PayloadParser.URL_LENGTH);
        } else if (prior != null && !prior.compact()) {
            r.labels = prior.labels;
            r.annotations = prior.annotations;
            r.omitted = prior.omitted;
            r.runbookURL = prior.runbookURL;
        }
        return r;
    }

    private static AlertRecord copy(AlertRecord r) {
        return JSON.clone(r);
    }

    /** Bytes a record takes in status.alerts as the API server stores it (with its separating comma). */
    static long size(AlertRecord r) {
        return Text.storedLength(JSON.asJson(r)) + 1;
    }

    /** One alert of the merged group and where the budget puts it. */
    private static final class Candidate {
        AlertRecord record;
        /** Stored before this notification; and stored with labels and annotations. */
        final boolean wasStored;

        final boolean wasFull;
        boolean stored;
        boolean full;
        private long compactSize = -1;
        private long fullSize = -1;
        private AlertRecord compactRecord;

        Candidate(AlertRecord record, boolean wasStored, boolean wasFull) {
            this.record = record;
            this.wasStored = wasStored;
            this.wasFull = wasFull;
        }

        AlertRecord compactRecord() {
            if (compactRecord == null) {
                AlertRecord c = new AlertRecord();
                c.fingerprint = record.fingerprint;
                c.alertname = record.alertname;
                c.state = record.state;
                c.startsAt = record.startsAt;
                c.endsAt = record.endsAt;
                c.revision = record.revision;
                compactRecord = c;
            }
            return compactRecord;
        }

        long compactSize() {
            if (compactSize < 0) {
                compactSize = size(compactRecord());
            }
            return compactSize;
        }

        long fullSize() {
            if (fullSize < 0) {
                fullSize = record.compact() ? compactSize() : size(record);
            }
            return fullSize;
        }
    }
}
