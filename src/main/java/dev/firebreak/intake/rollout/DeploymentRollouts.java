package dev.firebreak.intake.rollout;

import dev.firebreak.remediate.HealthyRevisions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import dev.firebreak.kubeapi.LeanItemStore;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * Opens an incident when a Deployment's rollout fails, and records each revision that rolls out healthy (the
 * rollback target). Never writes the Deployment.
 */
@ControllerConfiguration(name = DeploymentRollouts.NAME, generationAwareEventProcessing = false,
        informer = @Informer(itemStore = LeanItemStore.class, informerListLimit = LeanItemStore.LIST_PAGE))
public class DeploymentRollouts implements Reconciler<Deployment> {
    public static final String NAME = "deployment-rollouts";
    private final RolloutDetector detector;
    private final HealthyRevisions healthy;

    public DeploymentRollouts(RolloutDetector detector, HealthyRevisions healthy) {
        this.detector = detector;
        this.healthy = healthy;
    }

    @Override
    public UpdateControl<Deployment> reconcile(Deployment deployment, Context<Deployment> context) {
        healthy.observe(deployment);
        return detector.check(deployment);
    }
}
