package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.api.v1alpha1.spec.ReviewState;
import dev.firebreak.metrics.OwnedGauges;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * firebreak_reviews{state} and firebreak_review_action_items{state="open"|"overdue"}, counted over the reviews in the
 * reconciler's own cache at each scrape.
 */
@ApplicationScoped
public class ReviewMetrics {
    private final AtomicReference<IndexedResourceCache<PostIncidentReview>> cache = new AtomicReference<>();
    private final OwnedGauges gauges;

    public ReviewMetrics(MeterRegistry registry) {
        this.gauges = new OwnedGauges(registry);
        for (ReviewState state : ReviewState.values()) {
            gauges.add(
                    "firebreak.reviews",
                    "Post-incident reviews by state",
                    () -> sum(r -> r.getSpec() != null && r.getSpec().state == state ? 1 : 0),
                    "state",
                    state.name());
        }
        gauges.add(
                "firebreak.review.action.items",
                "Action items of post-incident reviews not done (overdue included)",
                () -> sum(r -> r.getStatus() == null || r.getStatus().actionItems == null
                        ? 0
                        : r.getStatus().actionItems.open),
                "state",
                "open");
        gauges.add(
                "firebreak.review.action.items",
                "Action items of post-incident reviews not done after their due date",
                () -> sum(r -> r.getStatus() == null || r.getStatus().actionItems == null
                        ? 0
                        : r.getStatus().actionItems.overdue),
                "state",
                "overdue");
    }

    /** Counts from this cache (the reconciler's own) from now on. */
    void countFrom(IndexedResourceCache<PostIncidentReview> reviews) {
        cache.set(reviews);
    }

    void stop(@Observes ShutdownEvent event) {
        gauges.removeAll();
    }

    private long sum(ToLongFunction<PostIncidentReview> f) {
        IndexedResourceCache<PostIncidentReview> reviews = cache.get();
        return reviews == null ? 0 : reviews.list().mapToLong(f).sum();
    }
}
