package dev.firebreak.intake.rollout;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** Opens an incident when a StatefulSet's rollout fails. Never writes the StatefulSet. */
@ControllerConfiguration(name = StatefulSetRollouts.NAME, generationAwareEventProcessing = false)
public class StatefulSetRollouts implements Reconciler<StatefulSet> {
    public static final String NAME = "statefulset-rollouts";
    private final RolloutDetector detector;

    public StatefulSetRollouts(RolloutDetector detector) {
        this.detector = detector;
    }

    @Override
    public UpdateControl<StatefulSet> reconcile(StatefulSet statefulSet, Context<StatefulSet> context) {
        return detector.check(statefulSet);
    }
}
