package dev.firebreak.events;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * An Event a step decided on, to be recorded once the reconcile's status write succeeded: on the reconciled object, or
 * on {@code about} (a workload a rollback touched).
 */
public record Notice(EventReason reason, boolean warning, String message, HasMetadata about) {
    public Notice(EventReason reason, boolean warning, String message) {
        this(reason, warning, message, null);
    }

    public static Notice normal(EventReason reason, String message) {
        return new Notice(reason, false, message);
    }

    public static Notice warning(EventReason reason, String message) {
        return new Notice(reason, true, message);
    }

    /** The same Event, on another object. */
    public Notice on(HasMetadata object) {
        return new Notice(reason, warning, message, object);
    }
}
