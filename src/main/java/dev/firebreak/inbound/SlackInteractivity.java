package dev.firebreak.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.inbound.OutsideAction.Kind;
import dev.firebreak.inbound.OutsideAction.Tool;
import dev.firebreak.notify.SlackNotifier;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * POST /api/v1/inbound/slack/{namespace}/{policy}: the Slack app's interactivity request URL. The signature ({@code
 * X-Slack-Signature} over the timestamp and the raw body, with the signing secret of one of the policy's slack
 * targets) is checked before anything is parsed, and a timestamp more than five minutes away is refused. The
 * Acknowledge and Resolve buttons Firebreak puts on its messages carry the incident's UID; the person is who Slack
 * says clicked (matched to a Firebreak person by slackUserId). Once applied, the clicked message is replaced in place
 * through Slack's response_url: the outcome, and only the buttons that still make sense.
 */
@Path("/api/v1/inbound/slack/{namespace}/{policy}")
public class SlackInteractivity {
    private static final Logger LOG = Logger.getLogger(SlackInteractivity.class);

    private final InboundRequests requests;
    private final FirebreakConfig config;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public SlackInteractivity(InboundRequests requests, FirebreakConfig config, Clock clock) {
        this.requests = requests;
        this.config = config;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(
            @PathParam("namespace") String namespace,
            @PathParam("policy") String policy,
            @HeaderParam("X-Slack-Request-Timestamp") String timestamp,
            @HeaderParam("X-Slack-Signature") String signature,
            InputStream in) {
        InboundRequests.Admission admission = requests.admit(
                in,
                namespace,
                policy,
                t -> t.slack == null ? null : t.slack.signingSecretRef,
                (raw, secrets) -> Signatures.slack(raw, timestamp, signature, secrets, clock.instant()));
        if (!admission.admitted()) {
            return admission.answer();
        }
        byte[] body = admission.body();
        JsonNode payload;
        Optional<Click> click;
        try {
            payload = InboundRequests.parse(payloadField(body));
            click = click(payload, namespace, policy);
        } catch (InboundRequests.Malformed e) {
            return InboundRequests.refused(400, e.field, e.getMessage());
        }
        if (click.isEmpty()) {
            return InboundRequests.ok("nothing Firebreak acts on: nothing changed");
        }
        Response answer = requests.apply(namespace, click.get().action(), () -> {});
        if (answer.getStatus() == 200) {
            replaceMessage(payload, click.get(), answer);
        }
        return answer;
    }

    record Click(OutsideAction action, String responseUrl) {}

    /** Slack posts {@code payload=<JSON>} form-encoded. */
    static byte[] payloadField(byte[] body) {
        String form = new String(body, StandardCharsets.UTF_8);
        for (String pair : form.split("&")) {
            if (pair.startsWith("payload=")) {
                try {
                    return URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new InboundRequests.Malformed("payload", "not URL-encoded");
                }
            }
        }
        throw new InboundRequests.Malformed("payload", "required: the form field Slack sends");
    }

    Optional<Click> click(JsonNode payload, String namespace, String policy) {
        if (!"block_actions".equals(InboundRequests.text(payload, "type", "type"))) {
            return Optional.empty();
        }
        JsonNode actions = payload.get("actions");
        if (actions == null
                || !actions.isArray()
                || actions.isEmpty()
                || !actions.get(0).isObject()) {
            throw new InboundRequests.Malformed("actions", "required, a non-empty array");
        }
        JsonNode first = actions.get(0);
        String actionId = InboundRequests.text(first, "action_id", "actions[0].action_id");
        Kind kind = SlackNotifier.ACKNOWLEDGE.equals(actionId)
                ? Kind.ACKNOWLEDGE
                : SlackNotifier.RESOLVE.equals(actionId) ? Kind.RESOLVE : null;
        if (kind == null) {
            return Optional.empty();
        }
        JsonNode user = InboundRequests.object(payload, "user", "user");
        String userId = InboundRequests.text(user, "id", "user.id");
        String name = Optional.ofNullable(InboundRequests.text(user, "name", "user.name"))
                .orElse(InboundRequests.text(user, "username", "user.username"));
        String by = Identity.by(Tool.Slack, null, userId, name, requests.people(namespace, policy));
        return Optional.of(new Click(
                new OutsideAction(
                        kind,
                        Tool.Slack,
                        InboundRequests.text(first, "value", "actions[0].value"),
                        by,
                        null,
                        actionTime(InboundRequests.text(first, "action_ts", "actions[0].action_ts"))),
                InboundRequests.text(payload, "response_url", "response_url")));
    }

    static Instant actionTime(String ts) {
        if (ts == null) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(ts);
            return Instant.ofEpochSecond(
                    seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InboundRequests.Malformed("actions[0].action_ts", "not a Slack timestamp");
        }
    }

    /**
     * The clicked message as it should read now: its blocks without Firebreak's buttons, the outcome, and the buttons
     * still useful (Resolve after an acknowledgement, none once resolved). Pure.
     */
    static ObjectNode replacement(JsonNode message, String outcome, String uid, Kind kind) {
        ObjectNode body = InboundRequests.JSON.createObjectNode().put("replace_original", true);
        if (message != null && message.hasNonNull("text")) {
            body.put("text", message.get("text").asText());
        }
        ArrayNode blocks = body.putArray("blocks");
        if (message != null
                && message.get("blocks") != null
                && message.get("blocks").isArray()) {
            for (JsonNode block : message.get("blocks")) {
                if (!SlackNotifier.BUTTONS.equals(block.path("block_id").asText())) {
                    blocks.add(block);
                }
            }
        }
        blocks.addObject()
                .put("type", "context")
                .putArray("elements")
                .addObject()
                .put("type", "mrkdwn")
                .put("text", SlackNotifier.escape(outcome));
        boolean resolved = kind == Kind.RESOLVE || outcome.startsWith("already resolved");
        if (!resolved) {
            SlackNotifier.buttons(blocks, uid, true);
        }
        return body;
    }

    /** Replaces the clicked message through its response_url, when that is Slack's; a failure only costs the edit. */
    private void replaceMessage(JsonNode payload, Click click, Response answer) {
        String url = click.responseUrl();
        if (url == null || !url.startsWith(config.inbound().slackResponseUrlPrefix())) {
            return;
        }
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> entity = (java.util.Map<String, Object>) answer.getEntity();
        if (!entity.containsKey("incident")) {
            return; // not a button of an incident here: the message is not Firebreak's to edit
        }
        ObjectNode body = replacement(
                payload.get("message"),
                String.valueOf(entity.get("outcome")),
                click.action().incidentUid(),
                click.action().kind());
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                if (e != null || r.statusCode() / 100 != 2) {
                    LOG.warnf(
                            "could not update the Slack message: %s",
                            e != null ? e.getClass().getSimpleName() : "HTTP " + r.statusCode());
                }
            });
        } catch (IllegalArgumentException e) {
            LOG.warn("could not update the Slack message: its response_url is not a URL");
        }
    }
}
