package dev.firebreak.references;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * A namespaced object's name as Firebreak writes it in status and configuration: {@code namespace/name}. The one place
 * that builds and parses that form.
 */
public record QualifiedName(String namespace, String name) {
    public static QualifiedName of(HasMetadata object) {
        return new QualifiedName(
                object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** {@code namespace/name}, or a bare {@code name} in {@code defaultNamespace}. */
    public static QualifiedName parse(String value, String defaultNamespace) {
        int slash = value.indexOf('/');
        return slash < 0
                ? new QualifiedName(defaultNamespace, value)
                : new QualifiedName(value.substring(0, slash), value.substring(slash + 1));
    }

    public ResourceID resourceId() {
        return new ResourceID(name, namespace);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
