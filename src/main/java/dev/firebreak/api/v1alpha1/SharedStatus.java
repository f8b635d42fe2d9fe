package dev.firebreak.api.v1alpha1;

/**
 * A status some of whose fields another writer owns (the Incident's alerts: the Alertmanager intake). The
 * reconciler's server-side apply leaves those fields out, so that it never claims them and a stale copy of them can
 * never overwrite the other writer's newer value.
 */
public interface SharedStatus {
    /** Removes, in place, the fields the reconciler does not own. */
    void removeFieldsOwnedByOthers();
}
