package dev.firebreak.kubeapi;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.function.Function;

/**
 * An index a component outside a controller needs on that controller's primary cache (the intake finds an alert
 * group's incidents by group): declared as a bean, added by {@link PrimaryCaches} when the controller registers its
 * cache, before the cache starts.
 */
public interface CacheIndex<T extends HasMetadata> {
    Class<T> type();

    String name();

    Function<T, List<String>> keys();
}
