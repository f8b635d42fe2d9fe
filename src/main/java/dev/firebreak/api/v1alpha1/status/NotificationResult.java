package dev.firebreak.api.v1alpha1.status;

/** The outcome of one notification. */
public enum NotificationResult {
    Pending,
    Sent,
    Failed
}
