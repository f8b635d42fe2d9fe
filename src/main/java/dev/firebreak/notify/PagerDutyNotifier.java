package dev.firebreak.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.api.v1alpha1.status.Action;
import dev.firebreak.api.v1alpha1.status.Channel;
import java.util.Map;
import java.util.Optional;

/**
 * PagerDuty Events API v2 ({@code POST /v2/enqueue}). The dedup_key is the incident's UID, so trigger, acknowledge and
 * resolve act on one PagerDuty alert; an update is a trigger with the same key, which PagerDuty adds to that alert's
 * log without paging again.
 */
public final class PagerDutyNotifier implements Notifier {
    private final HttpChannel http;

    public PagerDutyNotifier(HttpChannel http) {
        this.http = http;
    }

    @Override
    public Channel channel() {
        return Channel.PagerDuty;
    }

    @Override
    public Attempt send(Message message, EscalationTarget target, Delivery delivery, Credentials credentials) {
        String key = credentials.get(target.pagerDuty.routingKeySecretRef);
        return http.send(
                Channel.PagerDuty,
                "POST",
                HttpChannel.join(target.pagerDuty.url, "/v2/enqueue"),
                HttpChannel.write(payload(message, key)),
                Map.of(),
                credentials,
                body -> Optional.empty());
    }

    public static ObjectNode payload(Message m, String routingKey) {
        ObjectNode body = HttpChannel.object().put("routing_key", routingKey);
        String action = switch (m.action()) {
            case Trigger, Update -> "trigger";
            case Acknowledge -> "acknowledge";
            case Resolve -> "resolve";
        };
        body.put("event_action", action).put("dedup_key", m.uid());
        if (!"trigger".equals(action)) {
            return body;
        }
        String summary = m.action() == Action.Update
                ? m.drillMark() + "Update on " + m.title() + ": " + m.detail()
                : m.drillMark() + m.title();
        ObjectNode payload = body.putObject("payload")
                .put("summary", Message.cut(summary, 1024))
                .put(
                        "source",
                        m.workloads().isEmpty()
                                ? m.ref()
                                : m.namespace() + "/"
                                        + m.workloads()
                                                .get(0)
                                                .substring(m.workloads().get(0).indexOf(' ') + 1))
                .put("severity", severity(m.severity()));
        if (m.detectedAt() != null) {
            payload.put("timestamp", m.detectedAt().toString());
        }
        payload.put("group", m.namespace()).put("class", m.sourceType());
        ObjectNode details = payload.putObject("custom_details")
                .put("incident", m.ref())
                .put("phase", m.phase() == null ? "Triggered" : m.phase().name())
                .put("workloads", m.workloadText())
                .put("drill", m.drill());
        if (m.classificationReason() != null) {
            details.put("classification", m.classificationReason());
        }
        if (m.level() != null) {
            details.put("escalation_level", m.level());
        }
        if (!m.links().isEmpty()) {
            ArrayNode links = body.putArray("links");
            m.links().forEach(l -> links.addObject().put("href", l.url()).put("text", l.text()));
        }
        body.put("client", "Firebreak");
        return body;
    }

    /** Critical → critical, High → error, Medium → warning, Low → info. */
    static String severity(Severity s) {
        if (s == null) {
            return "warning";
        }
        return switch (s) {
            case Critical -> "critical";
            case High -> "error";
            case Medium -> "warning";
            case Low -> "info";
        };
    }
}
