package dev.firebreak.incident;

import dev.firebreak.api.v1alpha1.Condition;
import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.spec.StakeholderUpdate;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.RollbackRecord;
import dev.firebreak.api.v1alpha1.status.RollbackState;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.classify.Classification;
import dev.firebreak.classify.Classifier;
import dev.firebreak.classify.Evidence;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.Notice;
import dev.firebreak.status.Conditions;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.time.Durations;
import dev.firebreak.workload.WorkloadHealth;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the incident's record from what was observed: classification, phase, timestamps and durations, the
 * Acknowledged/Mitigated/Resolved conditions and the timeline; and says which Events and metrics that warrants. Pure:
 * the reconciler performs the effects.
 */
public final class IncidentRecord {
    public static final String ACKNOWLEDGED = "Acknowledged";
    public static final String MITIGATED = "Mitigated";
    public static final String RESOLVED = "Resolved";
    /** The label the Alertmanager intake puts on the incidents it opens (AlertGroup.GROUP_LABEL). */
    static final String ALERT_GROUP_LABEL = "firebreak.dev/alert-group";

    /** The decision: the next status, the Events, and the facts the metrics count. */
    public record Outcome(
            IncidentStatus next,
            List<Notice> notices,
            Optional<Phase> from,
            Phase to,
            Optional<Duration> acknowledgedAfter,
            Optional<Duration> resolvedAfter) {}

    /** How long an incident the intake opened may wait for its first alerts before it is recorded without them. */
    static final Duration FIRST_ALERTS_WAIT = Duration.ofSeconds(5);

    private IncidentRecord() {}

    /**
     * An incident the Alertmanager intake has just opened and not yet given its alerts (the intake creates it, then
     * writes the alerts: a create cannot carry status) waits for them, up to {@link #FIRST_ALERTS_WAIT} after its
     * creation: recording it earlier would be a status write without its alerts, and a conflict for the intake's
     * write of them. Empty when it need not wait.
     */
    public static Optional<Duration> awaitingFirstAlerts(Incident incident, Instant now) {
        boolean opened = incident.getMetadata().getLabels() != null
                && incident.getMetadata().getLabels().containsKey(ALERT_GROUP_LABEL);
        boolean alerts = incident.getStatus() != null && incident.getStatus().alertsRevision != null;
        if (!opened || alerts || incident.getMetadata().getCreationTimestamp() == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(
                now,
                Instant.parse(incident.getMetadata().getCreationTimestamp()).plus(FIRST_ALERTS_WAIT));
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    public static Outcome decide(
            Incident incident,
            List<WorkloadHealth> workloads,
            Classifier classifier,
            boolean autoResolve,
            Instant clock) {
        return decide(incident, workloads, classifier, autoResolve, clock, Optional.empty());
    }

    /** As above, with the rollback record the remediation step decided (or left as it was). */
    public static Outcome decide(
            Incident incident,
            List<WorkloadHealth> workloads,
            Classifier classifier,
            boolean autoResolve,
            Instant clock,
            Optional<RollbackRecord> rollback) {
        // Kubernetes times have second precision; so does the record.
        Instant now = clock.truncatedTo(ChronoUnit.SECONDS);
        IncidentSpec spec = incident.getSpec();
        IncidentStatus next = StatusUpdate.copy(incident.getStatus(), IncidentStatus::new);
        List<Notice> notices = new ArrayList<>();
        rollback.ifPresent(r -> recordRollback(next, r, now));

        if (next.detectedAt == null) {
            next.detectedAt = detectedAt(incident, now);
            String message = "incident opened: " + spec.title + " (source "
                    + (spec.source == null ? SourceType.Manual : spec.source.type) + ")";
            Timeline.append(next, next.detectedAt, TimelineType.Detected, message);
            notices.add(new Notice(EventReason.Opened, true, message));
            if (spec.source != null && spec.source.notes != null) {
                spec.source.notes.forEach(note -> Timeline.append(
                        next, next.detectedAt, TimelineType.Note, "intake: " + note.field + ": " + note.message));
            }
        }
        recordAlertTransitions(next, now, notices);
        classify(spec, next, workloads, classifier, now, notices);
        Optional<Duration> acknowledgedAfter = acknowledgement(spec, next, now);
        recordUpdates(spec, next, now);

        Phase from = next.phase;
        Lifecycle.Observation observation = new Lifecycle.Observation(
                acknowledged(spec),
                resolvedByHuman(spec),
                Evidence.over(spec, next, workloads),
                autoResolve,
                remediation(next));
        Phase to = from == null ? Lifecycle.initial(observation) : Lifecycle.next(from, observation);
        Optional<Duration> resolvedAfter = Optional.empty();
        if (from != to) {
            next.phase = to;
            resolvedAfter = enter(spec, next, from, to, observation, workloads, now, notices);
        }
        conditions(spec, next, now, incident.getMetadata().getGeneration());
        return new Outcome(next, notices, Optional.ofNullable(from), to, acknowledgedAfter, resolvedAfter);
    }

    /**
     * Under a stream of alert writes the timeline narrates the alerts at most once per {@code interval}: when the record
     * decided now differs from the stored one only in how it narrates the alerts (their timeline entries, how far they
     * are recorded, the classification's wording) and alerts were last narrated less than {@code interval} ago, the
     * write waits for the rest of the interval, and whatever arrived meanwhile is narrated in one write. The alerts
     * themselves are stored by the intake already; every other decision (a severity, a phase, a page) is written at
     * once, the alerts with it, and so is a reconcile with any Event but the narration's own (a pod deleted by the
     * rollback, a failing step). Alertmanager sends a changed group at most every group_interval (minutes by
     * default), so mostly a storm waits. Empty: write now (also when nothing changed at all).
     */
    public static Optional<Duration> alertsNarrationDeferred(
            IncidentStatus stored, IncidentStatus next, List<Notice> notices, Instant now, Duration interval) {
        if (stored == null
                || stored.detectedAt == null
                || interval.isZero()
                || interval.isNegative()
                || notices.stream().anyMatch(n -> !NARRATION.contains(n.reason()))) {
            return Optional.empty();
        }
        Optional<Instant> narrated = stored.timeline.stream()
                .filter(e -> Timeline.isAlert(e.type) && e.time != null)
                .map(e -> e.time)
                .max(Comparator.naturalOrder());
        // A narration stamped after now (a clock stepped back, a new leader's clock behind) waits for nothing.
        if (narrated.isEmpty() || narrated.get().isAfter(now)) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, narrated.get().plus(interval));
        if (left.isNegative()
                || left.isZero()
                || StatusUpdate.json(stored).equals(StatusUpdate.json(next))
                || !StatusUpdate.json(withoutNarration(stored)).equals(StatusUpdate.json(withoutNarration(next)))) {
            return Optional.empty();
        }
        return Optional.of(left);
    }

    /** The Events of a narration: held back with it (decided again when it is written); any other is never. */
    private static final Set<EventReason> NARRATION = EnumSet.of(EventReason.AlertFiring, EventReason.AlertResolved);

    private static IncidentStatus withoutNarration(IncidentStatus status) {
        IncidentStatus s = StatusUpdate.copy(status, IncidentStatus::new);
        s.timeline.removeIf(e -> Timeline.isAlert(e.type));
        s.alertsRecorded = null;
        s.timelineDropped = null;
        if (s.classification != null) {
            s.classification.reason = null;
        }
        return s;
    }

    // --- classification --------------------------------------------------------------------------------------

    /**
     * The severity is sticky upwards: while the incident is open it is the worst seen (a rollback restoring replicas
     * lowers the measured impact, not how bad the incident was); the severity measured now is recorded beside it.
     * Only spec.severity, a human, sets it lower.
     */
    private static void classify(
            IncidentSpec spec,
            IncidentStatus next,
            List<WorkloadHealth> workloads,
            Classifier classifier,
            Instant now,
            List<Notice> notices) {
        Classification c = classifier.classify(spec, next.alerts, workloads);
        Severity severity = c.severity();
        String reason = c.reason();
        if (spec.severity == null && next.severity != null && next.severity.compareTo(c.severity()) < 0) {
            severity = next.severity;
            reason = "the worst seen while open; now " + c.severity() + ": " + c.reason();
        }
        var previous = next.classification;
        boolean changed = previous == null
                || previous.impact != c.impact()
                || previous.urgency != c.urgency()
                || next.severity != severity;
        if (previous == null) {
            previous = new dev.firebreak.api.v1alpha1.status.Classification();
            next.classification = previous;
        }
        if (changed) {
            String was = next.severity == null || next.severity == severity ? "" : " (was " + next.severity + ")";
            boolean worse = next.severity != null && severity.compareTo(next.severity) < 0;
            String message = "severity " + severity + was + ": " + reason;
            Timeline.append(next, now, TimelineType.Classified, message);
            notices.add(new Notice(EventReason.Classified, worse, message));
        }
        previous.impact = c.impact();
        previous.urgency = c.urgency();
        previous.measured = c.severity();
        previous.reason = reason;
        next.severity = severity;
    }

    // --- alerts ---------------------------------------------------------------------------------------------

    /**
     * The intake writes status.alerts; the timeline is the reconciler's alone. Each alert that appeared or changed
     * state carries the alertsRevision of that change, and status.alertsRecorded says up to which revision the
     * timeline has them: so each change is recorded once, ever, however many reconciles follow and however far the
     * timeline has moved on. Up to {@value #ALERTS_NAMED} changes in one direction are an entry each; more are one
     * entry that counts them. One Event per direction names them (a storm of alerts is two Events, not thousands).
     */
    private static void recordAlertTransitions(IncidentStatus next, Instant now, List<Notice> notices) {
        long recorded = next.alertsRecorded == null ? 0 : next.alertsRecorded;
        List<AlertRecord> firing = new ArrayList<>();
        List<AlertRecord> resolved = new ArrayList<>();
        for (AlertRecord alert : next.alerts) {
            if (alert.revision != null && alert.revision > recorded) {
                (alert.state == AlertState.Firing ? firing : resolved).add(alert);
            }
        }
        recordAlerts(next, now, firing, TimelineType.AlertFiring, notices);
        recordAlerts(next, now, resolved, TimelineType.AlertResolved, notices);
        if (next.alertsRevision != null) {
            next.alertsRecorded = next.alertsRevision;
        }
    }

    static final int ALERTS_NAMED = 10;

    private static void recordAlerts(
            IncidentStatus next, Instant now, List<AlertRecord> changed, TimelineType type, List<Notice> notices) {
        if (changed.isEmpty()) {
            return;
        }
        boolean firing = type == TimelineType.AlertFiring;
        List<String> names = changed.stream().map(IncidentRecord::alertName).toList();
        if (changed.size() <= ALERTS_NAMED) {
            for (AlertRecord alert : changed) {
                Timeline.append(
                        next,
                        now,
                        type,
                        alertName(alert)
                                + (firing
                                        ? " firing" + (alert.startsAt == null ? "" : " since " + alert.startsAt)
                                        : " resolved" + (alert.endsAt == null ? "" : " at " + alert.endsAt)));
            }
        } else {
            var s = next.alertsSummary;
            String group = s == null || s.firing == null
                    ? ""
                    : String.format(
                            Locale.ROOT,
                            " (the group: %,d firing, %,d resolved, %,d not stored)",
                            s.firing,
                            s.resolved == null ? 0 : s.resolved,
                            s.notStored == null ? 0 : s.notStored);
            Timeline.append(
                    next,
                    now,
                    type,
                    String.format(
                                    Locale.ROOT,
                                    "+%,d alerts %s%s: ",
                                    changed.size(),
                                    firing ? "firing" : "resolved",
                                    group)
                            + String.join(", ", names.subList(0, ALERTS_NAMED))
                            + String.format(Locale.ROOT, " and %,d more", changed.size() - ALERTS_NAMED));
        }
        notices.add(new Notice(
                firing ? EventReason.AlertFiring : EventReason.AlertResolved,
                firing,
                alerts(names, firing ? "firing" : "resolved")));
    }

    private static String alertName(AlertRecord alert) {
        return (alert.alertname == null ? "alert" : "alert " + alert.alertname) + " (" + alert.fingerprint + ")";
    }

    /** "alert X (fp) firing", or "3 alerts firing: alert X (fp1), … and 1 more". */
    static String alerts(List<String> names, String state) {
        if (names.size() == 1) {
            return names.get(0) + " " + state;
        }
        int shown = Math.min(names.size(), 10);
        return names.size() + " alerts " + state + ": " + String.join(", ", names.subList(0, shown))
                + (shown < names.size() ? " and " + (names.size() - shown) + " more" : "");
    }

    // --- rollback ----------------------------------------------------------------------------------------------

    /**
     * Takes the remediation step's record; a proposal or a decision not to act goes on the timeline when it is new
     * (the phases record starting, succeeding and failing).
     */
    private static void recordRollback(IncidentStatus next, RollbackRecord r, Instant now) {
        RollbackRecord before = next.rollback;
        next.rollback = r;
        boolean same = before != null && before.state == r.state && Objects.equals(before.reason, r.reason);
        if (same) {
            return;
        }
        if (r.state == RollbackState.Proposed) {
            Timeline.append(
                    next,
                    now,
                    TimelineType.RemediationProposed,
                    "rollback proposed: " + rollbackSummary(r, "rollback"));
        } else if (r.state == RollbackState.Skipped) {
            Timeline.append(next, now, TimelineType.Note, "no rollback of " + r.workload + ": " + r.reason);
        }
    }

    // --- acknowledgement and stakeholder updates ---------------------------------------------------------------

    /** Records the first acknowledgement (and a change of who acknowledged); returns the time to acknowledge once. */
    private static Optional<Duration> acknowledgement(IncidentSpec spec, IncidentStatus next, Instant now) {
        String by = acknowledged(spec) ? spec.acknowledgedBy.strip() : null;
        String recorded = Conditions.find(next.conditions, ACKNOWLEDGED)
                .filter(c -> c.status == ConditionStatus.True)
                .map(c -> c.message.substring("acknowledged by ".length()))
                .orElse(null);
        if (Objects.equals(by, recorded)) {
            return Optional.empty();
        }
        if (by == null) {
            Timeline.append(next, now, TimelineType.Acknowledged, "acknowledgement by " + recorded + " withdrawn");
            return Optional.empty();
        }
        Timeline.append(
                next,
                now,
                TimelineType.Acknowledged,
                "acknowledged by " + by + (recorded == null ? "" : " (was " + recorded + ")"));
        if (next.acknowledgedAt == null) {
            next.acknowledgedAt = now;
            Duration tta = Duration.between(next.detectedAt, now);
            next.timeToAcknowledge = Durations.format(tta);
            return Optional.of(tta);
        }
        return Optional.empty();
    }

    private static void recordUpdates(IncidentSpec spec, IncidentStatus next, Instant now) {
        int seen = next.updatesSeen == null ? 0 : next.updatesSeen;
        List<StakeholderUpdate> updates = spec.updates == null ? List.of() : spec.updates;
        for (int i = seen; i < updates.size(); i++) {
            StakeholderUpdate u = updates.get(i);
            Timeline.append(
                    next,
                    u.time == null ? now : u.time,
                    TimelineType.Update,
                    (u.author == null ? "update" : "update by " + u.author) + ": " + u.message
                            + (u.eta == null ? "" : " (ETA " + u.eta + ")"));
        }
        next.updatesSeen = updates.size();
    }

    // --- lifecycle -------------------------------------------------------------------------------------------

    private static Optional<Duration> enter(
            IncidentSpec spec,
            IncidentStatus next,
            Phase from,
            Phase to,
            Lifecycle.Observation observation,
            List<WorkloadHealth> workloads,
            Instant now,
            List<Notice> notices) {
        Optional<Duration> resolvedAfter = Optional.empty();
        if (from != null && Lifecycle.isReopen(from, to)) {
            next.reopenedAt = now;
            next.reopenCount = (next.reopenCount == null ? 0 : next.reopenCount) + 1;
            next.resolvedAt = null;
            next.timeToResolve = null;
            boolean wasHumans = Conditions.find(next.conditions, RESOLVED)
                    .map(c -> "ResolvedByHuman".equals(c.reason))
                    .orElse(false);
            String why = wasHumans ? "the resolution was withdrawn" : "the evidence returned";
            String message = "reopened (" + why + "), now " + to;
            Timeline.append(next, now, TimelineType.Reopened, message);
            notices.add(new Notice(EventReason.Reopened, true, message));
            return resolvedAfter;
        }
        switch (to) {
            case Resolved -> {
                next.resolvedAt = now;
                Duration ttr = Duration.between(next.detectedAt, now);
                next.timeToResolve = Durations.format(ttr);
                resolvedAfter = Optional.of(ttr);
                String message = "resolved " + resolvedBecause(spec, next, workloads) + " after " + next.timeToResolve;
                Timeline.append(next, now, TimelineType.Resolved, message);
                notices.add(new Notice(EventReason.Resolved, false, message));
            }
            case Mitigated -> {
                next.mitigatedAt = now;
                String message = "mitigated: " + rollbackSummary(next.rollback, "remediation succeeded");
                Timeline.append(next, now, TimelineType.RemediationSucceeded, message);
                notices.add(new Notice(EventReason.Mitigated, false, message));
            }
            case Mitigating -> {
                String message = "mitigating: " + rollbackSummary(next.rollback, "remediation running");
                Timeline.append(next, now, TimelineType.RemediationStarted, message);
                notices.add(new Notice(EventReason.Mitigating, false, message));
            }
            case Acknowledged, Triggered -> {
                if (from == Phase.Mitigating || from == Phase.Mitigated) {
                    String message = "remediation did not hold, now " + to + ": "
                            + rollbackSummary(next.rollback, "remediation failed");
                    Timeline.append(next, now, TimelineType.RemediationFailed, message);
                    notices.add(new Notice(
                            to == Phase.Triggered ? EventReason.Triggered : EventReason.Acknowledged, true, message));
                } else {
                    notices.add(new Notice(
                            to == Phase.Triggered ? EventReason.Triggered : EventReason.Acknowledged,
                            false,
                            to == Phase.Triggered
                                    ? "triggered: " + spec.title
                                    : "acknowledged by " + spec.acknowledgedBy.strip()));
                }
            }
            default -> throw new IllegalStateException("unhandled phase " + to);
        }
        return resolvedAfter;
    }

    private static String resolvedBecause(IncidentSpec spec, IncidentStatus next, List<WorkloadHealth> workloads) {
        if (resolvedByHuman(spec)) {
            return "by " + spec.resolution.by + (spec.resolution.note == null ? "" : " (" + spec.resolution.note + ")");
        }
        if (isRollout(spec)) {
            return "by itself: "
                    + workloads.stream()
                            .map(WorkloadHealth::describe)
                            .reduce((a, b) -> a + ", " + b)
                            .orElse("the workload is healthy again");
        }
        int alerts = next.alertsSummary != null && next.alertsSummary.resolved != null
                ? next.alertsSummary.resolved
                : next.alerts.size();
        return "by itself: all " + alerts + " alert" + (alerts == 1 ? "" : "s") + " resolved";
    }

    private static String rollbackSummary(RollbackRecord rollback, String otherwise) {
        if (rollback == null || rollback.workload == null) {
            return otherwise;
        }
        return "rollback of " + rollback.workload
                + (rollback.fromRevision == null
                        ? ""
                        : " from revision " + rollback.fromRevision + " to " + rollback.toRevision)
                + (rollback.reason == null ? "" : ": " + rollback.reason);
    }

    private static void conditions(IncidentSpec spec, IncidentStatus next, Instant now, Long generation) {
        Conditions.set(
                next.conditions,
                acknowledged(spec)
                        ? new Condition(
                                ACKNOWLEDGED,
                                ConditionStatus.True,
                                "AcknowledgedByHuman",
                                "acknowledged by " + spec.acknowledgedBy.strip())
                        : new Condition(
                                ACKNOWLEDGED, ConditionStatus.False, "NotAcknowledged", "nobody has acknowledged"),
                now,
                generation);
        Conditions.set(
                next.conditions,
                next.phase == Phase.Mitigated
                        ? new Condition(
                                MITIGATED,
                                ConditionStatus.True,
                                "RemediationSucceeded",
                                rollbackSummary(next.rollback, "remediation succeeded"))
                        : new Condition(
                                MITIGATED,
                                ConditionStatus.False,
                                next.phase == Phase.Mitigating ? "RemediationRunning" : "NotMitigated",
                                next.phase == Phase.Mitigating
                                        ? rollbackSummary(next.rollback, "remediation running")
                                        : "no remediation has succeeded"),
                now,
                generation);
        Conditions.set(
                next.conditions,
                next.phase == Phase.Resolved
                        ? new Condition(
                                RESOLVED,
                                ConditionStatus.True,
                                resolvedByHuman(spec)
                                        ? "ResolvedByHuman"
                                        : isRollout(spec) ? "WorkloadHealthy" : "AlertsResolved",
                                next.timeline.isEmpty() ? "resolved" : lastResolvedMessage(next))
                        : new Condition(
                                RESOLVED,
                                ConditionStatus.False,
                                next.reopenCount == null ? "Open" : "Reopened",
                                "the incident is " + next.phase),
                now,
                generation);
    }

    private static String lastResolvedMessage(IncidentStatus next) {
        for (int i = next.timeline.size() - 1; i >= 0; i--) {
            if (next.timeline.get(i).type == TimelineType.Resolved) {
                return next.timeline.get(i).message;
            }
        }
        return "resolved";
    }

    // --- observations ----------------------------------------------------------------------------------------

    public static boolean acknowledged(IncidentSpec spec) {
        return spec.acknowledgedBy != null && !spec.acknowledgedBy.isBlank();
    }

    public static boolean resolvedByHuman(IncidentSpec spec) {
        return spec.resolution != null && spec.resolution.resolved;
    }

    private static boolean isRollout(IncidentSpec spec) {
        return spec.source != null && spec.source.type == SourceType.Rollout;
    }

    /** A succeeded rollback counts only if it finished after the incident last (re)opened. */
    static Remediation remediation(IncidentStatus status) {
        RollbackRecord r = status.rollback;
        if (r == null || r.state == null) {
            return Remediation.None;
        }
        return switch (r.state) {
            case InProgress -> Remediation.Running;
            case Succeeded ->
                status.reopenedAt == null || (r.finishedAt != null && r.finishedAt.isAfter(status.reopenedAt))
                        ? Remediation.Succeeded
                        : Remediation.None;
            case Proposed, Failed, Skipped -> Remediation.None;
        };
    }

    /**
     * When Firebreak first stored the incident: its creation (for an alert group, at its first notification). Never
     * the alerts' startsAt, which the sender's clock and configuration decide (a 1970 startsAt would skew MTTA and
     * open the rollback cause window to every revision); it is kept apart, in alertsSummary.earliestStartsAt.
     */
    private static Instant detectedAt(Incident incident, Instant now) {
        Instant created = Optional.ofNullable(incident.getMetadata().getCreationTimestamp())
                .map(Instant::parse)
                .orElse(now);
        return created.isAfter(now) ? now : created;
    }
}
