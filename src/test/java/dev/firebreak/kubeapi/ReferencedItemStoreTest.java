package dev.firebreak.kubeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A second informer on another controller's primaries keeps whole only what is referenced, and reads the rest back. */
class ReferencedItemStoreTest {
    private final Set<String> referenced = new HashSet<>();
    private final ReferencedItemStore<Deployment> store =
            new ReferencedItemStore<>(d -> referenced.contains(d.getMetadata().getName()));

    @Test
    void aReferencedObjectIsKeptWholeWithoutManagedFields() {
        referenced.add("api");
        Deployment api = deployment("api", "7");
        store.put(Cache.metaNamespaceKeyFunc(api), api);

        Deployment kept = store.get("shop/api");
        assertThat(kept).isSameAs(api);
        assertThat(kept.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        assertThat(kept.getMetadata()).isNotInstanceOf(MetadataOnly.class);
        assertThat(kept.getMetadata().getManagedFields()).isNull();
    }

    @Test
    void anyOtherIsKeptAsItsMetadataAndTheObjectTheInformerHandsOnIsLeftWhole() {
        Deployment web = deployment("web", "12");
        store.put(Cache.metaNamespaceKeyFunc(web), web);

        Deployment kept = store.get("shop/web");
        assertThat(kept).isNotSameAs(web).isInstanceOf(Deployment.class);
        assertThat(kept.getSpec()).isNull();
        assertThat(kept.getStatus()).isNull();
        assertThat(kept.getMetadata()).isInstanceOf(MetadataOnly.class);
        assertThat(kept.getMetadata().getName()).isEqualTo("web");
        assertThat(kept.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(kept.getMetadata().getUid()).isEqualTo("uid-web");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("12");
        assertThat(kept.getMetadata().getGeneration()).isEqualTo(3L);
        assertThat(kept.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(kept.getMetadata().getAnnotations()).isNullOrEmpty();
        // the event handlers get the object itself: nothing of it is taken away
        assertThat(web.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        assertThat(web.getMetadata().getLabels()).containsEntry("app", "web");
    }

    @Test
    void anObjectReferencedLaterIsKeptWholeFromItsNextChange() {
        store.put("shop/web", deployment("web", "12"));
        referenced.add("web");
        assertThat(store.get("shop/web").getMetadata()).isInstanceOf(MetadataOnly.class);

        store.put("shop/web", deployment("web", "13"));
        assertThat(store.get("shop/web").getSpec()).isNotNull();
        assertThat(store.get("shop/web").getMetadata().getResourceVersion()).isEqualTo("13");
    }

    @Test
    void theRestIsReadFromTheOwningControllersCacheAndAWholeObjectIsItself() {
        PrimaryCaches caches = new PrimaryCaches(List.of());
        Deployment whole = deployment("web", "12");
        caches.register(Deployment.class, cacheOf(List.of(whole)));
        Deployment slim = ReferencedItemStore.metadataOnly(whole);

        assertThat(caches.whole(slim)).containsSame(whole);
        assertThat(caches.whole(whole)).containsSame(whole);
        assertThat(caches.whole(ReferencedItemStore.metadataOnly(deployment("gone", "3"))))
                .isEmpty();
    }

    @Test
    void aKindNoControllerCachesIsABugSaidSoNotAnAbsentObject() {
        PrimaryCaches caches = new PrimaryCaches(List.of());
        caches.register(Deployment.class, cacheOf(List.of()));
        StatefulSet slim = ReferencedItemStore.metadataOnly(new StatefulSetBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace("shop")
                .endMetadata()
                .build());

        assertThatThrownBy(() -> caches.whole(slim))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("StatefulSet");
    }

    private static Deployment deployment(String name, String resourceVersion) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("shop")
                .withUid("uid-" + name)
                .withResourceVersion(resourceVersion)
                .withGeneration(3L)
                .withLabels(Map.of("app", name))
                .withAnnotations(Map.of("deployment.kubernetes.io/revision", "4"))
                .withManagedFields(new ManagedFieldsEntry())
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName(name)
                .withImage("app:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withReplicas(1)
                .endStatus()
                .build();
    }

    private static IndexerResourceCache<Deployment> cacheOf(List<Deployment> items) {
        return new IndexerResourceCache<>() {
            @Override
            public void addIndexers(Map<String, Function<Deployment, List<String>>> indexers) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Deployment> byIndex(String index, String key) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<Deployment> get(ResourceID id) {
                return items.stream()
                        .filter(d -> ResourceID.fromResource(d).equals(id))
                        .findFirst();
            }

            @Override
            public Stream<ResourceID> keys() {
                return items.stream().map(ResourceID::fromResource);
            }

            @Override
            public Stream<Deployment> list(Predicate<Deployment> which) {
                return items.stream().filter(which);
            }

            @Override
            public Stream<Deployment> list(String namespace, Predicate<Deployment> which) {
                return list(which).filter(d -> namespace.equals(d.getMetadata().getNamespace()));
            }
        };
    }
}
