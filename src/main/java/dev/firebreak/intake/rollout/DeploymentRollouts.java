package dev.firebreak.intake.rollout;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** Opens an incident when a Deployment's rollout fails. Never writes the Deployment. */
@ControllerConfiguration(name = DeploymentRollouts.NAME, generationAwareEventProcessing = false)
public class DeploymentRollouts implements Reconciler<Deployment> {
    public static final String NAME = "deployment-rollouts";
    private final RolloutDetector detector;

    public DeploymentRollouts(RolloutDetector detector) {
        this.detector = detector;
    }

    @Override
    public UpdateControl<Deployment> reconcile(Deployment deployment, Context<Deployment> context) {
        return detector.check(deployment);
    }
}
