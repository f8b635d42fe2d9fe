package dev.firebreak.intake.rollout;

import dev.firebreak.remediate.HealthyRevisions;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import dev.firebreak.kubeapi.LeanItemStore;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** Opens an incident when a StatefulSet's rollout fails, and records each revision that rolls out healthy. */
@ControllerConfiguration(name = StatefulSetRollouts.NAME, generationAwareEventProcessing = false,
        informer = @Informer(itemStore = LeanItemStore.class, informerListLimit = LeanItemStore.LIST_PAGE))
public class StatefulSetRollouts implements Reconciler<StatefulSet> {
    public static final String NAME = "statefulset-rollouts";
    private final RolloutDetector detector;
    private final HealthyRevisions healthy;

    public StatefulSetRollouts(RolloutDetector detector, HealthyRevisions healthy) {
        this.detector = detector;
        this.healthy = healthy;
    }

    @Override
    public UpdateControl<StatefulSet> reconcile(StatefulSet statefulSet, Context<StatefulSet> context) {
        healthy.observe(statefulSet);
        return detector.check(statefulSet);
    }
}
