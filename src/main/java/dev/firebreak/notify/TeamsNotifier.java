package dev.firebreak.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.api.v1alpha1.status.Action;
import dev.firebreak.api.v1alpha1.status.Channel;
import java.util.Map;
import java.util.Optional;

/** Microsoft Teams Workflows webhook: a message with one Adaptive Card (the retired MessageCard format is not used). */
public final class TeamsNotifier implements Notifier {
    private final HttpChannel http;

    public TeamsNotifier(HttpChannel http) {
        this.http = http;
    }

    @Override
    public Channel channel() {
        return Channel.Teams;
    }

    @Override
    public Attempt send(Message message, EscalationTarget target, Delivery delivery, Credentials credentials) {
        String url = credentials.get(target.teams.webhookURLSecretRef);
        return http.send(
                Channel.Teams,
                "POST",
                url,
                HttpChannel.write(payload(message)),
                Map.of(),
                credentials,
                body -> Optional.empty());
    }

    public static ObjectNode payload(Message m) {
        ObjectNode body = HttpChannel.object().put("type", "message");
        ObjectNode attachment =
                body.putArray("attachments").addObject().put("contentType", "application/vnd.microsoft.card.adaptive");
        ObjectNode card = attachment
                .putObject("content")
                .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
                .put("type", "AdaptiveCard")
                .put("version", "1.4");
        ArrayNode items = card.putArray("body");
        items.addObject()
                .put("type", "TextBlock")
                .put("size", "Large")
                .put("weight", "Bolder")
                .put(
                        "color",
                        m.action() == Action.Resolve ? "Good" : m.action() == Action.Trigger ? "Attention" : "Default")
                .put("text", m.headline())
                .put("wrap", true);
        ArrayNode facts = items.addObject().put("type", "FactSet").putArray("facts");
        fact(
                facts,
                "Severity",
                m.severity() == null ? "unclassified" : m.severity().name());
        fact(facts, "Phase", m.phase() == null ? "Triggered" : m.phase().name());
        fact(facts, "Workload", m.workloadText());
        fact(facts, "Incident", m.ref());
        if (m.detail() != null && !m.detail().isBlank()) {
            items.addObject().put("type", "TextBlock").put("text", m.detail()).put("wrap", true);
        }
        if (m.action() == Action.Trigger) {
            items.addObject()
                    .put("type", "TextBlock")
                    .put("isSubtle", true)
                    .put("wrap", true)
                    .put("text", "Acknowledge with: " + m.ackCommand());
        }
        if (!m.links().isEmpty()) {
            ArrayNode actions = card.putArray("actions");
            m.links()
                    .forEach(l -> actions.addObject()
                            .put("type", "Action.OpenUrl")
                            .put("title", l.text())
                            .put("url", l.url()));
        }
        return body;
    }

    private static void fact(ArrayNode facts, String title, String value) {
        facts.addObject().put("title", title).put("value", value);
    }
}
