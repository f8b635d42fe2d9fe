package dev.firebreak.incident;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.status.OwnWrites;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Drops the update events of the incident reconciler's own status writes: the reconcile that wrote one already
 * decided from it, and scheduled itself any follow-up it needs. An update is dropped only when its resourceVersion is
 * one this process wrote (OwnWrites) and it changes nothing else the reconciler decides from: the spec (the
 * generation), the metadata (labels, annotations, deletion, finalizers) and the intake's alerts (their revision).
 * Anyone else's write, a human's edit of the status included, is reconciled. Under a storm of alert writes an
 * incident is so reconciled once per alert write, not twice.
 */
public class OwnWritesFilter implements OnUpdateFilter<Incident> {
    @Override
    public boolean accept(Incident updated, Incident previous) {
        return !(OwnWrites.isOwn(updated) && sameInputs(previous, updated));
    }

    static boolean sameInputs(Incident a, Incident b) {
        ObjectMeta m = a.getMetadata();
        ObjectMeta n = b.getMetadata();
        return Objects.equals(m.getGeneration(), n.getGeneration())
                && Objects.equals(m.getLabels(), n.getLabels())
                && Objects.equals(m.getAnnotations(), n.getAnnotations())
                && Objects.equals(m.getDeletionTimestamp(), n.getDeletionTimestamp())
                && Objects.equals(m.getFinalizers(), n.getFinalizers())
                && Objects.equals(alertsRevision(a.getStatus()), alertsRevision(b.getStatus()));
    }

    private static Long alertsRevision(IncidentStatus status) {
        return status == null ? null : status.alertsRevision;
    }
}
