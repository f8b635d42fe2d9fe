package dev.firebreak.notify;

import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.api.v1alpha1.status.Channel;

/**
 * One channel's delivery: one attempt, no retries (the dispatcher retries by rescheduling, so a failing channel holds
 * no thread). Implementations must not log or return credentials.
 */
public interface Notifier {
    Channel channel();

    /**
     * @param message what to say
     * @param target the policy's target (its Secret references)
     * @param delivery the notification's identity, recipient and the channel's earlier record (ServiceNow's sys_id)
     * @param credentials resolves the target's Secret references
     */
    Attempt send(Message message, EscalationTarget target, Delivery delivery, Credentials credentials);

    /** Which notification this is: for idempotency keys, email recipients and updates of an earlier record. */
    record Delivery(String incidentUid, int id, int attempt, String recipientEmail, String externalId) {}
}
