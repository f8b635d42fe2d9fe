package dev.firebreak.inbound;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.spec.StakeholderUpdate;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.incident.IncidentRecord;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides what an outside action changes on an incident: the same spec change 'kubectl firebreak ack|resolve|update'
 * makes, or nothing, with the reason either way. Nothing is the answer whenever the incident already says what the
 * action says, which is what stops echo loops: Firebreak acknowledges in PagerDuty because the incident was
 * acknowledged, PagerDuty posts {@code incident.acknowledged} back, and that changes nothing, so nothing is sent. The
 * first acknowledgement stands (a later one by someone else does not overwrite it), and an action older than the
 * incident's last reopening is about the previous occurrence. Pure.
 */
public final class OutsideActions {
    /** The most updates an incident holds (the schema's limit). */
    static final int MAX_UPDATES = 100;

    private OutsideActions() {}

    /** A change to the incident's spec. */
    public sealed interface Change {}

    public record Acknowledge(String by) implements Change {}

    public record WithdrawAcknowledgement() implements Change {}

    public record Resolve(String by, String note) implements Change {}

    public record AddUpdate(StakeholderUpdate update) implements Change {}

    /** The decision: a change, or none, and what to answer the tool. */
    public record Plan(Optional<Change> change, String outcome) {
        static Plan nothing(String why) {
            return new Plan(Optional.empty(), why);
        }

        static Plan change(Change change, String what) {
            return new Plan(Optional.of(change), what);
        }
    }

    public static Plan decide(Optional<Incident> found, OutsideAction action, Instant now) {
        if (found.isEmpty()) {
            return Plan.nothing("no incident here has this key: nothing changed");
        }
        Incident incident = found.get();
        IncidentSpec spec = incident.getSpec();
        Phase phase = incident.getStatus() == null ? null : incident.getStatus().phase;
        Instant reopenedAt = incident.getStatus() == null ? null : incident.getStatus().reopenedAt;
        if (action.occurredAt() != null
                && reopenedAt != null
                && action.occurredAt().isBefore(reopenedAt)) {
            return Plan.nothing("the action happened before the incident was reopened at " + reopenedAt
                    + ": it was about the previous occurrence, nothing changed");
        }
        boolean resolved = phase == Phase.Resolved || IncidentRecord.resolvedByHuman(spec);
        switch (action.kind()) {
            case ACKNOWLEDGE -> {
                if (resolved) {
                    return Plan.nothing("already resolved: nothing changed");
                }
                if (IncidentRecord.acknowledged(spec)) {
                    return Plan.nothing("already acknowledged by " + spec.acknowledgedBy.strip() + ": nothing changed");
                }
                return Plan.change(new Acknowledge(action.by()), "acknowledged by " + action.by());
            }
            case UNACKNOWLEDGE -> {
                if (resolved) {
                    return Plan.nothing("already resolved: nothing changed");
                }
                if (!IncidentRecord.acknowledged(spec)) {
                    return Plan.nothing("not acknowledged: nothing changed");
                }
                return Plan.change(
                        new WithdrawAcknowledgement(),
                        "acknowledgement by " + spec.acknowledgedBy.strip() + " withdrawn in " + action.tool()
                                + ": escalation resumes");
            }
            case RESOLVE -> {
                if (resolved) {
                    return Plan.nothing("already resolved: nothing changed");
                }
                return Plan.change(
                        new Resolve(action.by(), "resolved in " + action.tool()), "resolved by " + action.by());
            }
            case NOTE -> {
                String text = action.text() == null ? "" : action.text().strip();
                if (text.isEmpty()) {
                    return Plan.nothing("the note is empty: nothing changed");
                }
                // Firebreak sends every update to the tools as a note; the tool reporting that note back is an echo.
                if (spec.updates.stream().anyMatch(u -> u.message != null && text.contains(u.message.strip()))) {
                    return Plan.nothing("the incident already has this update: nothing changed");
                }
                if (spec.updates.size() >= MAX_UPDATES) {
                    return Plan.nothing("the incident holds " + MAX_UPDATES + " updates, the most it can: not added");
                }
                StakeholderUpdate update = new StakeholderUpdate();
                update.message = text.length() > 4096 ? text.substring(0, 4095) + "…" : text;
                update.author = action.by();
                update.time = action.occurredAt() == null ? now : action.occurredAt();
                return Plan.change(new AddUpdate(update), "update by " + action.by() + " added");
            }
            default -> throw new IllegalStateException("unhandled " + action.kind());
        }
    }
}
