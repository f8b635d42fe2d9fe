package dev.firebreak.references;

import dev.firebreak.kubeapi.LeanItemStore;
import dev.firebreak.kubeapi.PrimaryCaches;
import dev.firebreak.kubeapi.ReferencedItemStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one way Firebreak follows a by-name reference from a primary to a secondary in the same namespace (a policy
 * naming a schedule, an incident naming a policy, a review naming an incident): an informer on the secondary with
 * explicit mappers both ways, backed by an index on the primary cache, so that creating, changing or deleting the
 * secondary reconciles exactly the primaries that name it.
 */
public final class NameReferences {
    private NameReferences() {}

    /** What the secondary informer keeps of each object. */
    public enum Keep {
        /** Every object whole. */
        ALL,
        /**
         * Whole only those a primary names, the rest as metadata: for secondaries that another controller caches
         * whole as its primaries; read them through {@link PrimaryCaches#whole}.
         */
        REFERENCED
    }

    public static <P extends HasMetadata, S extends HasMetadata> InformerEventSource<S, P> informer(
            EventSourceContext<P> context, Class<S> secondary, String name, Function<P, Set<String>> referencedNames) {
        return informer(context, secondary, name, referencedNames, Keep.ALL);
    }

    public static <P extends HasMetadata, S extends HasMetadata> InformerEventSource<S, P> informer(
            EventSourceContext<P> context,
            Class<S> secondary,
            String name,
            Function<P, Set<String>> referencedNames,
            Keep keep) {
        String index = context.getPrimaryResourceClass().getSimpleName() + "->" + secondary.getSimpleName();
        context.getPrimaryCache()
                .addIndexer(
                        index,
                        primary -> referencedNames.apply(primary).stream()
                                .map(n -> key(primary.getMetadata().getNamespace(), n))
                                .toList());
        LeanItemStore<S> store = keep == Keep.ALL
                ? new LeanItemStore<>()
                : new ReferencedItemStore<>(s -> !context.getPrimaryCache()
                        .byIndex(
                                index,
                                key(
                                        s.getMetadata().getNamespace(),
                                        s.getMetadata().getName()))
                        .isEmpty());
        InformerEventSourceConfiguration<S> configuration = InformerEventSourceConfiguration.from(
                        secondary, context.getPrimaryResourceClass())
                .withName(name)
                .withItemStore(store)
                .withInformerListLimit(LeanItemStore.LIST_PAGE)
                .withSecondaryToPrimaryMapper(s -> context
                        .getPrimaryCache()
                        .byIndex(
                                index,
                                key(
                                        s.getMetadata().getNamespace(),
                                        s.getMetadata().getName()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((P primary) -> referencedNames.apply(primary).stream()
                        .map(n -> new ResourceID(n, primary.getMetadata().getNamespace()))
                        .collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    private static String key(String namespace, String name) {
        return new QualifiedName(namespace, name).toString();
    }
}
