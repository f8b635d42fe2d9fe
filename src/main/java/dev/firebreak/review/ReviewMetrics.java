package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.api.v1alpha1.spec.ReviewState;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * firebreak_reviews{state} and firebreak_review_action_items{state="open"|"overdue"}, counted over the reviews in the
 * reconciler's own cache at each scrape.
 */
@ApplicationScoped
public class ReviewMetrics {
    private final MeterRegistry registry;
    private final AtomicReference<IndexedResourceCache<PostIncidentReview>> cache = new AtomicReference<>();
    private final List<Meter> meters = new ArrayList<>();

    public ReviewMetrics(MeterRegistry registry) {
        this.registry = registry;
        register();
    }

    /** Counts from this cache (the reconciler's own) from now on. */
    void countFrom(IndexedResourceCache<PostIncidentReview> reviews) {
        cache.set(reviews);
    }

    private void register() {
        for (ReviewState state : ReviewState.values()) {
            meters.add(Gauge.builder("firebreak.reviews", () -> sum(r -> r.getSpec() != null && r.getSpec().state == state ? 1 : 0))
                    .description("Post-incident reviews by state").tag("state", state.name()).register(registry));
        }
        meters.add(Gauge.builder("firebreak.review.action.items", () -> sum(r -> r.getStatus() == null
                || r.getStatus().actionItems == null ? 0 : r.getStatus().actionItems.open))
                .description("Action items of post-incident reviews not done (overdue included)")
                .tag("state", "open").register(registry));
        meters.add(Gauge.builder("firebreak.review.action.items", () -> sum(r -> r.getStatus() == null
                || r.getStatus().actionItems == null ? 0 : r.getStatus().actionItems.overdue))
                .description("Action items of post-incident reviews not done after their due date")
                .tag("state", "overdue").register(registry));
    }

    /**
     * The registry can outlive the application (the test suite restarts it in-process, in a new class loader): a gauge
     * left there would keep reading this stopped controller's cache instead of being registered anew.
     */
    void stop(@Observes ShutdownEvent event) {
        meters.forEach(registry::remove);
    }

    private long sum(ToLongFunction<PostIncidentReview> f) {
        IndexedResourceCache<PostIncidentReview> reviews = cache.get();
        return reviews == null ? 0 : reviews.list().mapToLong(f).sum();
    }
}
