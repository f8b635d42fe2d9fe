package dev.firebreak.notify;

/** What a notification says: the incident triggered, was acknowledged, has an update, or resolved. */
public enum Action {
    Trigger,
    Acknowledge,
    Update,
    Resolve
}
