package dev.firebreak.inbound;

import java.time.Instant;

/**
 * What someone did to an incident in a paging or chat tool, as the tool reported it: already authenticated, not yet
 * applied. {@code by} is who did it as Firebreak will record it (see {@link Identity}); {@code text} is the note or
 * update for {@link Kind#NOTE}; {@code occurredAt} is when the tool says it happened (null when it does not say).
 */
public record OutsideAction(Kind kind, Tool tool, String incidentUid, String by, String text, Instant occurredAt) {
    /** The actions that change an incident. */
    public enum Kind {
        ACKNOWLEDGE,
        UNACKNOWLEDGE,
        RESOLVE,
        /** A note or stakeholder update. */
        NOTE
    }

    /** Where the action came from. */
    public enum Tool {
        PagerDuty,
        Opsgenie,
        Slack
    }
}
