package dev.firebreak.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firebreak.api.v1alpha1.Person;
import dev.firebreak.inbound.OutsideAction.Kind;
import dev.firebreak.inbound.OutsideAction.Tool;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * POST /api/v1/inbound/pagerduty/{namespace}/{policy}: a PagerDuty Webhooks v3 subscription. Signed with the secrets
 * of the policy's pagerDuty targets ({@code webhookSecretRef}); mapped back to the incident through {@code
 * incident_key}, which is the dedup_key Firebreak sent (the incident's UID). {@code incident.acknowledged},
 * {@code .unacknowledged}, {@code .resolved} and {@code .reassigned} (back to triggered: the acknowledgement is
 * withdrawn) done by a person change the incident; actions by a service or integration (Firebreak's own events come
 * back this way) change nothing. Replays of one X-Webhook-Id are answered without doing anything again.
 */
@Path("/api/v1/inbound/pagerduty/{namespace}/{policy}")
public class PagerDutyWebhook {
    private final InboundRequests requests;
    private final WebhookIds ids;

    public PagerDutyWebhook(InboundRequests requests, Clock clock) {
        this.requests = requests;
        this.ids = new WebhookIds(clock);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(
            @PathParam("namespace") String namespace,
            @PathParam("policy") String policy,
            @HeaderParam("X-PagerDuty-Signature") String signature,
            @HeaderParam("X-Webhook-Id") String webhookId,
            InputStream in) {
        InboundRequests.Admission admission = requests.admit(
                in,
                namespace,
                policy,
                t -> t.pagerDuty == null ? null : t.pagerDuty.webhookSecretRef,
                (raw, secrets) -> Signatures.pagerDuty(raw, signature, secrets));
        if (!admission.admitted()) {
            return admission.answer();
        }
        byte[] body = admission.body();
        if (ids.seen(webhookId)) {
            return InboundRequests.ok("webhook " + webhookId + " was already handled: nothing changed");
        }
        Optional<OutsideAction> action;
        try {
            action = action(InboundRequests.parse(body), namespace, policy);
        } catch (InboundRequests.Malformed e) {
            return InboundRequests.refused(400, e.field, e.getMessage());
        }
        if (action.isEmpty()) {
            ids.handled(webhookId);
            return InboundRequests.ok("nothing Firebreak acts on: nothing changed");
        }
        return requests.apply(namespace, action.get(), () -> ids.handled(webhookId));
    }

    /** The action an event asks for; empty for events Firebreak does not act on. */
    Optional<OutsideAction> action(JsonNode root, String namespace, String policy) {
        JsonNode event = InboundRequests.object(root, "event", "event");
        String type = InboundRequests.text(event, "event_type", "event.event_type");
        if (type == null) {
            throw new InboundRequests.Malformed("event.event_type", "required");
        }
        JsonNode data = event.get("data");
        String status = data == null ? null : InboundRequests.text(data, "status", "event.data.status");
        Kind kind = kind(type, status);
        if (kind == null) {
            return Optional.empty();
        }
        JsonNode agent = event.get("agent");
        if (agent == null || !"user_reference".equals(InboundRequests.text(agent, "type", "event.agent.type"))) {
            // Done by a service or an integration, Firebreak's own events among them: not a person's decision.
            return Optional.empty();
        }
        String key = InboundRequests.text(
                InboundRequests.object(event, "data", "event.data"), "incident_key", "event.data.incident_key");
        String name = InboundRequests.text(agent, "summary", "event.agent.summary");
        String email = InboundRequests.text(agent, "email", "event.agent.email");
        List<Person> people = requests.people(namespace, policy);
        return Optional.of(new OutsideAction(
                kind,
                Tool.PagerDuty,
                key,
                Identity.by(Tool.PagerDuty, email, null, name, people),
                null,
                occurredAt(InboundRequests.text(event, "occurred_at", "event.occurred_at"))));
    }

    static Kind kind(String eventType, String status) {
        return switch (eventType) {
            case "incident.acknowledged" -> Kind.ACKNOWLEDGE;
            case "incident.unacknowledged" -> Kind.UNACKNOWLEDGE;
            case "incident.resolved" -> Kind.RESOLVE;
            // PagerDuty puts a reassigned incident back to triggered for the new assignee.
            case "incident.reassigned" -> "triggered".equals(status) ? Kind.UNACKNOWLEDGE : null;
            default -> null;
        };
    }

    static Instant occurredAt(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InboundRequests.Malformed("event.occurred_at", "not an RFC 3339 time");
        }
    }
}
