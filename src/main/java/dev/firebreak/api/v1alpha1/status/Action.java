package dev.firebreak.api.v1alpha1.status;

/** What a notification says: the incident triggered, was acknowledged, has an update, or resolved. */
public enum Action {
    Trigger,
    Acknowledge,
    Update,
    Resolve
}
