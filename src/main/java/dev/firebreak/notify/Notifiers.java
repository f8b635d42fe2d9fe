package dev.firebreak.notify;

import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.api.v1alpha1.status.Channel;
import dev.firebreak.config.FirebreakConfig;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The Notifier of each channel. */
@ApplicationScoped
public class Notifiers {
    private final Map<Channel, Notifier> byChannel = new EnumMap<>(Channel.class);

    public Notifiers(FirebreakConfig config, Mailer mailer, Clock clock) {
        HttpChannel http = new HttpChannel(config.notifications().timeout());
        List.of(
                        new SlackNotifier(http),
                        new TeamsNotifier(http),
                        new PagerDutyNotifier(http),
                        new OpsgenieNotifier(http),
                        new ServiceNowNotifier(http),
                        new WebhookNotifier(http, clock),
                        new EmailNotifier(mailer, config.notifications().emailFrom()))
                .forEach(n -> byChannel.put(n.channel(), n));
    }

    public Notifier of(Channel channel) {
        return byChannel.get(channel);
    }

    /**
     * The one delivery call, for escalations and reminders alike: the channel's Notifier sending a message to the
     * target, with the credentials of {@code credentials}. The dispatcher calls it (and may pass a digest instead).
     */
    public Function<Message, Attempt> sender(
            Channel channel, EscalationTarget target, Notifier.Delivery delivery, Credentials credentials) {
        Notifier notifier = of(channel);
        return message -> notifier.send(message, target, delivery, credentials);
    }
}
