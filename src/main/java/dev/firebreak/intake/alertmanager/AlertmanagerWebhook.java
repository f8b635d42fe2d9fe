package dev.firebreak.intake.alertmanager;

import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.incident.IncidentMetrics;
import dev.firebreak.intake.WebhookAuth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.context.ManagedExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * POST /api/v1/alerts/alertmanager. Alertmanager retries only on 5xx and network errors and drops a notification on
 * every 4xx, 429 included. So: 2xx only once the alerts are on their incident; 503 with Retry-After when the API
 * server cannot be reached or Firebreak is busy; 400 (with the field and the reason), 401 and 413 only when a retry
 * can never succeed; never 429.
 */
@Path("/api/v1/alerts/alertmanager")
public class AlertmanagerWebhook {
    private static final Logger LOG = Logger.getLogger(AlertmanagerWebhook.class);
    static final String RETRY_AFTER_SECONDS = "5";

    private final WebhookAuth auth;
    private final AlertmanagerIntake intake;
    private final FirebreakConfig config;
    private final MeterRegistry registry;
    private final Semaphore inFlight;
    private final ManagedExecutor executor;
    private final Timer latency;
    private final IncidentMetrics incidentMetrics;

    public AlertmanagerWebhook(WebhookAuth auth, AlertmanagerIntake intake, FirebreakConfig config,
            MeterRegistry registry, ManagedExecutor executor, IncidentMetrics incidentMetrics) {
        this.incidentMetrics = incidentMetrics;
        this.executor = executor;
        this.auth = auth;
        this.intake = intake;
        this.config = config;
        this.registry = registry;
        this.inFlight = new Semaphore(config.webhook().maxConcurrent());
        this.latency = Timer.builder("firebreak.webhook.request").description("Alertmanager webhook latency")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, InputStream body) {
        Timer.Sample sample = Timer.start(registry);
        Response response = handle(authorization, body);
        sample.stop(latency);
        Counter.builder("firebreak.webhook.requests").description("Alertmanager webhook requests by response code")
                .tag("code", Integer.toString(response.getStatus())).register(registry).increment();
        return response;
    }

    private Response handle(String authorization, InputStream body) {
        switch (auth.check(authorization)) {
            case REFUSED -> {
                return Response.status(Response.Status.UNAUTHORIZED)
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"firebreak\"")
                        .entity(Map.of("error", "missing or wrong credentials")).build();
            }
            case UNAVAILABLE -> {
                LOG.errorf("cannot check webhook credentials: Secret %s/%s not found", config.namespace(),
                        config.webhook().auth().secret());
                return unavailable("credentials cannot be checked now");
            }
            default -> {
            }
        }
        byte[] bytes;
        long limit = config.webhook().maxBodySize().asLongValue();
        try {
            bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, limit + 1));
        } catch (IOException e) {
            return unavailable("could not read the request");
        }
        if (bytes.length > limit) {
            return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE)
                    .entity(Map.of("error", "notification larger than " + limit + " bytes; set max_alerts on the "
                            + "Alertmanager webhook_config")).build();
        }
        WebhookNotification notification;
        try {
            notification = PayloadParser.parse(bytes);
        } catch (BadPayload e) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Map.of("error", "invalid notification", "field", e.field(), "reason", e.reason())).build();
        }
        try {
            if (!inFlight.tryAcquire(2, TimeUnit.SECONDS)) {
                return unavailable("busy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted");
        }
        CompletableFuture<AlertmanagerIntake.Persisted> work;
        try {
            work = CompletableFuture.supplyAsync(() -> intake.persist(notification), executor);
        } catch (RuntimeException e) {
            inFlight.release();
            return unavailable("busy");
        }
        // The permit is held until the work ends, even after a timeout answered 503.
        work.whenComplete((result, error) -> inFlight.release());
        try {
            AlertmanagerIntake.Persisted persisted = work.get(config.webhook().persistTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            notification.alerts().forEach(a -> Counter.builder("firebreak.alerts.received")
                    .description("Alerts received from Alertmanager, by status").tag("status", a.status())
                    .register(registry).increment());
            if (persisted.opened()) {
                incidentMetrics.opened(SourceType.Alertmanager);
            }
            return Response.ok(Map.of("incident", persisted.namespace() + "/" + persisted.name(), "alerts",
                    persisted.alerts(), "opened", persisted.opened())).build();
        } catch (TimeoutException e) {
            LOG.warnf("persisting the notification for group %s takes longer than %s", notification.groupKey(),
                    config.webhook().persistTimeout());
            return unavailable("the Kubernetes API is slow");
        } catch (ExecutionException e) {
            LOG.warnf("could not persist notification for group %s: %s", notification.groupKey(),
                    e.getCause().getMessage());
            return unavailable("the Kubernetes API is not available");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted");
        }
    }

    private static Response unavailable(String why) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .entity(Map.of("error", why, "retry", "Alertmanager retries 5xx answers")).build();
    }
}
