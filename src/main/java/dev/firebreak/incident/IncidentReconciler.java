package dev.firebreak.incident;

import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.events.EventReason;
import dev.firebreak.review.ReviewCreation;
import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.classify.Classifier;
import dev.firebreak.classify.WorkloadHealth;
import dev.firebreak.classify.Workloads;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.escalation.Escalations;
import dev.firebreak.escalation.PolicyBinding;
import dev.firebreak.events.EventRecorder;
import dev.firebreak.notify.Dispatcher;
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
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
    static final String POLICIES = "escalationpolicies";
    /** The review named after the incident. */
    static final String REVIEWS = "postincidentreviews";
    /** Wakes an incident when a delivery attempt for it finished. */
    static final String NOTIFICATIONS = "notifications";
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
    private final Escalations escalations;
    private final Dispatcher dispatcher;
    private final ReviewCreation reviews;

    public IncidentReconciler(ReadyStatus status, EventRecorder events, IncidentMetrics metrics,
            Classifier classifier, FirebreakConfig config, Clock clock, Rollbacks rollbacks, Escalations escalations,
            Dispatcher dispatcher, ReviewCreation reviews) {
        this.reviews = reviews;
        this.rollbacks = rollbacks;
        this.escalations = escalations;
        this.dispatcher = dispatcher;
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
        SimpleInboundEventSource<Incident> notifications = new SimpleInboundEventSource<>(NOTIFICATIONS);
        dispatcher.onResult(notifications::propagateEvent);
        return List.of(notifications,
                NameReferences.informer(context, PostIncidentReview.class, REVIEWS,
                        incident -> Set.of(incident.getMetadata().getName())),
                NameReferences.informer(context, EscalationPolicy.class, POLICIES,
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
        Optional<Duration> waiting = IncidentRecord.awaitingFirstAlerts(incident, clock.instant());
        if (waiting.isPresent()) {
            return UpdateControl.<Incident>noUpdate().rescheduleAfter(waiting.get());
        }
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

        PolicyBinding.Binding binding = bind(incident, context, outcome.next().severity);
        Escalations.Step escalation = escalations.step(incident, outcome.next(), binding);
        outcome.next().escalation = escalation.next();
        escalation.notes().forEach(n -> {
            Timeline.append(outcome.next(), clock.instant().truncatedTo(ChronoUnit.SECONDS), n.type(), n.message());
            if (n.warning()) {
                events.warning(incident, n.reason(), n.message());
            } else {
                events.normal(incident, n.reason(), n.message());
            }
        });

        Severity threshold = binding.policy().map(p -> p.getSpec().reviewThreshold)
                .orElse(ReviewCreation.DEFAULT_THRESHOLD);
        reviews.ensure(incident, outcome.next(), context.getSecondaryResource(PostIncidentReview.class), threshold)
                .ifPresent(message -> {
                    Timeline.append(outcome.next(), clock.instant().truncatedTo(ChronoUnit.SECONDS),
                            TimelineType.Note, message);
                    events.normal(incident, EventReason.ReviewDrafted, message);
                });

        UpdateControl<Incident> control = status.write(incident, context, outcome.next(), problems,
                "incident is valid");
        return Stream.of(rollback.recheck(), escalation.recheck()).flatMap(Optional::stream)
                .min(Comparator.naturalOrder()).map(control::rescheduleAfter).orElse(control);
    }

    /** The policy the incident names, else the best match in its namespace, else the configured default. */
    private PolicyBinding.Binding bind(Incident incident, Context<Incident> context, Severity severity) {
        @SuppressWarnings("unchecked")
        InformerEventSource<EscalationPolicy, Incident> policies = (InformerEventSource<EscalationPolicy, Incident>)
                context.eventSourceRetriever().getEventSourceFor(EscalationPolicy.class, POLICIES);
        String namespace = incident.getMetadata().getNamespace();
        Optional<String> defaultName = config.escalation().defaultPolicy();
        Optional<EscalationPolicy> defaultPolicy = defaultName.flatMap(d -> {
            int slash = d.indexOf('/');
            return policies.get(slash < 0 ? new ResourceID(d, config.namespace())
                    : new ResourceID(d.substring(slash + 1), d.substring(0, slash)));
        });
        Map<String, String> labels = incident.getMetadata().getLabels() == null ? Map.of()
                : incident.getMetadata().getLabels();
        return PolicyBinding.choose(Optional.ofNullable(incident.getSpec().escalationPolicyRef).map(r -> r.name),
                severity == null ? Severity.Medium : severity,
                labels, policies.list(namespace).toList(), defaultPolicy, defaultName);
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
