package dev.firebreak.intake.alertmanager;

import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.status.AlertsSummary;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.intake.IntakeMetrics;
import dev.firebreak.intake.WebhookAuth;
import io.micrometer.core.instrument.Timer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * POST /api/v1/alerts/alertmanager. Alertmanager retries only on 5xx and network errors and drops a notification on
 * every 4xx, 429 included. So every notification ends in one of three answers: 2xx once it is stored (or holds no
 * alert, which stores nothing); 4xx with {@code {error, field, reason}} only when nothing of it can ever be stored
 * (400 malformed, 401 credentials, 413 too large, 422 refused by the API server even in its smallest form); 503 with
 * Retry-After only when a retry can succeed (the API server unavailable or slow, Firebreak busy, the incident's write
 * budget spent). Never 429. The concurrency limit is taken before the body is read, and the body is parsed as it
 * arrives (docs/intake.md has the whole contract).
 */
@Path("/api/v1/alerts/alertmanager")
public class AlertmanagerWebhook {
    private static final Logger LOG = Logger.getLogger(AlertmanagerWebhook.class);
    static final String RETRY_AFTER_SECONDS = "5";

    private final WebhookAuth auth;
    private final AlertmanagerIntake intake;
    private final FirebreakConfig config;
    private final Semaphore inFlight;
    private final ManagedExecutor executor;
    private final IntakeMetrics metrics;
    private final Clock clock;

    public AlertmanagerWebhook(
            WebhookAuth auth,
            AlertmanagerIntake intake,
            FirebreakConfig config,
            ManagedExecutor executor,
            IntakeMetrics metrics,
            Clock clock) {
        this.metrics = metrics;
        this.executor = executor;
        this.auth = auth;
        this.intake = intake;
        this.config = config;
        this.clock = clock;
        this.inFlight = new Semaphore(config.webhook().maxConcurrent());
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length,
            InputStream body) {
        Timer.Sample sample = metrics.received();
        Response response = handle(authorization, length, body);
        metrics.answered(sample, response.getStatus());
        return response;
    }

    /**
     * Permits a notification takes: one per MiB of its body, at least one, at most all of them; a body of unknown
     * length a quarter of them. So max-concurrent small notifications, or fewer large ones, are read and stored at
     * once: the bytes in flight are bounded as well as their number.
     */
    static int permits(Long length, int all) {
        if (length == null || length < 0) {
            return Math.max(1, all / 4);
        }
        return (int) Math.max(1, Math.min(all, (length + (1 << 20) - 1) >> 20));
    }

    private Response handle(String authorization, Long length, InputStream body) {
        switch (auth.check(authorization)) {
            case REFUSED -> {
                return Response.status(Response.Status.UNAUTHORIZED)
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"firebreak\"")
                        .entity(Map.of("error", "missing or wrong credentials"))
                        .build();
            }
            case UNAVAILABLE -> {
                LOG.errorf(
                        "cannot check webhook credentials: Secret %s/%s not found",
                        config.namespace(), config.webhook().auth().secret());
                return unavailable("credentials cannot be checked now", RETRY_AFTER_SECONDS);
            }
            default -> {}
        }
        // The permits are taken before the body is read.
        int permits = permits(length, config.webhook().maxConcurrent());
        try {
            if (!inFlight.tryAcquire(permits, 2, TimeUnit.SECONDS)) {
                return unavailable("busy", RETRY_AFTER_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted", RETRY_AFTER_SECONDS);
        }
        boolean handedOff = false;
        try {
            WebhookNotification notification;
            long limit = config.webhook().maxBodySize().asLongValue();
            try {
                notification = PayloadParser.parse(
                        new BoundedBody(
                                body,
                                limit,
                                PayloadParser.STRING_BYTES,
                                config.webhook().bodyTimeout(),
                                clock),
                        PayloadParser.Limits.DEFAULT);
            } catch (BadPayload e) {
                return refused(Response.Status.BAD_REQUEST, "invalid notification", e.field(), e.reason());
            } catch (BoundedBody.TooLarge e) {
                return refused(
                        Response.Status.REQUEST_ENTITY_TOO_LARGE,
                        "notification too large",
                        "body",
                        "larger than " + limit + " bytes (firebreak.webhook.max-body-size); set max_alerts on the "
                                + "Alertmanager webhook_config");
            } catch (BoundedBody.TooSlow e) {
                return unavailable(
                        "the notification was not received within "
                                + config.webhook().bodyTimeout(),
                        RETRY_AFTER_SECONDS);
            } catch (IOException e) {
                return unavailable("could not read the request: " + e.getMessage(), RETRY_AFTER_SECONDS);
            }
            if (notification.empty()) {
                return Response.ok(Map.of(
                                "stored",
                                false,
                                "reason",
                                "the notification has no alerts: nothing to store, no incident opened"))
                        .build();
            }
            CompletableFuture<AlertmanagerIntake.Persisted> work;
            try {
                work = CompletableFuture.supplyAsync(() -> intake.persist(notification), executor);
            } catch (RuntimeException e) {
                return unavailable("busy", RETRY_AFTER_SECONDS);
            }
            // The permits are held until the work ends, even after a timeout answered 503.
            work.whenComplete((result, error) -> inFlight.release(permits));
            handedOff = true;
            return answer(notification, work);
        } finally {
            if (!handedOff) {
                inFlight.release(permits);
            }
        }
    }

    private Response answer(WebhookNotification notification, CompletableFuture<AlertmanagerIntake.Persisted> work) {
        try {
            AlertmanagerIntake.Persisted persisted =
                    work.get(config.webhook().persistTimeout().toMillis(), TimeUnit.MILLISECONDS);
            notification.alerts().forEach(a -> metrics.alertReceived(a.status()));
            if (persisted.opened()) {
                metrics.opened(SourceType.Alertmanager);
            }
            AlertsSummary s = persisted.summary();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("stored", true);
            body.put("incident", persisted.namespace() + "/" + persisted.name());
            body.put("opened", persisted.opened());
            body.put("alerts", s.storedFull + s.storedCompact);
            body.put("firing", s.firing);
            body.put("resolved", s.resolved);
            body.put("notStored", s.notStored);
            return Response.ok(body).build();
        } catch (TimeoutException e) {
            LOG.warnf(
                    "persisting the notification for group %s takes longer than %s",
                    notification.groupKey(), config.webhook().persistTimeout());
            return unavailable("the Kubernetes API is slow", RETRY_AFTER_SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AlertmanagerIntake.Refused refused) {
                LOG.errorf("refused the notification for group %s: %s", notification.groupKey(), refused.getMessage());
                return refused(422, "notification refused", refused.field(), refused.getMessage());
            }
            if (cause instanceof AlertmanagerIntake.Unavailable unavailable) {
                LOG.warnf(
                        "could not persist notification for group %s: %s",
                        notification.groupKey(), unavailable.getMessage());
                Duration wait = unavailable.retryAfter();
                return unavailable(
                        unavailable.getMessage(),
                        wait == null
                                ? RETRY_AFTER_SECONDS
                                : Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
            }
            // Not a failure any retry is known to fix: a bug. Said as such, never as "unavailable".
            LOG.errorf(cause, "failed to persist the notification for group %s", notification.groupKey());
            return Response.serverError()
                    .entity(Map.of("error", "internal error: " + cause))
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted", RETRY_AFTER_SECONDS);
        }
    }

    private static Response refused(Response.Status status, String error, String field, String reason) {
        return refused(status.getStatusCode(), error, field, reason);
    }

    private static Response refused(int status, String error, String field, String reason) {
        return Response.status(status)
                .entity(Map.of("error", error, "field", field, "reason", reason))
                .build();
    }

    private static Response unavailable(String why, String retryAfterSeconds) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .entity(Map.of("error", why, "retry", "Alertmanager retries 5xx answers"))
                .build();
    }
}
