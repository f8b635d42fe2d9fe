package dev.firebreak.incident;

import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.status.TimelineEntry;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.text.Text;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * The incident's timeline, oldest first. Two budgets, so that a storm of alerts never pushes the story out: the
 * story (everything but alert entries) keeps its newest {@value #STORY_ENTRIES} entries within {@value #STORY_BYTES}
 * bytes, the alert entries their newest {@value #ALERT_ENTRIES} within {@value #ALERT_BYTES} bytes (as the API
 * server stores them). Older entries are dropped and counted in timelineDropped. Messages are cut to
 * {@value TimelineEntry#MESSAGE_LIMIT} characters.
 */
public final class Timeline {
    static final int STORY_ENTRIES = 200;
    static final int STORY_BYTES = 96 * 1024;
    static final int ALERT_ENTRIES = IncidentStatus.TIMELINE_LIMIT - STORY_ENTRIES;
    static final int ALERT_BYTES = 32 * 1024;
    /** An entry's time, type and field names, as stored. */
    private static final int ENTRY_OVERHEAD = 64;

    private Timeline() {}

    public static void append(IncidentStatus status, Instant time, TimelineType type, String message) {
        status.timeline.add(
                new TimelineEntry(time, type, Text.cut(Text.wellFormed(message), TimelineEntry.MESSAGE_LIMIT)));
        boolean alert = isAlert(type);
        Predicate<TimelineEntry> sameBudget = e -> isAlert(e.type) == alert;
        int entries = alert ? ALERT_ENTRIES : STORY_ENTRIES;
        long bytes = alert ? ALERT_BYTES : STORY_BYTES;
        int dropped = 0;
        while (count(status, sameBudget) > entries || size(status, sameBudget) > bytes) {
            for (int i = 0; i < status.timeline.size(); i++) {
                if (sameBudget.test(status.timeline.get(i))) {
                    status.timeline.remove(i);
                    dropped++;
                    break;
                }
            }
        }
        if (dropped > 0) {
            status.timelineDropped = (status.timelineDropped == null ? 0 : status.timelineDropped) + dropped;
        }
    }

    /** Alert firing and resolving: the entries a storm produces, kept apart from the story. */
    public static boolean isAlert(TimelineType type) {
        return type == TimelineType.AlertFiring || type == TimelineType.AlertResolved;
    }

    private static long count(IncidentStatus status, Predicate<TimelineEntry> which) {
        return status.timeline.stream().filter(which).count();
    }

    private static long size(IncidentStatus status, Predicate<TimelineEntry> which) {
        return status.timeline.stream()
                .filter(which)
                .mapToLong(e -> ENTRY_OVERHEAD + Text.encodedLength(e.message))
                .sum();
    }
}
