package dev.firebreak.incident;

import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.references.NameReferences;
import dev.firebreak.status.ReadyStatus;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.validation.Problem;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

@ControllerConfiguration(name = IncidentReconciler.NAME, fieldManager = StatusUpdate.FIELD_MANAGER)
public class IncidentReconciler implements Reconciler<Incident> {
    public static final String NAME = "incident";
    static final String POLICIES = "escalationpolicies";

    private final ReadyStatus status;

    public IncidentReconciler(ReadyStatus status) {
        this.status = status;
    }

    @Override
    public List<EventSource<?, Incident>> prepareEventSources(EventSourceContext<Incident> context) {
        return List.of(NameReferences.informer(context, EscalationPolicy.class, POLICIES,
                incident -> IncidentValidator.policyNames(incident.getSpec())));
    }

    @Override
    public UpdateControl<Incident> reconcile(Incident incident, Context<Incident> context) {
        Set<String> policies = context.getSecondaryResources(EscalationPolicy.class).stream()
                .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        List<Problem> problems = IncidentValidator.validate(incident.getSpec(), policies::contains);

        IncidentStatus next = StatusUpdate.copy(incident.getStatus(), IncidentStatus::new);
        return status.write(incident, context, next, problems, "incident is valid");
    }
}
