package dev.firebreak.remediate;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.RollbackRecord;
import dev.firebreak.api.v1alpha1.status.RollbackState;
import dev.firebreak.classify.WorkloadHealth;
import dev.firebreak.classify.Workloads;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.EventRecorder;
import dev.firebreak.incident.IncidentRecord;
import dev.firebreak.intake.rollout.RolloutScope;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.intake.rollout.RolloutSignals;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The remediation step of an incident's reconcile: observes the affected Deployment and its ReplicaSets, lets
 * {@link RollbackGuard} and {@link DeploymentRollback} decide, patches (or dry-runs), then watches the rollout until
 * it is available (Succeeded) or the timeout passes (Failed). At most one rollback per incident: a record that
 * started stays the record. Returns the record the incident's status should hold; Events and metrics when it changes.
 */
@ApplicationScoped
public class Rollbacks {
    private static final Logger LOG = Logger.getLogger(Rollbacks.class);
    private static final Duration WATCH = Duration.ofSeconds(5);
    /** How long a StatefulSet rollback may wait for a pod of the bad revision before forcing it. */
    private static final Duration FORCE_AFTER = Duration.ofSeconds(10);

    /** The record to hold, and when to look again (a rollback in progress). */
    public record Step(Optional<RollbackRecord> record, Optional<Duration> recheck) {
    }

    private final KubernetesClient client;
    private final RolloutScope namespaces;
    private final EventRecorder events;
    private final MeterRegistry registry;
    private final FirebreakConfig config;
    private final Clock clock;

    public Rollbacks(KubernetesClient client, RolloutScope namespaces, EventRecorder events, MeterRegistry registry,
            FirebreakConfig config, Clock clock) {
        this.client = client;
        this.namespaces = namespaces;
        this.events = events;
        this.registry = registry;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @param workload the incident's first affected workload, if it exists
     * @param incidents every incident the operator knows (for implicated revisions, cooldown and circuit breaker)
     */
    public Step step(Incident incident, Optional<HasMetadata> workload, List<WorkloadHealth> workloads,
            List<Incident> incidents) {
        IncidentStatus status = incident.getStatus();
        RollbackRecord existing = status == null ? null : status.rollback;
        if (workload.isEmpty()) {
            return new Step(Optional.ofNullable(existing), Optional.empty());
        }
        HasMetadata d = workload.get();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (existing != null && (existing.state == RollbackState.Succeeded || existing.state == RollbackState.Failed)) {
            return new Step(Optional.of(existing), Optional.empty());
        }
        if (existing != null && existing.state == RollbackState.InProgress) {
            return progress(incident, existing, d, now);
        }
        Optional<RollbackRecord> applied = appliedEarlier(incident, existing, d, now);
        if (applied.isPresent()) {
            return progress(incident, applied.get(), d, now);
        }
        Decided decided = decide(incident, d, workloads, incidents, now);
        RollbackRecord next = decided.record();
        if (existing != null && existing.state == next.state && Objects.equals(existing.reason, next.reason)) {
            return new Step(Optional.of(existing), Optional.empty());
        }
        announce(incident, decided.optedIn() ? d : null, next);
        return new Step(Optional.of(next), next.state == RollbackState.InProgress ? Optional.of(WATCH)
                : Optional.empty());
    }

    /** A decision's record; {@code optedIn} false when the workload was never a candidate (no Event on it). */
    private record Decided(RollbackRecord record, boolean optedIn) {
    }

    private Decided decide(Incident incident, HasMetadata d, List<WorkloadHealth> workloads,
            List<Incident> incidents, Instant now) {
        String namespace = d.getMetadata().getNamespace();
        WorkloadRef ref = new WorkloadRef(WorkloadKind.valueOf(d.getKind()), d.getMetadata().getName());
        IncidentStatus status = incident.getStatus() == null ? new IncidentStatus() : incident.getStatus();
        Optional<RollbackGuard.Decision> notACandidate = RollbackGuard.notACandidate(incident.getSpec(),
                orEmpty(d.getMetadata().getAnnotations()), namespaces.labels(namespace));
        if (notACandidate.isPresent()) {
            // Most incidents: decided without listing the workload's revisions on every reconcile.
            RollbackRecord r = new RollbackRecord();
            r.workload = ref;
            r.fromImages = DeploymentRollback.images(template(d));
            return new Decided(skipped(r, notACandidate.get().reason()), false);
        }
        History history = history(d);
        Instant since = history.currentSince();
        String key = namespace + "/" + ref;
        List<RollbackGuard.Attempt> attempts = incidents.stream()
                .filter(i -> i.getStatus() != null && !i.getMetadata().getUid().equals(incident.getMetadata().getUid()))
                .flatMap(i -> RollbackGuard.Attempt.of(i.getMetadata().getNamespace(), i.getStatus().rollback).stream())
                .toList();
        var facts = new RollbackGuard.Facts(incident.getSpec(), status.phase != Phase.Resolved,
                !IncidentRecord.evidenceOver(incident.getSpec(), status, workloads),
                status.detectedAt == null ? now : status.detectedAt,
                orEmpty(d.getMetadata().getAnnotations()), namespaces.labels(namespace), GitOpsOwner.of(d), since, key,
                attempts);
        var settings = new RollbackGuard.Settings(config.rollback().enabled(), config.rollback().dryRun(),
                config.rollback().causeWindow(), config.rollback().cooldown(), config.rollback().breakerMax(),
                config.rollback().breakerWindow());
        RollbackGuard.Decision decision = RollbackGuard.decide(facts, settings, now);

        return new Decided(carryOut(incident, d, history, incidents, decision, now), decision.optedIn());
    }

    private RollbackRecord carryOut(Incident incident, HasMetadata d, History history, List<Incident> incidents,
            RollbackGuard.Decision decision, Instant now) {
        String namespace = d.getMetadata().getNamespace();
        WorkloadRef ref = new WorkloadRef(WorkloadKind.valueOf(d.getKind()), d.getMetadata().getName());
        IncidentStatus status = incident.getStatus() == null ? new IncidentStatus() : incident.getStatus();
        long current = history.current();
        RollbackRecord r = new RollbackRecord();
        r.workload = ref;
        r.fromRevision = current;
        r.fromImages = history.currentImages();
        if (decision.verdict() == RollbackGuard.Verdict.SKIP) {
            return skipped(r, decision.reason());
        }
        String prefix = causePrefix(incident) + current + " to ";
        Restore outcome = history.restore(implicated(ref, namespace, incidents), to -> prefix + to);
        if (outcome.patch() == null) {
            return skipped(r, (outcome.nothingToDo() ? "nothing to do: " : "cannot roll back: ") + outcome.reason());
        }
        r.toRevision = outcome.toRevision();
        r.toImages = outcome.toImages();
        String what = outcome.reason() + " (" + String.join(", ", r.fromImages) + " -> "
                + String.join(", ", outcome.toImages()) + ")";
        switch (decision.verdict()) {
            case PROPOSE -> {
                r.state = RollbackState.Proposed;
                r.proposedAt = now;
                r.reason = what + "; " + decision.reason();
                return r;
            }
            case DRY_RUN, ACT -> {
                boolean dryRun = decision.verdict() == RollbackGuard.Verdict.DRY_RUN;
                PatchContext.Builder context = new PatchContext.Builder().withPatchType(outcome.type())
                        .withFieldManager(StatusUpdate.FIELD_MANAGER);
                if (dryRun) {
                    context.withDryRun(List.of("All"));
                }
                try {
                    client.resource(d).patch(context.build(), outcome.patch());
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 409 || e.getCode() == 422) {
                        // Changed since it was read: decide again on the next reconcile, with fresh state.
                        return skipped(r, "the " + d.getKind() + " changed while the rollback was planned; deciding "
                                + "again");
                    }
                    throw e;
                }
                if (dryRun) {
                    return skipped(r, decision.reason() + ": would " + what);
                }
                r.state = RollbackState.InProgress;
                r.startedAt = now;
                r.reason = what + " (" + decision.reason() + ")";
                if (status.detectedAt != null) {
                    Timer.builder("firebreak.rollback.detection.to.patch")
                            .description("Time from an incident's detection to its rollback patch being accepted")
                            .publishPercentileHistogram().register(registry)
                            .record(Duration.between(status.detectedAt, clock.instant()));
                }
                LOG.infof("rolled back %s %s/%s from revision %d to %d for incident %s", d.getKind(), namespace,
                        ref.name, current, outcome.toRevision(), incident.getMetadata().getName());
                return r;
            }
            default -> throw new IllegalStateException("unhandled verdict " + decision.verdict());
        }
    }

    private Step progress(Incident incident, RollbackRecord r, HasMetadata w, Instant now) {
        History history = history(w);
        long revision = history.current();
        if (Workloads.rolledOut(w) && r.fromRevision != null && revision > r.fromRevision) {
            RollbackRecord done = copy(r);
            done.state = RollbackState.Succeeded;
            done.finishedAt = now;
            done.reason = "available again on revision " + revision + " (revision " + r.toRevision + "'s template)";
            announce(incident, w, done);
            return new Step(Optional.of(done), Optional.empty());
        }
        if (r.startedAt != null && now.isAfter(r.startedAt.plus(config.rollback().timeout()))) {
            RollbackRecord failed = copy(r);
            failed.state = RollbackState.Failed;
            failed.finishedAt = now;
            WorkloadHealth health = Workloads.health(r.workload, w.getMetadata().getNamespace(), Optional.of(w));
            failed.reason = "not available " + config.rollback().timeout().toMinutes() + "m after the rollback: "
                    + health.available() + " of " + health.desired() + " replicas available";
            announce(incident, w, failed);
            return new Step(Optional.of(failed), Optional.empty());
        }
        if (w instanceof StatefulSet sts && r.startedAt != null && now.isAfter(r.startedAt.plus(FORCE_AFTER))) {
            forceRollback(incident, sts, history, r);
        }
        return new Step(Optional.of(r), Optional.of(WATCH));
    }

    /**
     * The documented forced rollback of a StatefulSet: with OrderedReady pod management, a pod already started on
     * the bad revision that never became Ready blocks the rollout of the restored one; delete it (and only pods of
     * the bad revision that are not Ready), so the controller recreates it from the restored template.
     */
    private void forceRollback(Incident incident, StatefulSet sts, History history, RollbackRecord r) {
        if ("Parallel".equals(sts.getSpec().getPodManagementPolicy())) {
            return;
        }
        Optional<String> bad = history.nameOf(r.fromRevision);
        if (bad.isEmpty()) {
            return;
        }
        for (Pod pod : client.pods().inNamespace(sts.getMetadata().getNamespace())
                .withLabelSelector(sts.getSpec().getSelector())
                .withLabel(RolloutSignals.CONTROLLER_REVISION_HASH, bad.get()).list().getItems()) {
            boolean ready = pod.getStatus() != null && pod.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            if (!ready && pod.getMetadata().getDeletionTimestamp() == null) {
                client.resource(pod).delete();
                String message = "deleted pod " + pod.getMetadata().getName() + " of the bad revision " + bad.get()
                        + " (StatefulSet forced rollback: OrderedReady waits for it forever)";
                LOG.info(message);
                events.warning(incident, EventReason.RollbackStarted, message);
                events.warning(sts, EventReason.RollbackStarted, message);
            }
        }
    }

    // --- history --------------------------------------------------------------------------------------------------

    /** A restore: the patch to send (null when there is none), and what it does. */
    private record Restore(long toRevision, List<String> toImages, String reason, boolean nothingToDo,
            PatchType type, String patch) {
        static Restore none(String reason, boolean nothingToDo) {
            return new Restore(0, List.of(), reason, nothingToDo, null, null);
        }
    }

    /** A workload's revisions as observed: the one in force, and how to restore an earlier one. */
    private record History(long current, Instant currentSince, List<String> currentImages,
            java.util.function.BiFunction<Set<String>, LongFunction<String>, Restore> restorer,
            java.util.function.LongFunction<Optional<String>> names) {
        Restore restore(Set<String> implicated, LongFunction<String> cause) {
            return restorer.apply(implicated, cause);
        }

        Optional<String> nameOf(long revision) {
            return names.apply(revision);
        }
    }

    /** Lists the workload's history: ReplicaSets for a Deployment, ControllerRevisions otherwise. */
    private History history(HasMetadata w) {
        String namespace = w.getMetadata().getNamespace();
        var json = client.getKubernetesSerialization();
        if (w instanceof Deployment d) {
            List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(namespace)
                    .withLabelSelector(d.getSpec().getSelector()).list().getItems();
            long current = DeploymentRollback.revision(d.getMetadata().getAnnotations());
            Instant since = replicaSets.stream()
                    .filter(rs -> DeploymentRollback.revision(rs.getMetadata().getAnnotations()) == current)
                    .map(rs -> rs.getMetadata().getCreationTimestamp()).filter(Objects::nonNull).map(Instant::parse)
                    .findFirst().orElse(null);
            return new History(current, since, DeploymentRollback.images(d.getSpec().getTemplate()),
                    (implicated, cause) -> {
                        var outcome = DeploymentRollback.plan(d, replicaSets, implicated.stream()
                                .filter(v -> v.matches("[0-9]+")).map(Long::parseLong).collect(Collectors.toSet()),
                                cause);
                        return outcome.plan().map(p -> new Restore(p.toRevision(), p.toImages(), outcome.reason(),
                                false, PatchType.JSON, DeploymentRollback.patch(d, p, json)))
                                .orElse(Restore.none(outcome.reason(), outcome.nothingToDo()));
                    }, revision -> Optional.empty());
        }
        LabelSelector selector = w instanceof StatefulSet s ? s.getSpec().getSelector()
                : ((DaemonSet) w).getSpec().getSelector();
        PodTemplateSpec template = template(w);
        List<ControllerRevision> revisions = client.apps().controllerRevisions().inNamespace(namespace)
                .withLabelSelector(selector).list().getItems().stream()
                .filter(r -> r.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> Objects.equals(o.getUid(), w.getMetadata().getUid())))
                .toList();
        String updateRevision = w instanceof StatefulSet s && s.getStatus() != null
                ? s.getStatus().getUpdateRevision() : null;
        Optional<ControllerRevision> current = updateRevision != null
                ? revisions.stream().filter(r -> r.getMetadata().getName().equals(updateRevision)).findFirst()
                : revisions.stream().max(java.util.Comparator.comparingLong(RevisionRollback::number));
        String currentName = current.map(r -> r.getMetadata().getName()).orElse("(none)");
        return new History(current.map(RevisionRollback::number).orElse(0L),
                current.map(r -> r.getMetadata().getCreationTimestamp()).filter(Objects::nonNull).map(Instant::parse)
                        .orElse(null),
                DeploymentRollback.images(template),
                (implicated, cause) -> {
                    var outcome = RevisionRollback.plan(w, currentName, revisions, implicated, json);
                    return outcome.plan().map(p -> new Restore(p.toRevision(), p.toImages(), outcome.reason(), false,
                            PatchType.STRATEGIC_MERGE, RevisionRollback.patch(w, p, cause.apply(p.toRevision()), json)))
                            .orElse(Restore.none(outcome.reason(), outcome.nothingToDo()));
                },
                revision -> revisions.stream().filter(r -> RevisionRollback.number(r) == revision)
                        .map(r -> r.getMetadata().getName()).findFirst());
    }

    /**
     * The change-cause a rollback for this incident leaves on the workload, up to "FROM to TO" (the revisions): the
     * durable trace that lets a later reconcile recognize its own rollback.
     */
    private static String causePrefix(Incident incident) {
        return "firebreak: incident " + incident.getMetadata().getNamespace() + "/" + incident.getMetadata().getName()
                + " rolled back revision ";
    }

    /**
     * The rollback this incident already applied, read back from the workload's change-cause, when the record of it
     * is missing: a status write that failed, or a stale copy of the incident. Without it the next look would find
     * the template already restored and record "nothing to do" instead of watching the rollout.
     */
    private static Optional<RollbackRecord> appliedEarlier(Incident incident, RollbackRecord existing, HasMetadata d,
            Instant now) {
        String cause = orEmpty(d.getMetadata().getAnnotations()).get(DeploymentRollback.CHANGE_CAUSE);
        String prefix = causePrefix(incident);
        java.util.regex.Matcher m = cause == null || !cause.startsWith(prefix) ? null
                : java.util.regex.Pattern.compile("([0-9]+) to ([0-9]+)").matcher(cause.substring(prefix.length()));
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        RollbackRecord r = existing == null ? new RollbackRecord() : StatusUpdate.copy(existing, RollbackRecord::new);
        r.state = RollbackState.InProgress;
        r.workload = new WorkloadRef(WorkloadKind.valueOf(d.getKind()), d.getMetadata().getName());
        r.fromRevision = Long.parseLong(m.group(1));
        r.toRevision = Long.parseLong(m.group(2));
        r.toImages = r.toImages == null || r.toImages.isEmpty() ? DeploymentRollback.images(template(d)) : r.toImages;
        r.startedAt = r.startedAt == null ? now : r.startedAt;
        String approvedBy = incident.getSpec().remediation == null ? null : incident.getSpec().remediation.approvedBy;
        r.reason = "rolled back from revision " + r.fromRevision + " (" + (approvedBy == null || approvedBy.isBlank()
                ? "automatic" : "approved by " + approvedBy.strip()) + "), read back from the " + d.getKind() + "'s change-cause";
        return Optional.of(r);
    }

    /**
     * Revisions of this workload named by failing-rollout incidents (a Deployment's number, a ControllerRevision's
     * name): never a rollback target.
     */
    private static Set<String> implicated(WorkloadRef ref, String namespace, List<Incident> incidents) {
        return incidents.stream().filter(i -> namespace.equals(i.getMetadata().getNamespace()))
                .filter(i -> i.getSpec().source != null && i.getSpec().source.type == SourceType.Rollout)
                .filter(i -> i.getSpec().affected.contains(ref) && i.getSpec().source.revision != null)
                .map(i -> i.getSpec().source.revision).collect(Collectors.toSet());
    }

    /** Events on the incident and (unless null) the workload, and the metric. */
    private void announce(Incident incident, HasMetadata d, RollbackRecord r) {
        String message = "rollback of " + r.workload + (r.toRevision == null ? "" : " from revision "
                + r.fromRevision + " to " + r.toRevision) + ": " + r.reason;
        EventReason reason = switch (r.state) {
            case Proposed -> EventReason.RollbackProposed;
            case Skipped -> EventReason.RollbackSkipped;
            case InProgress -> EventReason.RollbackStarted;
            case Succeeded -> EventReason.RollbackSucceeded;
            case Failed -> EventReason.RollbackFailed;
        };
        boolean warning = r.state == RollbackState.InProgress || r.state == RollbackState.Failed;
        for (HasMetadata object : d == null ? List.<HasMetadata>of(incident) : List.of(incident, d)) {
            if (warning) {
                events.warning(object, reason, message);
            } else {
                events.normal(object, reason, message);
            }
        }
        Counter.builder("firebreak.rollbacks").description("Rollback decisions and results, by state")
                .tag("state", r.state.name()).register(registry).increment();
    }

    private static PodTemplateSpec template(HasMetadata w) {
        return w instanceof Deployment d ? d.getSpec().getTemplate() : w instanceof StatefulSet s
                ? s.getSpec().getTemplate() : ((DaemonSet) w).getSpec().getTemplate();
    }

    private static RollbackRecord skipped(RollbackRecord r, String reason) {
        r.state = RollbackState.Skipped;
        r.reason = reason;
        return r;
    }

    private static RollbackRecord copy(RollbackRecord r) {
        return StatusUpdate.copy(r, RollbackRecord::new);
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
