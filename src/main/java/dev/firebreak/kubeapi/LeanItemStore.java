package dev.firebreak.kubeapi;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The item store of every informer Firebreak runs: objects as the API server sends them, without
 * metadata.managedFields, which Firebreak never reads (it writes with JSON Patch, not server-side apply) and which
 * is often the largest part of an object's metadata (one entry per manager and subresource, each listing every field
 * it set). Nothing else is dropped: a cached object is also what patches are computed from (a rollback replaces the
 * annotations whole, last-applied-configuration included).
 */
public class LeanItemStore<T extends HasMetadata> extends BasicItemStore<T> {
    /**
     * The page size of every informer's LIST (client-go's reflector uses the same): a cluster of 10,000 Deployments
     * is twenty pages of 500, never one answer of tens of megabytes deserialized at once (which ran a 256 MiB heap
     * out of memory at start-up).
     */
    public static final long LIST_PAGE = 500;

    public LeanItemStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public T put(String key, T object) {
        if (object.getMetadata() != null) {
            object.getMetadata().setManagedFields(null);
        }
        return super.put(key, object);
    }
}
