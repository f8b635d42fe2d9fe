package dev.firebreak.kubeapi;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The controllers' primary caches by kind, so that each kind is cached whole once. A controller that follows
 * references to another controller's primaries (an incident naming its Deployments, a review naming its incident)
 * keeps whole only the objects some primary names, the rest as their metadata (see {@link ReferencedItemStore}), and
 * {@link #whole} reads those from here; the intake finds a group's incidents here through an index it declares
 * ({@link CacheIndex}) instead of running an informer of its own. At 5,000 incidents and 10,000 Deployments the
 * second and third copies were more than half of the heap (footprint benchmark, issue #15).
 * <p>
 * Each controller registers its cache while its event sources are prepared, before any controller starts.
 */
@ApplicationScoped
public class PrimaryCaches {
    private final Map<Class<?>, IndexerResourceCache<?>> caches = new ConcurrentHashMap<>();
    private final List<CacheIndex<?>> indexes;

    public PrimaryCaches(@All List<CacheIndex<?>> indexes) {
        this.indexes = List.copyOf(indexes);
    }

    public <T extends HasMetadata> void register(Class<T> type, IndexerResourceCache<T> cache) {
        for (CacheIndex<?> index : indexes) {
            if (index.type() == type) {
                @SuppressWarnings("unchecked")
                CacheIndex<T> typed = (CacheIndex<T>) index;
                cache.addIndexer(typed.name(), typed.keys());
            }
        }
        caches.put(type, cache);
    }

    /**
     * The whole object for one read from a {@link ReferencedItemStore}: itself when whole, else the owning
     * controller's cached copy (empty when that cache no longer has it).
     */
    public <T extends HasMetadata> Optional<T> whole(T found) {
        if (!(found.getMetadata() instanceof MetadataOnly)) {
            return Optional.of(found);
        }
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) found.getClass();
        return cache(type)
                .orElseThrow(
                        () -> new IllegalStateException("no controller registered its cache of " + type.getSimpleName()
                                + ": the informer that keeps only its metadata has nowhere to read the rest from"))
                .get(ResourceID.fromResource(found));
    }

    /**
     * The objects under one key of a declared index, once the cache holding them has listed everything it watches;
     * empty before that (or when no controller caches the kind), so that the caller reads the API server instead.
     */
    public <T extends HasMetadata> Optional<List<T>> byIndex(Class<T> type, String index, String key) {
        return cache(type).filter(PrimaryCaches::synced).map(c -> c.byIndex(index, key));
    }

    /**
     * One object from its controller's cache once that cache has listed everything; before that (or when no
     * controller caches the kind) what {@code read} gets from the API server. Empty when it does not exist.
     */
    public <T extends HasMetadata> Optional<T> get(Class<T> type, ResourceID id, Supplier<T> read) {
        Optional<IndexerResourceCache<T>> cache = cache(type).filter(PrimaryCaches::synced);
        if (cache.isPresent()) {
            return cache.get().get(id);
        }
        return Optional.ofNullable(read.get());
    }

    private <T extends HasMetadata> Optional<IndexerResourceCache<T>> cache(Class<T> type) {
        @SuppressWarnings("unchecked")
        IndexerResourceCache<T> cache = (IndexerResourceCache<T>) caches.get(type);
        return Optional.ofNullable(cache);
    }

    private static boolean synced(IndexerResourceCache<?> cache) {
        return cache instanceof InformerWrappingEventSourceHealthIndicator<?> informers
                && !informers.informerHealthIndicators().isEmpty()
                && informers.informerHealthIndicators().values().stream().allMatch(InformerHealthIndicator::hasSynced);
    }
}
