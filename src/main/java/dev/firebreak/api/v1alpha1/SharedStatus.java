package dev.firebreak.api.v1alpha1;

/**
 * A status some of whose fields another writer owns (the Incident's alerts: the Alertmanager intake). The
 * reconciler's writes leave those fields out, so that it never overwrites the other writer's newer value, and are
 * guarded by a revision of its own instead of the object's resourceVersion, so that the other writer's writes never
 * make them conflict.
 */
public interface SharedStatus {
    /** Removes, in place, the fields the reconciler does not own. */
    void removeFieldsOwnedByOthers();

    /** How often the reconciler wrote its fields; null before its first write. */
    Long getRecordRevision();

    void setRecordRevision(Long revision);
}
