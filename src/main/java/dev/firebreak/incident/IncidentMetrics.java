package dev.firebreak.incident;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.metrics.OwnedGauges;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * firebreak_incidents_open{severity,phase}: open incidents, counted from the operator's cache at each scrape;
 * firebreak_incident_phase_transitions_total{from,to}; firebreak_incident_time_to_acknowledge_seconds and
 * firebreak_incident_time_to_resolve_seconds, histograms by severity.
 */
@ApplicationScoped
public class IncidentMetrics {
    private final MeterRegistry registry;
    private final AtomicReference<IndexerResourceCache<Incident>> cache = new AtomicReference<>();
    private final OwnedGauges gauges;

    public IncidentMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.gauges = new OwnedGauges(registry);
    }

    /** Counts open incidents from this cache (the controller's own) from now on. */
    void countFrom(IndexerResourceCache<Incident> incidents) {
        if (cache.getAndSet(incidents) != null) {
            return;
        }
        for (Severity severity : Severity.values()) {
            for (Phase phase : Phase.values()) {
                if (phase == Phase.Resolved) {
                    continue;
                }
                gauges.add(
                        "firebreak.incidents.open",
                        "Incidents not resolved, by severity and phase",
                        () -> count(severity, phase),
                        "severity",
                        severity.name(),
                        "phase",
                        phase.name());
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        gauges.removeAll();
    }

    private long count(Severity severity, Phase phase) {
        IndexerResourceCache<Incident> incidents = cache.get();
        return incidents == null
                ? 0
                : incidents
                        .list()
                        .filter(i -> i.getStatus() != null
                                && i.getStatus().severity == severity
                                && i.getStatus().phase == phase)
                        .count();
    }

    void record(IncidentRecord.Outcome outcome) {
        Severity severity = outcome.next().severity;
        if (outcome.from().map(from -> from != outcome.to()).orElse(true)) {
            Counter.builder("firebreak.incident.phase.transitions")
                    .description("Incident phase transitions")
                    .tag("from", outcome.from().map(Phase::name).orElse("New"))
                    .tag("to", outcome.to().name())
                    .register(registry)
                    .increment();
        }
        outcome.acknowledgedAfter()
                .ifPresent(d -> timer(
                                "firebreak.incident.time.to.acknowledge",
                                "Time from detection to the first acknowledgement",
                                severity)
                        .record(d));
        outcome.resolvedAfter()
                .ifPresent(
                        d -> timer("firebreak.incident.time.to.resolve", "Time from detection to resolution", severity)
                                .record(d));
    }

    private Timer timer(String name, String description, Severity severity) {
        return Timer.builder(name)
                .description(description)
                .tag("severity", String.valueOf(severity))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1))
                .maximumExpectedValue(Duration.ofDays(7))
                .register(registry);
    }
}
