package dev.firebreak.intake.rollout;

import dev.firebreak.kubeapi.LeanItemStore;
import dev.firebreak.kubeapi.PrimaryCaches;
import dev.firebreak.workload.HealthyRevisions;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/** Opens an incident when a DaemonSet's rollout fails, and records each revision that rolls out healthy. */
@ControllerConfiguration(
        name = DaemonSetRollouts.NAME,
        generationAwareEventProcessing = false,
        informer = @Informer(itemStore = LeanItemStore.class, informerListLimit = LeanItemStore.LIST_PAGE))
public class DaemonSetRollouts implements Reconciler<DaemonSet> {
    public static final String NAME = "daemonset-rollouts";
    private final RolloutDetector detector;
    private final HealthyRevisions healthy;
    private final PrimaryCaches caches;

    public DaemonSetRollouts(RolloutDetector detector, HealthyRevisions healthy, PrimaryCaches caches) {
        this.detector = detector;
        this.healthy = healthy;
        this.caches = caches;
    }

    /** No event sources of its own; its cache is the one the incidents' rollbacks read (PrimaryCaches). */
    @Override
    public List<EventSource<?, DaemonSet>> prepareEventSources(EventSourceContext<DaemonSet> context) {
        caches.register(DaemonSet.class, context.getPrimaryCache());
        return List.of();
    }

    @Override
    public UpdateControl<DaemonSet> reconcile(DaemonSet daemonSet, Context<DaemonSet> context) {
        healthy.recordHealthy(daemonSet);
        return detector.check(daemonSet);
    }
}
