package dev.firebreak.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.api.v1alpha1.status.Action;
import dev.firebreak.api.v1alpha1.status.Channel;
import dev.firebreak.api.v1alpha1.status.Phase;
import java.util.Map;
import java.util.Optional;

/**
 * Slack incoming webhook, Block Kit: a header, the facts as fields, the detail, link buttons, and how to acknowledge.
 * Acknowledgement, updates and resolution are follow-up messages (an incoming webhook cannot edit what it posted).
 */
public final class SlackNotifier implements Notifier {
    private final HttpChannel http;

    public SlackNotifier(HttpChannel http) {
        this.http = http;
    }

    /** The block and action IDs of the buttons, which Slack sends back on a click. */
    public static final String BUTTONS = "firebreak_buttons";

    public static final String ACKNOWLEDGE = "firebreak_acknowledge";
    public static final String RESOLVE = "firebreak_resolve";

    @Override
    public Channel channel() {
        return Channel.Slack;
    }

    @Override
    public Attempt send(Message message, EscalationTarget target, Delivery delivery, Credentials credentials) {
        String url = credentials.get(target.slack.webhookURLSecretRef);
        return http.send(
                Channel.Slack,
                "POST",
                url,
                HttpChannel.write(payload(message, target.slack.signingSecretRef != null)),
                Map.of(),
                credentials,
                body -> Optional.empty());
    }

    /** The message body, without buttons. */
    public static ObjectNode payload(Message m) {
        return payload(m, false);
    }

    /**
     * The message body; {@code interactive} (the Slack app's signing secret is configured, so clicks come back to
     * /api/v1/inbound/slack) adds Acknowledge and Resolve buttons while the incident is open.
     */
    public static ObjectNode payload(Message m, boolean interactive) {
        ObjectNode body = HttpChannel.object();
        body.put("text", m.headline() + " (" + m.ref() + ")");
        ArrayNode blocks = body.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", Message.cut(m.headline(), 150));
        ObjectNode facts = blocks.addObject().put("type", "section");
        ArrayNode fields = facts.putArray("fields");
        field(
                fields,
                "Severity",
                m.severity() == null ? "unclassified" : m.severity().name());
        field(fields, "Phase", m.phase() == null ? "Triggered" : m.phase().name());
        field(fields, "Workload", m.workloadText());
        field(fields, "Incident", m.ref());
        if (m.detail() != null && !m.detail().isBlank()) {
            blocks.addObject()
                    .put("type", "section")
                    .putObject("text")
                    .put("type", "mrkdwn")
                    .put("text", Message.cut(escape(m.detail()), 3000));
        }
        if (!m.links().isEmpty()) {
            ArrayNode buttons = blocks.addObject().put("type", "actions").putArray("elements");
            for (Message.Link link : m.links()) {
                ObjectNode button = buttons.addObject().put("type", "button");
                button.putObject("text").put("type", "plain_text").put("text", link.text());
                button.put("url", link.url());
            }
        }
        if (interactive && m.action() != Action.Resolve && m.phase() != Phase.Resolved) {
            buttons(blocks, m.uid(), m.acknowledgedBy() != null);
        }
        blocks.addObject()
                .put("type", "context")
                .putArray("elements")
                .addObject()
                .put("type", "mrkdwn")
                .put(
                        "text",
                        "Firebreak" + (m.level() == null ? "" : " · level " + m.level())
                                + (m.action() == Action.Trigger ? " · acknowledge with `" + m.ackCommand() + "`" : ""));
        return body;
    }

    /** The Acknowledge (until someone has) and Resolve buttons; their value is the incident's UID. */
    public static void buttons(ArrayNode blocks, String uid, boolean acknowledged) {
        ArrayNode elements = blocks.addObject()
                .put("type", "actions")
                .put("block_id", BUTTONS)
                .putArray("elements");
        if (!acknowledged) {
            button(elements, ACKNOWLEDGE, "Acknowledge", uid).put("style", "primary");
        }
        button(elements, RESOLVE, "Resolve", uid);
    }

    private static ObjectNode button(ArrayNode elements, String actionId, String text, String uid) {
        ObjectNode button = elements.addObject().put("type", "button").put("action_id", actionId);
        button.putObject("text").put("type", "plain_text").put("text", text);
        return button.put("value", uid);
    }

    private static void field(ArrayNode fields, String name, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", "*" + name + "*\n" + escape(value));
    }

    /** Slack's mrkdwn control characters. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
