package dev.firebreak.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.api.v1alpha1.status.Channel;
import dev.firebreak.secrets.Hmac;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A generic webhook: the incident as JSON. With a signing key, {@code X-Firebreak-Signature: v1=<hex>} is
 * HMAC-SHA256 over {@code <X-Firebreak-Timestamp>.<body>} (Unix seconds, a dot, the exact body bytes), so that a
 * receiver can reject forgeries and replays. {@code X-Firebreak-Delivery} is the same on every retry of a notification.
 */
public final class WebhookNotifier implements Notifier {
    public static final String SIGNATURE = "X-Firebreak-Signature";
    public static final String TIMESTAMP = "X-Firebreak-Timestamp";
    public static final String DELIVERY = "X-Firebreak-Delivery";

    private final HttpChannel http;
    private final Clock clock;

    public WebhookNotifier(HttpChannel http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public Channel channel() {
        return Channel.Webhook;
    }

    @Override
    public Attempt send(Message message, EscalationTarget target, Delivery delivery, Credentials credentials) {
        String body = HttpChannel.write(payload(message));
        Map<String, String> headers = new HashMap<>();
        headers.put(DELIVERY, delivery.incidentUid() + "-" + delivery.id());
        if (target.webhook.signingSecretRef != null) {
            String key = credentials.get(target.webhook.signingSecretRef);
            String timestamp = Long.toString(clock.instant().getEpochSecond());
            headers.put(TIMESTAMP, timestamp);
            headers.put(SIGNATURE, "v1=" + sign(key, timestamp, body));
        }
        return http.send(
                Channel.Webhook, "POST", target.webhook.url, body, headers, credentials, b -> Optional.empty());
    }

    /** HMAC-SHA256 of timestamp + "." + body, hex. */
    public static String sign(String key, String timestamp, String body) {
        return Hmac.sha256Hex(
                key.getBytes(StandardCharsets.UTF_8), (timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
    }

    public static ObjectNode payload(Message m) {
        ObjectNode body = HttpChannel.object()
                .put("version", "firebreak.dev/v1alpha1")
                .put("action", m.action().name())
                .put("drill", m.drill());
        if (m.level() != null) {
            body.put("level", m.level());
        }
        ObjectNode incident = body.putObject("incident")
                .put("namespace", m.namespace())
                .put("name", m.name())
                .put("uid", m.uid())
                .put("title", m.drillMark() + m.title());
        incident.put("severity", m.severity() == null ? null : m.severity().name())
                .put("phase", m.phase() == null ? null : m.phase().name())
                .put("source", m.sourceType())
                .put(
                        "detectedAt",
                        m.detectedAt() == null ? null : m.detectedAt().toString());
        if (m.classificationReason() != null) {
            incident.put("classification", m.classificationReason());
        }
        ArrayNode workloads = incident.putArray("workloads");
        m.workloads().forEach(workloads::add);
        if (m.acknowledgedBy() != null) {
            incident.put("acknowledgedBy", m.acknowledgedBy());
        }
        ArrayNode links = incident.putArray("links");
        m.links().forEach(l -> links.addObject().put("text", l.text()).put("url", l.url()));
        if (m.detail() != null) {
            body.put("detail", m.detail());
        }
        if (!m.digest().isEmpty()) {
            // Over the destination's rate: this one delivery stands for every incident listed (the first included).
            ArrayNode covered = body.putObject("digest").putArray("incidents");
            m.digest()
                    .forEach(c -> covered.addObject()
                            .put("namespace", c.namespace())
                            .put("name", c.name())
                            .put("uid", c.uid())
                            .put("title", c.title())
                            .put(
                                    "severity",
                                    c.severity() == null ? null : c.severity().name()));
        }
        return body;
    }
}
