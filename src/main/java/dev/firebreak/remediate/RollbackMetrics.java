package dev.firebreak.remediate;

import dev.firebreak.api.v1alpha1.status.RollbackState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * firebreak_rollbacks_total{state}: rollback decisions and results; firebreak_rollback_detection_to_patch_seconds:
 * from an incident's detection to its rollback patch being accepted (a histogram).
 */
@ApplicationScoped
public class RollbackMetrics {
    private final MeterRegistry registry;
    private final Timer detectionToPatch;

    public RollbackMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.detectionToPatch = Timer.builder("firebreak.rollback.detection.to.patch")
                .description("Time from an incident's detection to its rollback patch being accepted")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void recorded(RollbackState state) {
        Counter.builder("firebreak.rollbacks")
                .description("Rollback decisions and results, by state")
                .tag("state", state.name())
                .register(registry)
                .increment();
    }

    public void patched(Duration sinceDetection) {
        detectionToPatch.record(sinceDetection);
    }
}
