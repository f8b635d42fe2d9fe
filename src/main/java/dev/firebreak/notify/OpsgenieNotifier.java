package dev.firebreak.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.api.v1alpha1.spec.OpsgenieTarget;
import dev.firebreak.api.v1alpha1.status.Channel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Opsgenie Alert API: create with alias = the incident's UID, then acknowledge, add a note (updates) and close by
 * alias. Authorization: GenieKey.
 */
public final class OpsgenieNotifier implements Notifier {
    private final HttpChannel http;

    public OpsgenieNotifier(HttpChannel http) {
        this.http = http;
    }

    @Override
    public Channel channel() {
        return Channel.Opsgenie;
    }

    @Override
    public Attempt send(Message message, EscalationTarget target, Delivery delivery, Credentials credentials) {
        String key = credentials.get(target.opsgenie.apiKeySecretRef);
        return http.send(
                Channel.Opsgenie,
                "POST",
                url(target.opsgenie, message),
                HttpChannel.write(payload(message, target.opsgenie)),
                Map.of("Authorization", "GenieKey " + key),
                credentials,
                body -> Optional.empty());
    }

    static String url(OpsgenieTarget target, Message m) {
        String alias = URLEncoder.encode(m.uid(), StandardCharsets.UTF_8);
        return HttpChannel.join(
                target.url,
                switch (m.action()) {
                    case Trigger -> "/v2/alerts";
                    case Acknowledge -> "/v2/alerts/" + alias + "/acknowledge?identifierType=alias";
                    case Update -> "/v2/alerts/" + alias + "/notes?identifierType=alias";
                    case Resolve -> "/v2/alerts/" + alias + "/close?identifierType=alias";
                });
    }

    public static ObjectNode payload(Message m, OpsgenieTarget target) {
        ObjectNode body = HttpChannel.object();
        switch (m.action()) {
            case Trigger -> {
                body.put("message", Message.cut(m.drillMark() + m.title(), 130)).put("alias", m.uid());
                if (m.detail() != null) {
                    body.put("description", Message.cut(m.detail(), 15000));
                }
                if (!target.teams.isEmpty()) {
                    ArrayNode responders = body.putArray("responders");
                    target.teams.forEach(
                            t -> responders.addObject().put("name", t).put("type", "team"));
                }
                ArrayNode tags = body.putArray("tags")
                        .add("firebreak")
                        .add("severity:"
                                + (m.severity() == null
                                        ? "unclassified"
                                        : m.severity().name()));
                if (m.drill()) {
                    tags.add("drill");
                }
                ObjectNode details =
                        body.putObject("details").put("incident", m.ref()).put("workloads", m.workloadText());
                m.links().forEach(l -> details.put(l.text(), l.url()));
                body.put("entity", m.ref()).put("source", "Firebreak").put("priority", priority(m.severity()));
            }
            case Acknowledge ->
                body.put("user", m.acknowledgedBy()).put("source", "Firebreak").put("note", m.drillMark() + m.detail());
            case Update -> body.put("source", "Firebreak").put("note", m.drillMark() + m.detail());
            case Resolve -> body.put("source", "Firebreak").put("note", m.drillMark() + m.detail());
            default -> throw new IllegalStateException();
        }
        return body;
    }

    /** Critical → P1, High → P2, Medium → P3, Low → P4. */
    static String priority(Severity s) {
        if (s == null) {
            return "P3";
        }
        return switch (s) {
            case Critical -> "P1";
            case High -> "P2";
            case Medium -> "P3";
            case Low -> "P4";
        };
    }
}
