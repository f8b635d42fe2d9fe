package dev.firebreak.incident;

import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.api.v1alpha1.status.EscalationStatus;
import dev.firebreak.api.v1alpha1.status.RollbackRecord;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.classify.Classifier;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.escalation.Escalations;
import dev.firebreak.escalation.PolicyBinding;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.Notice;
import dev.firebreak.kubeapi.LeanItemStore;
import dev.firebreak.kubeapi.PrimaryCaches;
import dev.firebreak.notify.Dispatcher;
import dev.firebreak.references.NameReferences;
import dev.firebreak.references.NameReferences.Keep;
import dev.firebreak.references.QualifiedName;
import dev.firebreak.remediate.Rollbacks;
import dev.firebreak.review.ReviewCreation;
import dev.firebreak.status.ReadyStatus;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.status.Steps;
import dev.firebreak.validation.Problem;
import dev.firebreak.workload.WorkloadHealth;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Observes an incident's policy and affected workloads, validates, lets the remediation step roll back its first
 * affected workload (Rollbacks), decides its record (IncidentRecord), and acts: Events, metrics, the status. The
 * order of its effects, each step guarded on its own (a failing one never stops the next):
 * <ol>
 * <li>the rollback: decided ({@code Rollbacks.step}, which reads revisions and pods and changes nothing), the
 * effects it asks for carried out ({@code Rollbacks.applyEffects}: a dry run, a blocking pod deleted); a rollback decided
 * now is written to the status first (record before act), then its patch sent ({@code Rollbacks.start}) in the
 * same reconcile;
 * <li>the record (pure: {@code IncidentRecord.decide});
 * <li>the escalation: decided; notifications decided now are recorded as Pending in the status computed here, and
 * only those already Pending in the stored status are handed to the dispatcher (record before send);
 * <li>the review: decided ({@code ReviewCreation.toCreate}), created, then linked;
 * <li>the status (only what changed), then the Events it describes.
 * </ol>
 * Not
 * generation-aware: the intake's alerts change the classification and the phase too; its own status writes wake it
 * not at all (OwnWritesFilter), so its work follows what changed, and it schedules any follow-up a write needs itself.
 */
@ControllerConfiguration(
        name = IncidentReconciler.NAME,
        fieldManager = StatusUpdate.FIELD_MANAGER,
        generationAwareEventProcessing = false,
        informer =
                @Informer(
                        itemStore = LeanItemStore.class,
                        informerListLimit = LeanItemStore.LIST_PAGE,
                        onUpdateFilter = OwnWritesFilter.class))
public class IncidentReconciler implements Reconciler<Incident> {
    private static final Logger LOG = Logger.getLogger(IncidentReconciler.class);
    public static final String NAME = "incident";
    /** The steps of a reconcile, each run guarded (see {@link Steps}). */
    public static final String ROLLBACK = "Rollback";

    public static final String ESCALATION = "Escalation";
    public static final String REVIEW = "Review";
    static final String POLICIES = "escalationpolicies";
    /** The review named after the incident. */
    static final String REVIEWS = "postincidentreviews";
    /** Wakes an incident when a delivery attempt for it finished. */
    static final String NOTIFICATIONS = "notifications";
    /** How soon a reconcile whose decision may lead to another comes back. */
    static final Duration SETTLE = Duration.ofMillis(10);

    private static final String VALID = "incident is valid";
    private static final Map<WorkloadKind, Class<? extends HasMetadata>> WORKLOAD_TYPES = Map.of(
            WorkloadKind.Deployment, Deployment.class,
            WorkloadKind.StatefulSet, StatefulSet.class,
            WorkloadKind.DaemonSet, DaemonSet.class);

    private final ReadyStatus status;
    private final IncidentMetrics metrics;
    private final Classifier classifier;
    private final FirebreakConfig config;
    private final Clock clock;
    private final Rollbacks rollbacks;
    private final Escalations escalations;
    private final Dispatcher dispatcher;
    private final ReviewCreation reviews;
    private final StepFaults faults;
    private final PrimaryCaches caches;
    private final Steps.Backoffs backoffs = new Steps.Backoffs();

    public IncidentReconciler(
            ReadyStatus status,
            IncidentMetrics metrics,
            Classifier classifier,
            FirebreakConfig config,
            Clock clock,
            Rollbacks rollbacks,
            Escalations escalations,
            Dispatcher dispatcher,
            ReviewCreation reviews,
            StepFaults faults,
            PrimaryCaches caches) {
        this.reviews = reviews;
        this.caches = caches;
        this.faults = faults;
        this.rollbacks = rollbacks;
        this.escalations = escalations;
        this.dispatcher = dispatcher;
        this.status = status;
        this.metrics = metrics;
        this.classifier = classifier;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, Incident>> prepareEventSources(EventSourceContext<Incident> context) {
        metrics.countFrom(context.getPrimaryCache());
        caches.register(Incident.class, context.getPrimaryCache());
        SimpleInboundEventSource<Incident> notifications = new SimpleInboundEventSource<>(NOTIFICATIONS);
        dispatcher.onResult(notifications::propagateEvent);
        return List.of(
                notifications,
                NameReferences.informer(
                        context,
                        PostIncidentReview.class,
                        REVIEWS,
                        incident -> Set.of(incident.getMetadata().getName())),
                NameReferences.informer(
                        context,
                        EscalationPolicy.class,
                        POLICIES,
                        incident -> IncidentValidator.policyNames(incident.getSpec())),
                NameReferences.informer(
                        context,
                        Deployment.class,
                        "deployments",
                        incident -> affected(incident, WorkloadKind.Deployment),
                        Keep.REFERENCED),
                NameReferences.informer(
                        context,
                        StatefulSet.class,
                        "statefulsets",
                        incident -> affected(incident, WorkloadKind.StatefulSet),
                        Keep.REFERENCED),
                NameReferences.informer(
                        context,
                        DaemonSet.class,
                        "daemonsets",
                        incident -> affected(incident, WorkloadKind.DaemonSet),
                        Keep.REFERENCED));
    }

    @Override
    public UpdateControl<Incident> reconcile(Incident incident, Context<Incident> context) {
        return reconcile(incident, context, true);
    }

    /** {@code mayReread}: a stale copy found while recording a rollback may be read afresh and reconciled once. */
    private UpdateControl<Incident> reconcile(Incident incident, Context<Incident> context, boolean mayReread) {
        // One reading of the clock per decision: every step, timeline entry and condition of it is at the same now.
        Instant now = clock.instant();
        Instant second = now.truncatedTo(ChronoUnit.SECONDS);
        Optional<Duration> waiting = IncidentRecord.awaitingFirstAlerts(incident, now);
        if (waiting.isPresent()) {
            return UpdateControl.<Incident>noUpdate().rescheduleAfter(waiting.get());
        }
        String namespace = incident.getMetadata().getNamespace();
        Set<String> policies = context.getSecondaryResources(EscalationPolicy.class).stream()
                .map(p -> p.getMetadata().getName())
                .collect(Collectors.toSet());
        List<WorkloadHealth> workloads = incident.getSpec().affected.stream()
                .map(ref -> WorkloadHealth.of(ref, namespace, find(context, ref)))
                .toList();

        Optional<HasMetadata> workload = incident.getSpec().affected.stream()
                .findFirst()
                .flatMap(ref -> find(context, ref))
                .map(HasMetadata.class::cast);
        @SuppressWarnings("unchecked")
        Optional<Duration>[] escalationRecheck = new Optional[] {Optional.empty()};

        List<Problem> problems = IncidentValidator.validate(incident.getSpec(), policies::contains);
        Steps steps = new Steps(incident.getMetadata().getUid(), backoffs, now);
        List<Notice> notices = new ArrayList<>();
        RollbackRecord existingRollback = incident.getStatus() == null ? null : incident.getStatus().rollback;

        // 1. The rollback: decided from what it reads, then the effects the decision asks for. Failing, the record
        // stays as it was.
        Rollbacks.Step rollback = steps.run(
                ROLLBACK,
                () -> {
                    faults.before(ROLLBACK, incident);
                    return rollbacks.applyEffects(rollbacks.step(
                            incident,
                            workload,
                            workloads,
                            context.getPrimaryCache().list().toList(),
                            now));
                },
                () -> new Rollbacks.Step(Optional.ofNullable(existingRollback), Optional.empty()));
        // Record before act: a rollback decided now is stored (the status as read, with this record) before its patch
        // is sent, in this reconcile. The rest of the status is written over the object as stored.
        Incident current = incident;
        if (rollback.planned()) {
            RollbackRecord intent = rollback.record().orElseThrow();
            Optional<Incident> stored;
            try {
                IncidentStatus recordedIntent = StatusUpdate.copy(incident.getStatus(), IncidentStatus::new);
                recordedIntent.rollback = intent;
                stored = Optional.of(StatusUpdate.write(incident, recordedIntent, context));
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409 && mayReread) {
                    // The copy was stale (the cache lagged behind a write, the detector's say): decide again from
                    // what is stored, once, rather than after the SDK's retry delay.
                    Incident fresh = context.getClient().resource(incident).get();
                    if (fresh != null) {
                        return reconcile(fresh, context, false);
                    }
                }
                stored = steps.run(
                        ROLLBACK,
                        () -> {
                            throw e;
                        },
                        Optional::<Incident>empty);
            }
            if (stored.isPresent()) {
                current = stored.get();
                Incident recorded = current;
                Optional<Rollbacks.Step> started =
                        steps.run(ROLLBACK, () -> rollbacks.start(recorded, now), Optional::<Rollbacks.Step>empty);
                if (started.isPresent()) {
                    rollback = started.get();
                }
            }
        }
        notices.addAll(rollback.notices());
        // 2. The record (pure).
        IncidentRecord.Outcome outcome = IncidentRecord.decide(
                incident, workloads, classifier, config.incidents().autoResolve(), now, rollback.record());
        notices.addAll(outcome.notices());
        metrics.record(outcome);
        IncidentStatus next = outcome.next();

        // 3. Escalation, with the policy binding and the on-call lookup: it runs whatever happened to the rollback,
        // so a failing step never silences paging. Failing, the escalation stays as it was.
        EscalationStatus existingEscalation = next.escalation;
        Severity threshold = steps.run(
                ESCALATION,
                () -> {
                    faults.before(ESCALATION, incident);
                    PolicyBinding.Binding binding = bind(incident, context, next.severity);
                    Escalations.Step escalation = escalations.step(incident, next, binding, now);
                    next.escalation = escalation.next();
                    escalation.notices().forEach(n -> {
                        n.timelineEntry().ifPresent(type -> Timeline.append(next, second, type, n.message()));
                        notices.add(n);
                    });
                    escalationRecheck[0] = escalation.recheck();
                    return binding.policy()
                            .map(p -> p.getSpec().reviewThreshold)
                            .orElse(ReviewCreation.DEFAULT_THRESHOLD);
                },
                () -> {
                    next.escalation = existingEscalation;
                    return ReviewCreation.DEFAULT_THRESHOLD;
                });

        // 4. The post-incident review, once the incident is resolved.
        steps.run(REVIEW, () -> {
            faults.before(REVIEW, incident);
            ReviewCreation.toCreate(incident, next, context.getSecondaryResource(PostIncidentReview.class), threshold)
                    .ifPresent(review -> {
                        reviews.create(review);
                        String message = ReviewCreation.recordCreated(next, review, threshold);
                        Timeline.append(next, second, TimelineType.Note, message);
                        notices.add(Notice.normal(EventReason.ReviewDrafted, message));
                    });
        });

        steps.condition(next.conditions, now, incident.getMetadata().getGeneration());
        notices.addAll(steps.notices());
        // Ready and observedGeneration first (status.write sets them the same way), so the deferral sees them too.
        StatusUpdate.applyReady(next, incident.getMetadata().getGeneration(), problems, VALID, now);
        Optional<Duration> deferred = current == incident
                ? IncidentRecord.alertsNarrationDeferred(
                        incident.getStatus(),
                        next,
                        notices,
                        now,
                        config.incidents().alertNarrationInterval())
                : Optional.empty();
        if (deferred.isPresent()) {
            return Stream.of(deferred, rollback.recheck(), escalationRecheck[0], steps.retry())
                    .flatMap(Optional::stream)
                    .min(Comparator.naturalOrder())
                    .map(UpdateControl.<Incident>noUpdate()::rescheduleAfter)
                    .orElseThrow();
        }
        UpdateControl<Incident> control = status.write(current, context, next, problems, VALID, notices);
        // Its own write wakes no reconcile (OwnWritesFilter): a decision that may lead to another (Mitigated, then
        // Resolved;
        // a rollback record, then its next step) comes back at once to decide from what it stored.
        Optional<Duration> settle = outcome.from().orElse(null) != outcome.to()
                        || !Objects.equals(StatusUpdate.json(existingRollback), StatusUpdate.json(next.rollback))
                ? Optional.of(SETTLE)
                : Optional.empty();
        return Stream.of(rollback.recheck(), escalationRecheck[0], steps.retry(), settle)
                .flatMap(Optional::stream)
                .min(Comparator.naturalOrder())
                .map(control::rescheduleAfter)
                .orElse(control);
    }

    /**
     * When a reconcile fails as a whole (its status write, a bug): the Degraded condition and a Warning Event say so,
     * and the operator SDK retries it with backoff.
     */
    @Override
    public ErrorStatusUpdateControl<Incident> updateErrorStatus(
            Incident incident, Context<Incident> context, Exception e) {
        return status.failed(incident, context, e, IncidentStatus::new);
    }

    /** The policy the incident names, else the best match in its namespace, else the configured default. */
    private PolicyBinding.Binding bind(Incident incident, Context<Incident> context, Severity severity) {
        @SuppressWarnings("unchecked")
        InformerEventSource<EscalationPolicy, Incident> policies = (InformerEventSource<EscalationPolicy, Incident>)
                context.eventSourceRetriever().getEventSourceFor(EscalationPolicy.class, POLICIES);
        String namespace = incident.getMetadata().getNamespace();
        Optional<String> defaultName = config.escalation().defaultPolicy();
        Optional<EscalationPolicy> defaultPolicy = defaultName.flatMap(
                d -> policies.get(QualifiedName.parse(d, config.namespace()).resourceId()));
        Map<String, String> labels = incident.getMetadata().getLabels() == null
                ? Map.of()
                : incident.getMetadata().getLabels();
        return PolicyBinding.choose(
                Optional.ofNullable(incident.getSpec().escalationPolicyRef).map(r -> r.name),
                severity == null ? Severity.Medium : severity,
                labels,
                policies.list(namespace).toList(),
                defaultPolicy,
                defaultName);
    }

    private Optional<? extends HasMetadata> find(Context<Incident> context, WorkloadRef ref) {
        return context.getSecondaryResources(WORKLOAD_TYPES.get(ref.kind)).stream()
                .filter(w -> w.getMetadata().getName().equals(ref.name))
                .findFirst()
                .flatMap(caches::whole);
    }

    private static Set<String> affected(Incident incident, WorkloadKind kind) {
        return incident.getSpec() == null
                ? Set.of()
                : incident.getSpec().affected.stream()
                        .filter(w -> w.kind == kind)
                        .map(w -> w.name)
                        .collect(Collectors.toSet());
    }
}
