package dev.firebreak.inbound;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * POST /api/v1/inbound/opsgenie/{namespace}/{policy}: an Opsgenie outgoing-webhook integration. Opsgenie signs
 * nothing, so the integration must send a custom header {@value #SECRET_HEADER} holding the value of one of the
 * policy's opsgenie targets' {@code webhookSecretRef}. Mapped back to the incident through {@code alert.alias}, the
 * incident's UID Firebreak sent. {@code Acknowledge}, {@code UnAcknowledge}, {@code Close} and {@code AddNote} (a
 * stakeholder update) change the incident; actions taken through the Opsgenie API (source type "api": Firebreak's
 * own acknowledgements, notes and closes come back this way) change nothing.
 */
@Path("/api/v1/inbound/opsgenie/{namespace}/{policy}")
public class OpsgenieWebhook {
    static final String SECRET_HEADER = "X-Firebreak-Webhook-Secret";

    private final InboundRequests requests;

    public OpsgenieWebhook(InboundRequests requests) {
        this.requests = requests;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(
            @PathParam("namespace") String namespace,
            @PathParam("policy") String policy,
            @HeaderParam(SECRET_HEADER) String secret,
            InputStream in) {
        InboundRequests.Admission admission = requests.admit(
                in,
                namespace,
                policy,
                t -> t.opsgenie == null ? null : t.opsgenie.webhookSecretRef,
                (raw, secrets) -> Signatures.sharedSecret(secret, secrets));
        if (!admission.admitted()) {
            return admission.answer();
        }
        byte[] body = admission.body();
        Optional<OutsideAction> action;
        try {
            action = action(InboundRequests.parse(body), namespace, policy);
        } catch (InboundRequests.Malformed e) {
            return InboundRequests.refused(400, e.field, e.getMessage());
        }
        if (action.isEmpty()) {
            return InboundRequests.ok("nothing Firebreak acts on: nothing changed");
        }
        return requests.apply(namespace, action.get(), () -> {});
    }

    Optional<OutsideAction> action(JsonNode root, String namespace, String policy) {
        String name = InboundRequests.text(root, "action", "action");
        if (name == null) {
            throw new InboundRequests.Malformed("action", "required");
        }
        JsonNode alert = InboundRequests.object(root, "alert", "alert");
        Kind kind = switch (name) {
            case "Acknowledge" -> Kind.ACKNOWLEDGE;
            case "UnAcknowledge" -> Kind.UNACKNOWLEDGE;
            case "Close" -> Kind.RESOLVE;
            case "AddNote" -> Kind.NOTE;
            default -> null;
        };
        if (kind == null) {
            return Optional.empty();
        }
        JsonNode source = root.get("source");
        String sourceType = source == null ? null : InboundRequests.text(source, "type", "source.type");
        if (sourceType != null && sourceType.toLowerCase(Locale.ROOT).equals("api")) {
            return Optional.empty();
        }
        String username = InboundRequests.text(alert, "username", "alert.username");
        String email = username != null && username.contains("@") ? username : null;
        return Optional.of(new OutsideAction(
                kind,
                Tool.Opsgenie,
                InboundRequests.text(alert, "alias", "alert.alias"),
                Identity.by(Tool.Opsgenie, email, null, username, requests.people(namespace, policy)),
                kind == Kind.NOTE ? InboundRequests.text(alert, "note", "alert.note") : null,
                updatedAt(alert.get("updatedAt"))));
    }

    /** Opsgenie's times are epoch numbers, in nanoseconds, milliseconds or seconds depending on the payload. */
    static Instant updatedAt(JsonNode value) {
        if (value == null || !value.isNumber() || value.asLong() <= 0) {
            return null;
        }
        long n = value.asLong();
        if (n > 100_000_000_000_000L) {
            return Instant.ofEpochSecond(0, n);
        }
        return n > 100_000_000_000L ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n);
    }
}
