package dev.firebreak.intake;

import dev.firebreak.api.v1alpha1.spec.SourceType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * What the intake counts: firebreak_incidents_opened_total{source} (an incident opened by an alert group or a failing
 * rollout); firebreak_webhook_request_seconds (the Alertmanager webhook's latency, a histogram),
 * firebreak_webhook_requests_total{code}; firebreak_alerts_received_total{status}.
 */
@ApplicationScoped
public class IntakeMetrics {
    private final MeterRegistry registry;
    private final Timer latency;

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("firebreak.webhook.request")
                .description("Alertmanager webhook latency")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    public void opened(SourceType source) {
        Counter.builder("firebreak.incidents.opened")
                .description("Incidents opened, by source")
                .tag("source", source.name())
                .register(registry)
                .increment();
    }

    /** A webhook request is being answered; stop the sample with {@link #answered}. */
    public Timer.Sample received() {
        return Timer.start(registry);
    }

    public void answered(Timer.Sample sample, int code) {
        sample.stop(latency);
        Counter.builder("firebreak.webhook.requests")
                .description("Alertmanager webhook requests by response code")
                .tag("code", Integer.toString(code))
                .register(registry)
                .increment();
    }

    /** An alert of a notification that was stored, by its status (firing or resolved). */
    public void alertReceived(String status) {
        Counter.builder("firebreak.alerts.received")
                .description("Alerts received from Alertmanager, by status")
                .tag("status", status)
                .register(registry)
                .increment();
    }
}
