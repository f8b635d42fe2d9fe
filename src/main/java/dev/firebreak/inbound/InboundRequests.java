package dev.firebreak.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.Person;
import dev.firebreak.api.v1alpha1.SecretKeyRef;
import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.config.FirebreakConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * The one way the inbound endpoints answer. Every request ends in one of: 401 when it is not authenticated (an
 * unknown policy answers the same, so the URL says nothing), 413 for a body over {@link #MAX_BODY}, 400 naming the
 * field of a malformed body, 422 when the API server refuses the change for good, 503 with Retry-After only when a
 * retry can succeed (Secret or API server unavailable, cache starting, slower than the apply timeout), else 200 with
 * what was done, "nothing" included (an unknown incident, an echo, an action the incident already shows). The tools
 * retry 5xx and drop other 4xx, so nothing that can never succeed is answered 5xx.
 */
@ApplicationScoped
public class InboundRequests {
    private static final Logger LOG = Logger.getLogger(InboundRequests.class);
    /** Each tool's payload for one action is a few KiB. */
    static final int MAX_BODY = 256 * 1024;

    static final String RETRY_AFTER_SECONDS = "5";
    static final ObjectMapper JSON = new ObjectMapper();

    /** The body is larger than {@link #MAX_BODY}. */
    static final class TooLarge extends IOException {}

    /** A malformed body, naming the field. */
    static final class Malformed extends RuntimeException {
        final String field;

        Malformed(String field, String reason) {
            super(reason);
            this.field = field;
        }
    }

    private final PolicyDirectory policies;
    private final InboundSecrets secrets;
    private final IncidentActions actions;
    private final ManagedExecutor executor;
    private final FirebreakConfig config;

    public InboundRequests(
            PolicyDirectory policies,
            InboundSecrets secrets,
            IncidentActions actions,
            ManagedExecutor executor,
            FirebreakConfig config) {
        this.policies = policies;
        this.secrets = secrets;
        this.actions = actions;
        this.executor = executor;
        this.config = config;
    }

    /** 404 while the inbound endpoints are disabled, else empty. */
    private Optional<Response> disabled() {
        if (config.inbound().enabled()) {
            return Optional.empty();
        }
        return Optional.of(Response.status(Response.Status.NOT_FOUND)
                .entity(
                        Map.of(
                                "error",
                                "inbound actions are disabled (Helm value inbound.enabled, property firebreak.inbound.enabled)"))
                .build());
    }

    /** The people the named policy reaches, to match the actor against (none when it cannot be read now). */
    List<Person> people(String namespace, String policy) {
        try {
            return policies.policy(namespace, policy).map(policies::people).orElse(List.of());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** An authenticated request's raw body, or the answer that ends the request. */
    record Admission(byte[] body, Response answer) {
        boolean admitted() {
            return answer == null;
        }
    }

    /**
     * Reads the body and checks it with {@code check} against the secrets the named policy's targets hold ({@code
     * secretOf} picks a target's secret, null for targets of other tools). Every refusal is answered here.
     */
    Admission admit(
            InputStream in,
            String namespace,
            String policy,
            Function<EscalationTarget, SecretKeyRef> secretOf,
            BiFunction<byte[], List<byte[]>, Signatures.Verdict> check) {
        Optional<Response> off = disabled();
        if (off.isPresent()) {
            return new Admission(null, off.get());
        }
        byte[] body;
        try {
            body = read(in);
        } catch (TooLarge e) {
            return new Admission(null, tooLarge());
        } catch (IOException e) {
            return new Admission(null, unavailable("could not read the request"));
        }
        List<byte[]> secrets;
        try {
            secrets = secrets(namespace, policy, secretOf);
        } catch (InboundSecrets.Unavailable e) {
            return new Admission(null, unavailable(e.getMessage()));
        }
        return switch (check.apply(body, secrets)) {
            case VALID -> new Admission(body, null);
            case STALE ->
                new Admission(
                        null,
                        refused(
                                401,
                                "X-Slack-Request-Timestamp",
                                "more than five minutes from now: a replay is refused"));
            case INVALID -> new Admission(null, unauthorized());
        };
    }

    /** The raw body, read whole up to {@link #MAX_BODY} bytes: signatures are computed on exactly these bytes. */
    static byte[] read(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) > 0) {
            if (out.size() + n > MAX_BODY) {
                throw new TooLarge();
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * The secrets configured on the named policy's targets of one tool; empty when the policy does not exist or
     * configures none. Throws {@link InboundSecrets.Unavailable} when a Secret cannot be read now.
     */
    private List<byte[]> secrets(String namespace, String policy, Function<EscalationTarget, SecretKeyRef> refs) {
        // Bounded like the write: a hanging API server is answered 503 within the tools' deadlines.
        CompletableFuture<List<byte[]>> read;
        try {
            read = CompletableFuture.supplyAsync(() -> readSecrets(namespace, policy, refs), executor);
        } catch (RuntimeException e) {
            throw new InboundSecrets.Unavailable(e);
        }
        try {
            return read.get(config.inbound().applyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new InboundSecrets.Unavailable(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InboundSecrets.Unavailable unavailable) {
                throw unavailable;
            }
            throw new InboundSecrets.Unavailable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InboundSecrets.Unavailable(e);
        }
    }

    private List<byte[]> readSecrets(
            String namespace, String policy, Function<EscalationTarget, SecretKeyRef> secretOf) {
        Optional<EscalationPolicy> found;
        try {
            found = policies.policy(namespace, policy);
        } catch (RuntimeException e) {
            throw new InboundSecrets.Unavailable(e);
        }
        if (found.isEmpty()) {
            return List.of();
        }
        List<byte[]> all = new ArrayList<>();
        PolicyDirectory.targets(found.get())
                .map(secretOf)
                .filter(ref -> ref != null)
                .forEach(ref -> all.addAll(secrets.read(namespace, ref)));
        return all;
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new Malformed("body", "not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new Malformed("body", "not valid JSON");
        }
    }

    /** A text field, null when absent; 400 when present but not text. */
    static String text(JsonNode parent, String name, String at) {
        JsonNode v = parent == null ? null : parent.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Malformed(at, "must be a string");
        }
        return v.asText();
    }

    /** A required object field. */
    static JsonNode object(JsonNode parent, String name, String at) {
        JsonNode v = parent == null ? null : parent.get(name);
        if (v == null || !v.isObject()) {
            throw new Malformed(at, "required, an object");
        }
        return v;
    }

    /** Applies the action within the apply timeout, and answers. */
    Response apply(String namespace, OutsideAction action, Runnable onApplied) {
        CompletableFuture<IncidentActions.Applied> work;
        try {
            work = CompletableFuture.supplyAsync(() -> actions.apply(namespace, action), executor);
        } catch (RuntimeException e) {
            return unavailable("busy");
        }
        try {
            IncidentActions.Applied applied =
                    work.get(config.inbound().applyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            onApplied.run();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("changed", applied.changed());
            applied.incident().ifPresent(i -> body.put("incident", i));
            body.put("outcome", applied.outcome());
            if (applied.changed()) {
                LOG.infof(
                        "%s: %s (%s)",
                        action.tool(), applied.outcome(), applied.incident().orElse("?"));
            }
            return Response.ok(body).build();
        } catch (TimeoutException e) {
            return unavailable("the Kubernetes API is slow");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IncidentActions.NotNow notNow) {
                return unavailable(notNow.getMessage());
            }
            if (cause instanceof IncidentActions.Refused refused) {
                return refused(422, refused.field.orElse("spec"), refused.getMessage());
            }
            LOG.errorf(cause, "failed to apply %s from %s", action.kind(), action.tool());
            return Response.serverError()
                    .entity(Map.of("error", "internal error: " + cause))
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted");
        }
    }

    static Response ok(String outcome) {
        return Response.ok(Map.of("changed", false, "outcome", outcome)).build();
    }

    static Response unauthorized() {
        return Response.status(Response.Status.UNAUTHORIZED)
                .entity(Map.of("error", "missing or wrong signature or secret"))
                .build();
    }

    static Response tooLarge() {
        return refused(413, "body", "larger than " + MAX_BODY + " bytes");
    }

    static Response refused(int status, String field, String reason) {
        return Response.status(status)
                .entity(Map.of("error", "request refused", "field", field, "reason", reason))
                .build();
    }

    static Response unavailable(String why) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .entity(Map.of("error", why))
                .build();
    }
}
