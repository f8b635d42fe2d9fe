package dev.firebreak.notify;

import dev.firebreak.api.v1alpha1.status.Channel;
import dev.firebreak.config.FirebreakConfig;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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
}
