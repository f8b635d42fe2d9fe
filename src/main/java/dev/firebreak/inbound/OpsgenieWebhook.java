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
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
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
        Optional<Response> disabled = requests.disabled();
        if (disabled.isPresent()) {
            return disabled.get();
        }
        byte[] body;
        try {
            body = InboundRequests.read(in);
        } catch (InboundRequests.TooLarge e) {
            return InboundRequests.tooLarge();
        } catch (IOException e) {
            return InboundRequests.unavailable("could not read the request");
        }
        List<byte[]> secrets;
        try {
            secrets = requests.secrets(
                    namespace,
                    policy,
                    p -> PolicyDirectory.targets(p, t -> t.opsgenie).stream()
                            .map(t -> t.webhookSecretRef)
                            .filter(r -> r != null)
                            .toList());
        } catch (InboundSecrets.Unavailable e) {
            return InboundRequests.unavailable(e.getMessage());
        }
        if (Signatures.sharedSecret(secret, secrets) != Signatures.Verdict.VALID) {
            return InboundRequests.unauthorized();
        }
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
                Identity.by(
                        Tool.Opsgenie,
                        email,
                        null,
                        username,
                        requests.policies()
                                .policy(namespace, policy)
                                .map(p -> requests.policies().people(p))
                                .orElse(List.of())),
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
