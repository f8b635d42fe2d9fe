package dev.firebreak.intake.rollout;

import dev.firebreak.kubeapi.LeanItemStore;
import dev.firebreak.kubeapi.PrimaryCaches;
import dev.firebreak.workload.HealthyRevisions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/**
 * Opens an incident when a Deployment's rollout fails, and records each revision that rolls out healthy (the
 * rollback target). Never writes the Deployment.
 */
@ControllerConfiguration(
        name = DeploymentRollouts.NAME,
        generationAwareEventProcessing = false,
        informer = @Informer(itemStore = LeanItemStore.class, informerListLimit = LeanItemStore.LIST_PAGE))
public class DeploymentRollouts implements Reconciler<Deployment> {
    public static final String NAME = "deployment-rollouts";
    private final RolloutDetector detector;
    private final HealthyRevisions healthy;
    private final PrimaryCaches caches;

    public DeploymentRollouts(RolloutDetector detector, HealthyRevisions healthy, PrimaryCaches caches) {
        this.detector = detector;
        this.healthy = healthy;
        this.caches = caches;
    }

    /** No event sources of its own; its cache is the one the incidents' rollbacks read (PrimaryCaches). */
    @Override
    public List<EventSource<?, Deployment>> prepareEventSources(EventSourceContext<Deployment> context) {
        caches.register(Deployment.class, context.getPrimaryCache());
        return List.of();
    }

    @Override
    public UpdateControl<Deployment> reconcile(Deployment deployment, Context<Deployment> context) {
        healthy.recordHealthy(deployment);
        return detector.check(deployment);
    }
}
