package dev.firebreak.escalation;

import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.EscalationPolicyStatus;
import dev.firebreak.api.v1alpha1.OnCallSchedule;
import dev.firebreak.kubeapi.LeanItemStore;
import dev.firebreak.kubeapi.PrimaryCaches;
import dev.firebreak.references.NameReferences;
import dev.firebreak.secrets.SecretReader;
import dev.firebreak.status.ReadyStatus;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.validation.Problem;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

@ControllerConfiguration(
        name = EscalationPolicyReconciler.NAME,
        fieldManager = StatusUpdate.FIELD_MANAGER,
        informer = @Informer(itemStore = LeanItemStore.class, informerListLimit = LeanItemStore.LIST_PAGE))
public class EscalationPolicyReconciler implements Reconciler<EscalationPolicy> {
    public static final String NAME = "escalationpolicy";
    static final String SCHEDULES = "oncallschedules";
    /** Secrets are not watched: a policy that refers to any is re-checked on this period. */
    static final Duration SECRET_RECHECK_INVALID = Duration.ofMinutes(1);

    static final Duration SECRET_RECHECK_VALID = Duration.ofMinutes(10);

    private final SecretReader secrets;
    private final PrimaryCaches caches;
    private final ReadyStatus status;

    public EscalationPolicyReconciler(SecretReader secrets, ReadyStatus status, PrimaryCaches caches) {
        this.secrets = secrets;
        this.caches = caches;
        this.status = status;
    }

    @Override
    public List<EventSource<?, EscalationPolicy>> prepareEventSources(EventSourceContext<EscalationPolicy> context) {
        caches.register(EscalationPolicy.class, context.getPrimaryCache());
        return List.of(NameReferences.informer(
                context,
                OnCallSchedule.class,
                SCHEDULES,
                policy -> EscalationPolicyValidator.scheduleNames(policy.getSpec())));
    }

    @Override
    public UpdateControl<EscalationPolicy> reconcile(EscalationPolicy policy, Context<EscalationPolicy> context) {
        String namespace = policy.getMetadata().getNamespace();
        Set<String> schedules = context.getSecondaryResources(OnCallSchedule.class).stream()
                .map(s -> s.getMetadata().getName())
                .collect(Collectors.toSet());

        List<Problem> problems = EscalationPolicyValidator.validate(
                policy.getSpec(), schedules::contains, name -> secrets.keys(namespace, name));

        EscalationPolicyStatus next = StatusUpdate.copy(policy.getStatus(), EscalationPolicyStatus::new);
        UpdateControl<EscalationPolicy> control =
                status.write(policy, context, next, problems, "all referenced schedules and Secrets exist");
        if (EscalationPolicyValidator.refersToSecrets(policy.getSpec())) {
            control.rescheduleAfter(problems.isEmpty() ? SECRET_RECHECK_VALID : SECRET_RECHECK_INVALID);
        }
        return control;
    }

    @Override
    public ErrorStatusUpdateControl<EscalationPolicy> updateErrorStatus(
            EscalationPolicy policy, Context<EscalationPolicy> context, Exception e) {
        return status.failed(policy, context, e, EscalationPolicyStatus::new);
    }
}
