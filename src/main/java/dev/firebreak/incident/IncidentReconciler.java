package dev.firebreak.incident;

import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.classify.Classifier;
import dev.firebreak.classify.WorkloadHealth;
import dev.firebreak.classify.Workloads;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.events.EventRecorder;
import dev.firebreak.references.NameReferences;
import dev.firebreak.remediate.Rollbacks;
import dev.firebreak.status.ReadyStatus;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.validation.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Observes an incident's policy and affected workloads, validates, lets the remediation step roll back its first
 * affected workload (Rollbacks), decides its record (IncidentRecord), and acts: Events, metrics, the status. Not generation-aware: status written by others (alerts by the intake, the rollback
 * record) changes the classification and the phase too; a write of its own leads to one reconcile that finds nothing
 * to change.
 */
@ControllerConfiguration(name = IncidentReconciler.NAME, fieldManager = StatusUpdate.FIELD_MANAGER,
        generationAwareEventProcessing = false)
public class IncidentReconciler implements Reconciler<Incident> {
    public static final String NAME = "incident";
    private static final Map<WorkloadKind, Class<? extends HasMetadata>> WORKLOAD_TYPES = Map.of(
            WorkloadKind.Deployment, Deployment.class,
            WorkloadKind.StatefulSet, StatefulSet.class,
            WorkloadKind.DaemonSet, DaemonSet.class);

    private final ReadyStatus status;
    private final EventRecorder events;
    private final IncidentMetrics metrics;
    private final Classifier classifier;
    private final FirebreakConfig config;
    private final Clock clock;
    private final Rollbacks rollbacks;

    public IncidentReconciler(ReadyStatus status, EventRecorder events, IncidentMetrics metrics,
            Classifier classifier, FirebreakConfig config, Clock clock, Rollbacks rollbacks) {
        this.rollbacks = rollbacks;
        this.status = status;
        this.events = events;
        this.metrics = metrics;
        this.classifier = classifier;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, Incident>> prepareEventSources(EventSourceContext<Incident> context) {
        metrics.countFrom(context.getPrimaryCache());
        return List.of(
                NameReferences.informer(context, EscalationPolicy.class, "escalationpolicies",
                        incident -> IncidentValidator.policyNames(incident.getSpec())),
                NameReferences.informer(context, Deployment.class, "deployments",
                        incident -> affected(incident, WorkloadKind.Deployment)),
                NameReferences.informer(context, StatefulSet.class, "statefulsets",
                        incident -> affected(incident, WorkloadKind.StatefulSet)),
                NameReferences.informer(context, DaemonSet.class, "daemonsets",
                        incident -> affected(incident, WorkloadKind.DaemonSet)));
    }

    @Override
    public UpdateControl<Incident> reconcile(Incident incident, Context<Incident> context) {
        String namespace = incident.getMetadata().getNamespace();
        Set<String> policies = context.getSecondaryResources(EscalationPolicy.class).stream()
                .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        List<WorkloadHealth> workloads = incident.getSpec().affected.stream()
                .map(ref -> Workloads.health(ref, namespace, find(context, ref))).toList();

        Optional<HasMetadata> workload = incident.getSpec().affected.stream().findFirst()
                .flatMap(ref -> find(context, ref)).map(HasMetadata.class::cast);

        List<Problem> problems = IncidentValidator.validate(incident.getSpec(), policies::contains);
        Rollbacks.Step rollback = rollbacks.step(incident, workload, workloads,
                context.getPrimaryCache().list().toList());
        IncidentRecord.Outcome outcome = IncidentRecord.decide(incident, workloads, classifier,
                config.incidents().autoResolve(), clock.instant(), rollback.record());

        outcome.notices().forEach(n -> {
            if (n.warning()) {
                events.warning(incident, n.reason(), n.message());
            } else {
                events.normal(incident, n.reason(), n.message());
            }
        });
        metrics.record(outcome);
        UpdateControl<Incident> control = status.write(incident, context, outcome.next(), problems,
                "incident is valid");
        return rollback.recheck().map(control::rescheduleAfter).orElse(control);
    }

    private static Optional<? extends HasMetadata> find(Context<Incident> context, WorkloadRef ref) {
        return context.getSecondaryResources(WORKLOAD_TYPES.get(ref.kind)).stream()
                .filter(w -> w.getMetadata().getName().equals(ref.name)).findFirst();
    }

    private static Set<String> affected(Incident incident, WorkloadKind kind) {
        return incident.getSpec() == null ? Set.of() : incident.getSpec().affected.stream()
                .filter(w -> w.kind == kind).map(w -> w.name).collect(Collectors.toSet());
    }
}
