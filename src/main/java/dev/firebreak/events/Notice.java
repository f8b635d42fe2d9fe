package dev.firebreak.events;

import dev.firebreak.api.v1alpha1.status.TimelineType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;

/**
 * What a step decided to tell, applied by the reconciler once the reconcile's status write succeeded: an Event, on the
 * reconciled object or on {@code about} (a workload a rollback touched), and, when {@code timeline} is set, the same
 * message as a timeline entry of that type (appended to the status before it is written). The one type every step
 * returns for this.
 */
public record Notice(EventReason reason, boolean warning, String message, HasMetadata about, TimelineType timeline) {
    public Notice(EventReason reason, boolean warning, String message) {
        this(reason, warning, message, null, null);
    }

    public static Notice normal(EventReason reason, String message) {
        return new Notice(reason, false, message);
    }

    public static Notice warning(EventReason reason, String message) {
        return new Notice(reason, true, message);
    }

    /** The same Event, on another object. */
    public Notice on(HasMetadata object) {
        return new Notice(reason, warning, message, object, timeline);
    }

    /** The same Event, and its message on the timeline as an entry of this type. */
    public Notice onTimeline(TimelineType type) {
        return new Notice(reason, warning, message, about, type);
    }

    public Optional<TimelineType> timelineEntry() {
        return Optional.ofNullable(timeline);
    }
}
