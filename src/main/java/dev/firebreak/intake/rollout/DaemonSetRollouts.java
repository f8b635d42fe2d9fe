package dev.firebreak.intake.rollout;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** Opens an incident when a DaemonSet's rollout fails. Never writes the DaemonSet. */
@ControllerConfiguration(name = DaemonSetRollouts.NAME, generationAwareEventProcessing = false)
public class DaemonSetRollouts implements Reconciler<DaemonSet> {
    public static final String NAME = "daemonset-rollouts";
    private final RolloutDetector detector;

    public DaemonSetRollouts(RolloutDetector detector) {
        this.detector = detector;
    }

    @Override
    public UpdateControl<DaemonSet> reconcile(DaemonSet daemonSet, Context<DaemonSet> context) {
        return detector.check(daemonSet);
    }
}
