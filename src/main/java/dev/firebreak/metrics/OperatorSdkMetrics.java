package dev.firebreak.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The operator SDK's metrics per controller, not per resource. The extension's default tags every meter with each
 * resource's name and namespace: with 500 open incidents /q/metrics held 118,000 operator_sdk samples (30.8 MiB,
 * 3.3 s to answer), growing with every incident ever reconciled, in memory and in Prometheus. Firebreak's own
 * firebreak_* metrics say what an SRE asks per incident.
 */
@Singleton
public class OperatorSdkMetrics {
    @Produces
    @Singleton
    Metrics metrics(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
