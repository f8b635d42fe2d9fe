package dev.firebreak.incident;

import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.status.TimelineEntry;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import java.time.Instant;

/** The incident's timeline: oldest first, the newest {@value IncidentStatus#TIMELINE_LIMIT} kept, the rest counted. */
public final class Timeline {
    private Timeline() {
    }

    public static void append(IncidentStatus status, Instant time, TimelineType type, String message) {
        status.timeline.add(new TimelineEntry(time, type, message));
        int excess = status.timeline.size() - IncidentStatus.TIMELINE_LIMIT;
        if (excess > 0) {
            status.timeline.subList(0, excess).clear();
            status.timelineDropped = (status.timelineDropped == null ? 0 : status.timelineDropped) + excess;
        }
    }
}
