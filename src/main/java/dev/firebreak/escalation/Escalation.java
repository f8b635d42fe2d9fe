package dev.firebreak.escalation;

import dev.firebreak.api.v1alpha1.EscalationPolicySpec;
import dev.firebreak.api.v1alpha1.Person;
import dev.firebreak.api.v1alpha1.spec.EscalationLevel;
import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.api.v1alpha1.status.Action;
import dev.firebreak.api.v1alpha1.status.Channel;
import dev.firebreak.api.v1alpha1.status.EscalationStatus;
import dev.firebreak.api.v1alpha1.status.NotificationRecord;
import dev.firebreak.api.v1alpha1.status.NotificationResult;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.TargetRef;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.Notice;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.time.Durations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The escalation state machine, pure: from the bound policy, the incident's phase and the escalation status it
 * decides the next status, which levels fire and which notifications are due (as Pending records; delivery is an
 * effect done elsewhere).
 * <ul>
 * <li>Level 0 fires at once; level n+1 fires its delay after level n was due, unless escalation is paused; after the
 * last level the policy starts over at level 0 after repeatDelay, {@code repeat} times.</li>
 * <li>Paused while acknowledged, Mitigated or Resolved: the timer is cleared. When the pause ends (acknowledgement
 * withdrawn, a remediation that did not hold) the next level fires at once.</li>
 * <li>Timers are due instants in status: a level overdue after an outage fires once, at the next reconcile, and the
 * one after it is counted from when it was due.</li>
 * <li>Follow-ups go to every destination whose trigger was not refused: Acknowledge once per round, one Update per
 * stakeholder update, Resolve once. A reopened incident starts a new round at level 0.</li>
 * </ul>
 */
public final class Escalation {
    /** What the reconcile observed. {@code onCall} says whom a schedule has on call now. */
    public record Input(
            Optional<EscalationPolicySpec> policy,
            Optional<String> policyName,
            String bindingReason,
            Phase phase,
            Optional<String> acknowledgedBy,
            Optional<Instant> reopenedAt,
            int updates,
            Instant now,
            Function<String, Optional<Person>> onCall) {}

    /** A fact for the timeline and an Event. */
    static Notice note(TimelineType type, EventReason reason, boolean warning, String message) {
        return new Notice(reason, warning, message).onTimeline(type);
    }

    /** The decision: the next escalation status (records appended), notices, and the levels that fired. */
    public record Decision(
            EscalationStatus next, List<Notice> notices, List<Integer> firedLevels, List<NotificationRecord> added) {}

    private Escalation() {}

    public static Decision decide(EscalationStatus current, Input in) {
        EscalationStatus next = StatusUpdate.copy(current, EscalationStatus::new);
        List<Notice> notices = new ArrayList<>();
        List<Integer> fired = new ArrayList<>();
        List<NotificationRecord> added = new ArrayList<>();
        boolean acknowledged = in.acknowledgedBy().isPresent();

        bind(next, in, acknowledged, notices);
        if (in.policy().isEmpty()) {
            return new Decision(next, notices, fired, added);
        }
        EscalationPolicySpec policy = in.policy().get();

        if (in.phase() != Phase.Resolved
                && next.startedAt != null
                && in.reopenedAt().isPresent()
                && next.startedAt.isBefore(in.reopenedAt().get())) {
            restart(next);
            notices.add(note(
                    TimelineType.Escalated,
                    EventReason.Escalated,
                    true,
                    "the incident reopened: escalation starts again at level 0"));
        }

        followUps(next, in, acknowledged, added);

        boolean paused = acknowledged || in.phase() == Phase.Mitigated || in.phase() == Phase.Resolved;
        if (paused) {
            next.nextEscalationAt = null;
        } else if (next.level == null) {
            fire(next, policy, 0, 0, in.now(), in, notices, fired, added);
            next.startedAt = in.now();
        } else {
            if (next.nextEscalationAt == null && !exhausted(next, policy)) {
                next.nextEscalationAt = in.now();
            }
            if (next.nextEscalationAt != null && !in.now().isBefore(next.nextEscalationAt)) {
                Instant due = next.nextEscalationAt;
                int level = Math.min(next.level, policy.levels.size() - 1);
                int repetition = next.repetition == null ? 0 : next.repetition;
                if (level + 1 < policy.levels.size()) {
                    fire(next, policy, level + 1, repetition, due, in, notices, fired, added);
                } else {
                    fire(next, policy, 0, repetition + 1, due, in, notices, fired, added);
                }
            }
        }
        return new Decision(next, notices, fired, added);
    }

    /** Where a notification goes: channel, policy target and person; follow-ups go to the same destination. */
    public static String destination(NotificationRecord r) {
        return r.channel + "|" + r.targetRef + "|" + r.recipient;
    }

    // --- binding -------------------------------------------------------------------------------------------------

    private static void bind(EscalationStatus next, Input in, boolean acknowledged, List<Notice> notices) {
        String name = in.policyName().orElse(null);
        if (Objects.equals(name, next.policy)) {
            if (!Objects.equals(in.bindingReason(), next.reason) && name == null) {
                next.reason = in.bindingReason();
                notices.add(note(
                        TimelineType.Note,
                        EventReason.PolicyBound,
                        true,
                        "no escalation policy: " + in.bindingReason()));
            }
            return;
        }
        // Once people were paged, the record stays with the policy that paged them until the incident is open and
        // unacknowledged again.
        if (next.level != null && (acknowledged || in.phase() == Phase.Resolved)) {
            return;
        }
        String previous = next.policy;
        next.policy = name;
        next.reason = in.bindingReason();
        if (previous != null) {
            restart(next);
            notices.add(note(
                    TimelineType.Note,
                    EventReason.PolicyBound,
                    name == null,
                    name == null
                            ? "escalation policy " + previous + " no longer applies: " + in.bindingReason()
                            : "escalation policy changed from " + previous + " to " + name + " (" + in.bindingReason()
                                    + "): escalation starts again at level 0"));
        } else if (name == null) {
            notices.add(note(
                    TimelineType.Note, EventReason.PolicyBound, true, "no escalation policy: " + in.bindingReason()));
        } else {
            notices.add(note(
                    TimelineType.Note,
                    EventReason.PolicyBound,
                    false,
                    "bound to escalation policy " + name + " (" + in.bindingReason() + ")"));
        }
    }

    private static void restart(EscalationStatus next) {
        next.level = null;
        next.repetition = null;
        next.nextEscalationAt = null;
        next.startedAt = null;
    }

    // --- levels --------------------------------------------------------------------------------------------------

    private static boolean exhausted(EscalationStatus next, EscalationPolicySpec policy) {
        int repetition = next.repetition == null ? 0 : next.repetition;
        return next.level != null && next.level >= policy.levels.size() - 1 && repetition >= policy.repeat;
    }

    private static void fire(
            EscalationStatus next,
            EscalationPolicySpec policy,
            int level,
            int repetition,
            Instant due,
            Input in,
            List<Notice> notices,
            List<Integer> fired,
            List<NotificationRecord> added) {
        EscalationLevel spec = policy.levels.get(level);
        List<String> names = new ArrayList<>();
        for (int t = 0; t < spec.targets.size(); t++) {
            NotificationRecord r = target(spec.targets.get(t), new TargetRef(level, t), in);
            r.level = level;
            r.action = Action.Trigger;
            append(next, r, in.now(), added);
            names.add(r.target + (r.result == NotificationResult.Failed ? " (" + r.error + ")" : ""));
        }
        next.level = level;
        next.repetition = repetition;
        if (level + 1 < policy.levels.size()) {
            next.nextEscalationAt = due.plus(Durations.parse(policy.levels.get(level + 1).delay));
        } else if (repetition < policy.repeat) {
            next.nextEscalationAt = due.plus(Durations.parse(policy.repeatDelay));
        } else {
            next.nextEscalationAt = null;
        }
        fired.add(level);
        notices.add(note(
                TimelineType.Escalated,
                EventReason.Escalated,
                true,
                "level " + level + (repetition == 0 ? "" : " (repeat " + repetition + " of " + policy.repeat + ")")
                        + " of " + next.policy + " fired: " + String.join(", ", names)
                        + (next.nextEscalationAt == null ? "" : "; next level at " + next.nextEscalationAt)));
    }

    /** The record of notifying one target; an on-call target with nobody reachable is recorded as Failed. */
    static NotificationRecord target(EscalationTarget t, TargetRef ref, Input in) {
        NotificationRecord r = new NotificationRecord();
        r.targetRef = ref;
        r.result = NotificationResult.Pending;
        r.attempts = 0;
        if (t.onCallSchedule != null) {
            r.channel = Channel.Email;
            Optional<Person> person = in.onCall().apply(t.onCallSchedule.name);
            r.target = "on call in " + t.onCallSchedule.name
                    + person.map(p -> ": " + p.name).orElse("");
            if (person.isEmpty()) {
                r.result = NotificationResult.Failed;
                r.error = "nobody is on call in OnCallSchedule " + t.onCallSchedule.name;
            } else if (person.get().email == null) {
                r.result = NotificationResult.Failed;
                r.error = person.get().name + " has no email address";
            } else {
                r.recipient = person.get().name + " <" + person.get().email + ">";
            }
        } else if (t.person != null) {
            r.channel = Channel.Email;
            r.target = "person " + t.person.name;
            r.recipient = t.person.name + " <" + t.person.email + ">";
        } else if (t.slack != null) {
            r.channel = Channel.Slack;
            r.target = "slack " + (t.slack.channel == null ? ref : t.slack.channel);
        } else if (t.teams != null) {
            r.channel = Channel.Teams;
            r.target = "teams " + (t.teams.channel == null ? ref : t.teams.channel);
        } else if (t.pagerDuty != null) {
            r.channel = Channel.PagerDuty;
            r.target = "pagerDuty " + ref;
        } else if (t.opsgenie != null) {
            r.channel = Channel.Opsgenie;
            r.target = "opsgenie " + (t.opsgenie.teams.isEmpty() ? ref : String.join(",", t.opsgenie.teams));
        } else if (t.serviceNow != null) {
            r.channel = Channel.ServiceNow;
            r.target = "serviceNow " + (t.serviceNow.assignmentGroup == null ? ref : t.serviceNow.assignmentGroup);
        } else if (t.email != null) {
            r.channel = Channel.Email;
            r.target = "email " + String.join(",", t.email.to);
        } else {
            r.channel = Channel.Webhook;
            r.target = "webhook " + ref;
        }
        return r;
    }

    private static void append(
            EscalationStatus next, NotificationRecord r, Instant now, List<NotificationRecord> added) {
        r.id = next.notifications.size();
        r.time = now;
        next.notifications.add(r);
        added.add(r);
    }

    // --- follow-ups ----------------------------------------------------------------------------------------------

    /**
     * Destinations (channel + policy target + person) whose latest trigger was not refused, each with the records
     * sent to it since, in order.
     */
    public static Map<String, List<NotificationRecord>> destinations(EscalationStatus status) {
        Map<String, List<NotificationRecord>> byDestination = new LinkedHashMap<>();
        for (NotificationRecord r : status.notifications) {
            String key = destination(r);
            if (r.action == Action.Trigger) {
                if (r.result == NotificationResult.Failed) {
                    byDestination.remove(key); // refused or never reachable: nothing to follow up
                } else {
                    byDestination.put(key, new ArrayList<>(List.of(r)));
                }
            } else if (byDestination.containsKey(key)) {
                byDestination.get(key).add(r);
            }
        }
        return byDestination;
    }

    private static void followUps(
            EscalationStatus next, Input in, boolean acknowledged, List<NotificationRecord> added) {
        int sent = next.updatesSent == null ? 0 : next.updatesSent;
        Map<String, List<NotificationRecord>> destinations = destinations(next);
        for (List<NotificationRecord> history : destinations.values()) {
            NotificationRecord trigger = history.get(0);
            boolean resolved = has(history, Action.Resolve);
            if (!resolved) {
                for (int u = sent; u < in.updates(); u++) {
                    followUp(next, trigger, Action.Update, u, in.now(), added);
                }
            }
            if (acknowledged && in.phase() != Phase.Resolved && !resolved && !has(history, Action.Acknowledge)) {
                followUp(next, trigger, Action.Acknowledge, null, in.now(), added);
            }
            if (in.phase() == Phase.Resolved && !resolved) {
                followUp(next, trigger, Action.Resolve, null, in.now(), added);
            }
        }
        if (in.updates() != sent) {
            next.updatesSent = in.updates();
        }
    }

    private static boolean has(List<NotificationRecord> history, Action action) {
        return history.stream().anyMatch(r -> r.action == action);
    }

    private static void followUp(
            EscalationStatus next,
            NotificationRecord trigger,
            Action action,
            Integer update,
            Instant now,
            List<NotificationRecord> added) {
        NotificationRecord r = new NotificationRecord();
        r.level = trigger.level;
        r.target = trigger.target;
        r.targetRef = trigger.targetRef;
        r.recipient = trigger.recipient;
        r.channel = trigger.channel;
        r.action = action;
        r.update = update;
        r.attempts = 0;
        r.result = NotificationResult.Pending;
        append(next, r, now, added);
    }

    /** Parses "Name <email>" as written in NotificationRecord.recipient. */
    public static Optional<String> recipientEmail(String recipient) {
        if (recipient == null || !recipient.endsWith(">") || !recipient.contains("<")) {
            return Optional.empty();
        }
        return Optional.of(recipient.substring(recipient.lastIndexOf('<') + 1, recipient.length() - 1));
    }
}
