package dev.firebreak.kubeapi;

import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * The metadata of an object a {@link ReferencedItemStore} keeps without the rest: what an informer and the operator
 * SDK need of it (identity and version), and by its type the mark that the rest is to be read from
 * {@link PrimaryCaches}.
 */
final class MetadataOnly extends ObjectMeta {
    MetadataOnly(ObjectMeta of) {
        setName(of.getName());
        setNamespace(of.getNamespace());
        setUid(of.getUid());
        setResourceVersion(of.getResourceVersion());
        setGeneration(of.getGeneration());
        setCreationTimestamp(of.getCreationTimestamp());
        setDeletionTimestamp(of.getDeletionTimestamp());
    }
}
