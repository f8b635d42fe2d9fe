package dev.firebreak.kubeapi;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.InvocationTargetException;
import java.util.function.Predicate;

/**
 * The item store of an informer on objects another controller already caches whole (see {@link PrimaryCaches}): an
 * object some primary references is kept whole, as {@link LeanItemStore} keeps it, so that the reconcile its change
 * triggers reads that very version; any other is kept as its metadata only. Whether an object is referenced is asked
 * when it arrives; one referenced only later is read from the other controller's cache until it next changes.
 */
public class ReferencedItemStore<T extends HasMetadata> extends LeanItemStore<T> {
    private final Predicate<T> referenced;

    public ReferencedItemStore(Predicate<T> referenced) {
        this.referenced = referenced;
    }

    @Override
    public T put(String key, T object) {
        return object.getMetadata() == null || referenced.test(object)
                ? super.put(key, object)
                : super.put(key, metadataOnly(object));
    }

    static <T extends HasMetadata> T metadataOnly(T object) {
        try {
            @SuppressWarnings("unchecked")
            T copy = (T) object.getClass().getDeclaredConstructor().newInstance();
            copy.setMetadata(new MetadataOnly(object.getMetadata()));
            return copy;
        } catch (InstantiationException
                | IllegalAccessException
                | NoSuchMethodException
                | InvocationTargetException e) {
            throw new IllegalStateException(object.getClass() + " has no public no-argument constructor", e);
        }
    }
}
