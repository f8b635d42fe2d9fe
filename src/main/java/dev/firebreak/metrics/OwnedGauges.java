package dev.firebreak.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Gauges one metrics bean registers and removes again when the application stops. The registry can outlive the
 * application (the test suite restarts it in-process, in a new class loader); a gauge left there would keep reading
 * the stopped controller's cache, since registering the same name and tags again returns the old gauge.
 */
public final class OwnedGauges {
    private final MeterRegistry registry;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    public OwnedGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers a gauge; {@code tags} are key, value pairs. */
    public void add(String name, String description, Supplier<Number> value, String... tags) {
        meters.add(
                Gauge.builder(name, value).description(description).tags(tags).register(registry));
    }

    /** Removes every gauge added here. */
    public void removeAll() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
