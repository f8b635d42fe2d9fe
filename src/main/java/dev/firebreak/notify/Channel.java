package dev.firebreak.notify;

/** The channels Firebreak speaks; one Notifier each. */
public enum Channel {
    Slack, Teams, PagerDuty, Opsgenie, ServiceNow, Email, Webhook
}
