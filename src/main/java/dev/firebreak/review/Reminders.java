package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.status.Action;
import dev.firebreak.api.v1alpha1.status.Channel;
import dev.firebreak.api.v1alpha1.status.NotificationRecord;
import dev.firebreak.escalation.Escalation;
import dev.firebreak.escalation.Escalations;
import dev.firebreak.notify.Attempt;
import dev.firebreak.notify.Credentials;
import dev.firebreak.notify.Dispatcher;
import dev.firebreak.notify.Message;
import dev.firebreak.notify.Notifier;
import dev.firebreak.notify.Notifiers;
import dev.firebreak.references.QualifiedName;
import dev.firebreak.secrets.SecretReader;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Reminds the people an incident paged that its review has overdue action items: one message to every destination
 * its escalation reached (the same channels, the same policy targets), sent once and not retried.
 */
@ApplicationScoped
public class Reminders {
    private static final Logger LOG = Logger.getLogger(Reminders.class);

    private final KubernetesClient client;
    private final Dispatcher dispatcher;
    private final Notifiers notifiers;
    private final SecretReader secrets;

    public Reminders(KubernetesClient client, Dispatcher dispatcher, Notifiers notifiers, SecretReader secrets) {
        this.client = client;
        this.dispatcher = dispatcher;
        this.notifiers = notifiers;
        this.secrets = secrets;
    }

    /** Sends the reminder; returns how many destinations it went to (0: the incident paged nobody). */
    public int remind(Incident incident, String text) {
        if (incident.getStatus() == null
                || incident.getStatus().escalation == null
                || incident.getStatus().escalation.policy == null) {
            return 0;
        }
        QualifiedName policyName = QualifiedName.parse(
                incident.getStatus().escalation.policy, incident.getMetadata().getNamespace());
        EscalationPolicy policy = client.resources(EscalationPolicy.class)
                .inNamespace(policyName.namespace())
                .withName(policyName.name())
                .get();
        if (policy == null) {
            return 0;
        }
        int sent = 0;
        for (List<NotificationRecord> history :
                Escalation.destinations(incident.getStatus().escalation).values()) {
            NotificationRecord trigger = history.get(0);
            var target = Escalations.target(policy.getSpec(), trigger);
            if (target.isEmpty()) {
                continue;
            }
            NotificationRecord reminder = new NotificationRecord();
            reminder.action = Action.Update;
            reminder.level = trigger.level;
            reminder.recipient = trigger.recipient;
            Message message = Message.of(incident, reminder).withDetail(text);
            Channel channel = trigger.channel;
            Notifier.Delivery delivery = new Notifier.Delivery(
                    incident.getMetadata().getUid(),
                    -1,
                    1,
                    Escalation.recipientEmail(trigger.recipient).orElse(null),
                    null);
            boolean started = dispatcher.once(
                    channel,
                    () -> notifiers
                            .sender(
                                    channel,
                                    target.get(),
                                    delivery,
                                    new Credentials(name -> secrets.data(policyName.namespace(), name)))
                            .apply(message),
                    outcome -> {
                        if (outcome.outcome() != Attempt.Outcome.Sent) {
                            LOG.warnf(
                                    "review reminder for incident %s/%s to %s: %s",
                                    incident.getMetadata().getNamespace(),
                                    incident.getMetadata().getName(),
                                    trigger.target,
                                    outcome.error());
                        }
                    });
            if (started) {
                sent++;
            }
        }
        return sent;
    }
}
