package dev.firebreak.remediate;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.RollbackRecord;
import dev.firebreak.api.v1alpha1.status.RollbackState;
import dev.firebreak.classify.Evidence;
import dev.firebreak.config.CrashPoints;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.Notice;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.time.Durations;
import dev.firebreak.workload.Revisions;
import dev.firebreak.workload.RolloutScope;
import dev.firebreak.workload.Workload;
import dev.firebreak.workload.WorkloadHealth;
import dev.firebreak.workload.WorkloadReads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
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

    /**
     * The record to hold, when to look again (a rollback in progress), the Events to record once it is held, and
     * whether a patch is planned: then the caller stores the record and calls {@link #start} to send it.
     */
    public record Step(
            Optional<RollbackRecord> record,
            Optional<Duration> recheck,
            List<Notice> notices,
            boolean planned,
            List<Effect> effects) {
        public Step(Optional<RollbackRecord> record, Optional<Duration> recheck, List<Notice> notices) {
            this(record, recheck, notices, false, List.of());
        }

        public Step(Optional<RollbackRecord> record, Optional<Duration> recheck) {
            this(record, recheck, List.of(), false, List.of());
        }

        public Step(
                Optional<RollbackRecord> record, Optional<Duration> recheck, List<Notice> notices, boolean planned) {
            this(record, recheck, notices, planned, List.of());
        }

        Step withEffects(List<Effect> more) {
            return new Step(record, recheck, notices, planned, List.copyOf(more));
        }
    }

    /**
     * What a decision asks of the cluster besides the rollback patch itself, carried out by {@link #applyEffects} right
     * after it: a server-side dry run of the patch (dry-run mode), or deleting a pod of the bad revision that blocks
     * a StatefulSet's OrderedReady rollout (the documented forced rollback).
     */
    public sealed interface Effect permits DryRun, DeleteBadPod {}

    record DryRun(HasMetadata workload, PatchType type, String patch) implements Effect {}

    record DeleteBadPod(StatefulSet owner, Pod pod, String badRevision) implements Effect {}

    /** A patch planned by a decision, to be sent once its InProgress record is stored (see {@link #start}). */
    private record Planned(
            HasMetadata workload,
            long fromRevision,
            long toRevision,
            List<String> toImages,
            PatchType type,
            String patch) {}

    /** Per incident UID, the patch its last decision planned; at most one each, dropped at the next step. */
    private final Map<String, Planned> planned = new ConcurrentHashMap<>();
    /** Per incident UID, the effects its decision in progress asked for (see {@link #step}). */
    private final Map<String, List<Effect>> effects = new ConcurrentHashMap<>();

    private final KubernetesClient client;
    private final WorkloadReads reads;
    private final RolloutScope namespaces;
    private final RollbackMetrics metrics;
    private final FirebreakConfig config;
    private final Clock clock;
    private final CrashPoints crashPoints;

    public Rollbacks(
            KubernetesClient client,
            WorkloadReads reads,
            RolloutScope namespaces,
            RollbackMetrics metrics,
            FirebreakConfig config,
            Clock clock,
            CrashPoints crashPoints) {
        this.crashPoints = crashPoints;
        this.client = client;
        this.reads = reads;
        this.namespaces = namespaces;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @param workload the incident's first affected workload, if it exists
     * @param incidents every incident the operator knows (for implicated revisions, cooldown and circuit breaker)
     * @param at the reconcile's one reading of the clock
     */
    public Step step(
            Incident incident,
            Optional<HasMetadata> workload,
            List<WorkloadHealth> workloads,
            List<Incident> incidents,
            Instant at) {
        String uid = incident.getMetadata().getUid();
        effects.remove(uid);
        Step step = decideStep(incident, workload, workloads, incidents, at);
        List<Effect> asked = effects.remove(uid);
        return asked == null ? step : step.withEffects(asked);
    }

    /**
     * Carries out the effects a step asked for ({@link Step#effects}), in order; returns the step with the Events
     * they raise. A failing effect fails the whole step (the caller keeps the record as it was).
     */
    public Step applyEffects(Step step) {
        List<Notice> notices = new ArrayList<>(step.notices());
        for (Effect effect : step.effects()) {
            if (effect instanceof DryRun dry) {
                client.resource(dry.workload())
                        .patch(
                                new PatchContext.Builder()
                                        .withPatchType(dry.type())
                                        .withFieldManager(StatusUpdate.FIELD_MANAGER)
                                        .withDryRun(List.of("All"))
                                        .build(),
                                dry.patch());
            } else if (effect instanceof DeleteBadPod delete) {
                client.resource(delete.pod()).delete();
                String message = "deleted pod " + delete.pod().getMetadata().getName() + " of the bad revision "
                        + delete.badRevision() + " (StatefulSet forced rollback: OrderedReady waits for it forever)";
                LOG.info(message);
                notices.add(Notice.warning(EventReason.BadPodDeleted, message));
                notices.add(Notice.warning(EventReason.BadPodDeleted, message).on(delete.owner()));
            }
        }
        return new Step(step.record(), step.recheck(), List.copyOf(notices), step.planned(), List.of());
    }

    private void ask(Incident incident, Effect effect) {
        effects.computeIfAbsent(incident.getMetadata().getUid(), k -> new ArrayList<>())
                .add(effect);
    }

    private Step decideStep(
            Incident incident,
            Optional<HasMetadata> workload,
            List<WorkloadHealth> workloads,
            List<Incident> incidents,
            Instant at) {
        IncidentStatus status = incident.getStatus();
        RollbackRecord existing = status == null ? null : status.rollback;
        planned.remove(incident.getMetadata().getUid());
        if (workload.isEmpty()) {
            return new Step(Optional.ofNullable(existing), Optional.empty());
        }
        HasMetadata d = workload.get();
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        if (existing != null && (existing.state == RollbackState.Succeeded || existing.state == RollbackState.Failed)) {
            return new Step(Optional.of(existing), Optional.empty());
        }
        if (existing != null && existing.state == RollbackState.InProgress) {
            return existing.startedAt == null
                    ? resume(incident, existing, d, incidents, now)
                    : progress(incident, existing, d, now);
        }
        RollbackRecord next = decide(incident, existing, d, workloads, incidents, now);
        if (next == existing) {
            return new Step(Optional.of(existing), Optional.empty());
        }
        if (next.state == RollbackState.InProgress) {
            // Not patched yet: the caller stores this record, then calls start (or the next step carries it out).
            return new Step(
                    Optional.of(next),
                    Optional.of(APPLY),
                    List.of(),
                    planned.containsKey(incident.getMetadata().getUid()));
        }
        boolean same = existing != null && existing.state == next.state && Objects.equals(existing.reason, next.reason);
        return new Step(
                Optional.of(next),
                Optional.empty(),
                same ? List.of() : announce(next.decidedOn.containsKey(NOT_A_CANDIDATE) ? null : d, next));
    }

    /**
     * The decision for a workload with no rollback under way: the existing record itself while nothing it was taken
     * on changed (so a Skipped or Proposed decision is not taken again at every reconcile), else a new one, which says
     * what changed. Patches nothing: an automatic or approved rollback comes back InProgress and unpatched.
     */
    private RollbackRecord decide(
            Incident incident,
            RollbackRecord existing,
            HasMetadata d,
            List<WorkloadHealth> workloads,
            List<Incident> incidents,
            Instant now) {
        String namespace = d.getMetadata().getNamespace();
        WorkloadRef ref = Workload.of(d).ref();
        IncidentStatus status = incident.getStatus() == null ? new IncidentStatus() : incident.getStatus();
        Map<String, String> annotations = orEmpty(d.getMetadata().getAnnotations());
        Map<String, String> labels = namespaces.labels(namespace);
        Optional<RollbackGuard.Decision> notACandidate =
                RollbackGuard.notACandidate(incident.getSpec(), annotations, labels);
        if (notACandidate.isPresent()) {
            // Most incidents: decided without listing the workload's revisions on every reconcile.
            Map<String, String> inputs =
                    new TreeMap<>(RollbackGuard.candidacy(incident.getSpec(), annotations, labels));
            inputs.put(NOT_A_CANDIDATE, "true");
            if (unchanged(existing, inputs)) {
                return existing;
            }
            RollbackRecord r = new RollbackRecord();
            r.workload = ref;
            r.fromImages = Workload.of(d).images();
            r.suspectRevision = existing == null ? null : existing.suspectRevision;
            return decided(existing, skipped(r, notACandidate.get().reason()), inputs, now);
        }
        History history = history(d);
        long current = history.current();
        Instant since = history.currentSince();
        Instant detectedAt = status.detectedAt == null ? now : status.detectedAt;
        Long suspect = existing != null && existing.suspectRevision != null
                ? existing.suspectRevision
                : since != null && !since.isAfter(detectedAt) ? Long.valueOf(current) : null;
        Optional<ChangeCause> byRollback =
                ChangeCause.parse(annotations.get(Revisions.CHANGE_CAUSE)).filter(c -> c.produced(current));
        String key = namespace + "/" + ref;
        List<RollbackGuard.Attempt> attempts = incidents.stream()
                .filter(i -> i.getStatus() != null
                        && !i.getMetadata()
                                .getUid()
                                .equals(incident.getMetadata().getUid()))
                .flatMap(i -> RollbackGuard.Attempt.of(i.getMetadata().getNamespace(), i.getStatus().rollback).stream())
                .toList();
        var facts = new RollbackGuard.Facts(
                incident.getSpec(),
                status.phase != Phase.Resolved,
                !Evidence.over(incident.getSpec(), status, workloads),
                detectedAt,
                annotations,
                labels,
                GitOpsOwner.of(d),
                current,
                since,
                Optional.ofNullable(suspect),
                byRollback,
                key,
                attempts);
        var settings = settings();
        Map<String, String> inputs = RollbackGuard.inputs(facts, settings, now);
        if (unchanged(existing, inputs)) {
            return existing;
        }
        RollbackGuard.Decision decision = RollbackGuard.decide(facts, settings, now);
        RollbackRecord r = carryOut(incident, d, history, incidents, decision, now);
        r.suspectRevision = suspect;
        return decided(existing, r, inputs, now);
    }

    /** The marker of a decision taken without the workload's history: it was not a candidate. */
    private static final String NOT_A_CANDIDATE = "notACandidate";
    /** How soon to apply a rollback once its record is stored. */
    private static final Duration APPLY = Duration.ofMillis(1);
    /** How a reason says that a decision was taken again, and why. */
    private static final String DECIDED_AGAIN = " [decided again: ";

    private static boolean unchanged(RollbackRecord existing, Map<String, String> inputs) {
        return existing != null
                && (existing.state == RollbackState.Skipped || existing.state == RollbackState.Proposed)
                && inputs.equals(existing.decidedOn);
    }

    /**
     * Stamps a new decision with its inputs and time; a decision taken again says which inputs changed, unless it
     * came to the same result (then only its inputs are updated, and nothing is announced).
     */
    private static RollbackRecord decided(
            RollbackRecord existing, RollbackRecord r, Map<String, String> inputs, Instant now) {
        r.decidedOn = new TreeMap<>(inputs);
        r.decidedAt = now;
        if (existing == null || existing.decidedOn == null || existing.decidedOn.isEmpty() || existing.state == null) {
            return r;
        }
        String before = baseReason(existing.reason);
        if (existing.state == r.state && Objects.equals(before, r.reason)) {
            RollbackRecord same = copy(existing);
            same.decidedOn = r.decidedOn;
            return same;
        }
        if (r.state != RollbackState.InProgress) {
            r.reason = r.reason + DECIDED_AGAIN + RollbackGuard.changes(existing.decidedOn, inputs) + "]";
        }
        return r;
    }

    private static String baseReason(String reason) {
        int at = reason == null ? -1 : reason.indexOf(DECIDED_AGAIN);
        return at < 0 ? reason : reason.substring(0, at);
    }

    private RollbackGuard.Settings settings() {
        return new RollbackGuard.Settings(
                config.rollback().enabled(),
                config.rollback().dryRun(),
                config.rollback().causeWindow(),
                config.rollback().cooldown(),
                config.rollback().breakerMax(),
                config.rollback().breakerWindow());
    }

    /**
     * Turns a decision into a record: Skipped, Proposed (with the plan), Skipped after a server-side dry run, or
     * InProgress with the plan and no startedAt (not patched yet).
     */
    private RollbackRecord carryOut(
            Incident incident,
            HasMetadata d,
            History history,
            List<Incident> incidents,
            RollbackGuard.Decision decision,
            Instant now) {
        String namespace = d.getMetadata().getNamespace();
        WorkloadRef ref = Workload.of(d).ref();
        long current = history.current();
        RollbackRecord r = new RollbackRecord();
        r.workload = ref;
        r.fromRevision = current;
        r.fromImages = history.currentImages();
        if (decision.verdict() == RollbackGuard.Verdict.SKIP) {
            return skipped(r, decision.reason());
        }
        Restore outcome = history.restore(implicated(ref, namespace, incidents), to -> cause(incident, current, to));
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
            case DRY_RUN -> {
                ask(incident, new DryRun(d, outcome.type(), outcome.patch()));
                return skipped(r, decision.reason() + ": would " + what);
            }
            case ACT -> {
                r.state = RollbackState.InProgress;
                r.reason = what + " (" + decision.reason() + ")";
                planned.put(
                        incident.getMetadata().getUid(),
                        new Planned(
                                d, current, outcome.toRevision(), outcome.toImages(), outcome.type(), outcome.patch()));
                return r;
            }
            default -> throw new IllegalStateException("unhandled verdict " + decision.verdict());
        }
    }

    /**
     * Decides how to carry out a rollback whose record is stored (InProgress, no startedAt), exactly once: if this
     * incident's patch is already on the workload (its change-cause names this incident's UID and the same revisions:
     * the operator stopped after patching, before recording it), it is recorded as started; if the workload moved on
     * from the revision to roll back, nothing is patched; otherwise the patch is planned, for the caller to send
     * ({@link #start}) once the record is stored, with the workload's resourceVersion as a precondition (a conflict
     * is retried from a fresh read).
     */
    private Step resume(Incident incident, RollbackRecord r, HasMetadata d, List<Incident> incidents, Instant now) {
        RollbackRecord next = copy(r);
        Optional<ChangeCause> cause =
                ChangeCause.parse(orEmpty(d.getMetadata().getAnnotations()).get(Revisions.CHANGE_CAUSE));
        if (cause.filter(c -> c.uid().equals(incident.getMetadata().getUid())
                        && Objects.equals(c.from(), r.fromRevision)
                        && Objects.equals(c.to(), r.toRevision))
                .isPresent()) {
            next.startedAt = now;
            next.reason = r.reason + "; its patch was found on the " + d.getKind() + " (this incident's UID in the "
                    + "change-cause): recorded now, not sent again";
            return new Step(Optional.of(next), Optional.of(WATCH), announce(d, next));
        }
        Optional<RollbackGuard.Decision> withdrawn = RollbackGuard.notACandidate(
                incident.getSpec(),
                orEmpty(d.getMetadata().getAnnotations()),
                namespaces.labels(d.getMetadata().getNamespace()));
        if (withdrawn.isPresent()) {
            return notApplied(
                    next,
                    d,
                    "withdrawn before the rollback was applied: "
                            + withdrawn.get().reason());
        }
        History history = history(d);
        if (r.fromRevision == null || history.current() != r.fromRevision) {
            return notApplied(
                    next,
                    d,
                    "revision " + history.current() + " rolled out before the rollback of revision " + r.fromRevision
                            + " was applied: not rolled back");
        }
        Instant decidedAt = r.decidedAt == null ? now : r.decidedAt;
        if (now.isAfter(decidedAt.plus(config.rollback().timeout()))) {
            next.state = RollbackState.Failed;
            next.finishedAt = now;
            next.reason = "the rollback patch was not accepted within "
                    + Durations.format(config.rollback().timeout()) + " of the decision";
            return new Step(Optional.of(next), Optional.empty(), announce(d, next));
        }
        String namespace = d.getMetadata().getNamespace();
        long current = history.current();
        Restore outcome =
                history.restore(implicated(r.workload, namespace, incidents), to -> cause(incident, current, to));
        if (outcome.patch() == null) {
            return notApplied(
                    next, d, (outcome.nothingToDo() ? "nothing to do: " : "cannot roll back: ") + outcome.reason());
        }
        // Not sent here: the caller stores this record (unchanged, or with the revision restored now) and then
        // calls start, as for a rollback decided in this reconcile.
        next.toRevision = outcome.toRevision();
        next.toImages = outcome.toImages();
        planned.put(
                incident.getMetadata().getUid(),
                new Planned(d, current, outcome.toRevision(), outcome.toImages(), outcome.type(), outcome.patch()));
        return new Step(Optional.of(next), Optional.of(APPLY), List.of(), true);
    }

    /**
     * A recorded rollback that will not be carried out: Skipped, with no inputs recorded, so that the next step
     * decides again from what it sees then.
     */
    private Step notApplied(RollbackRecord next, HasMetadata d, String reason) {
        next.state = RollbackState.Skipped;
        next.reason = reason;
        next.decidedOn = new TreeMap<>();
        return new Step(Optional.of(next), Optional.empty(), announce(d, next));
    }

    /**
     * Sends the rollback patch the last step planned for this incident, right after its InProgress record was
     * stored ({@code stored}, the object as the API server answered that write): the same reconcile, with no second
     * read (the patch's resourceVersion precondition
     * refuses it if the workload changed since). Empty when nothing is planned for this record, or the workload
     * changed: then the next reconcile carries the record out from a fresh read.
     */
    public Optional<Step> start(Incident stored, Instant at) {
        RollbackRecord r = stored.getStatus() == null ? null : stored.getStatus().rollback;
        Planned p = planned.remove(stored.getMetadata().getUid());
        if (p == null
                || r == null
                || r.state != RollbackState.InProgress
                || r.startedAt != null
                || !Objects.equals(r.fromRevision, p.fromRevision())
                || !Objects.equals(r.toRevision, p.toRevision())) {
            return Optional.empty();
        }
        Step step = send(stored, r, p, at.truncatedTo(ChronoUnit.SECONDS));
        return step.record().filter(x -> x.startedAt != null).map(x -> step);
    }

    /** Sends a planned patch once and records its start; a conflict leaves the record as it was, to look again. */
    private Step send(Incident incident, RollbackRecord r, Planned p, Instant now) {
        HasMetadata d = p.workload();
        crashPoints.reached(CrashPoints.ROLLBACK_BEFORE_PATCH);
        try {
            client.resource(d)
                    .patch(
                            new PatchContext.Builder()
                                    .withPatchType(p.type())
                                    .withFieldManager(StatusUpdate.FIELD_MANAGER)
                                    .build(),
                            p.patch());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 422) {
                // Changed since it was read (the resourceVersion precondition): look again at a fresh copy.
                return new Step(Optional.of(r), Optional.of(Duration.ofSeconds(1)));
            }
            throw e;
        }
        crashPoints.reached(CrashPoints.ROLLBACK_AFTER_PATCH);
        RollbackRecord next = copy(r);
        next.toRevision = p.toRevision();
        next.toImages = p.toImages();
        next.startedAt = now;
        IncidentStatus status = incident.getStatus();
        if (status != null && status.detectedAt != null) {
            // A measurement, not a decision: the time the patch was accepted, read now.
            metrics.patched(Duration.between(status.detectedAt, clock.instant()));
        }
        LOG.infof(
                "rolled back %s %s/%s from revision %d to %d for incident %s (uid %s)",
                d.getKind(),
                d.getMetadata().getNamespace(),
                d.getMetadata().getName(),
                p.fromRevision(),
                p.toRevision(),
                incident.getMetadata().getName(),
                incident.getMetadata().getUid());
        return new Step(Optional.of(next), Optional.of(WATCH), announce(d, next));
    }

    private Step progress(Incident incident, RollbackRecord r, HasMetadata w, Instant now) {
        History history = history(w);
        long revision = history.current();
        if (Workload.of(w).rolledOut() && r.fromRevision != null && revision > r.fromRevision) {
            RollbackRecord done = copy(r);
            done.state = RollbackState.Succeeded;
            done.finishedAt = now;
            done.reason = "available again on revision " + revision + " (revision " + r.toRevision + "'s template)";
            return new Step(Optional.of(done), Optional.empty(), announce(w, done));
        }
        if (r.startedAt != null
                && now.isAfter(r.startedAt.plus(config.rollback().timeout()))) {
            RollbackRecord failed = copy(r);
            failed.state = RollbackState.Failed;
            failed.finishedAt = now;
            WorkloadHealth health =
                    WorkloadHealth.of(r.workload, w.getMetadata().getNamespace(), Optional.of(w));
            failed.reason = "not available " + config.rollback().timeout().toMinutes() + "m after the rollback: "
                    + health.available() + " of " + health.desired() + " replicas available";
            return new Step(Optional.of(failed), Optional.empty(), announce(w, failed));
        }
        if (w instanceof StatefulSet sts && r.startedAt != null && now.isAfter(r.startedAt.plus(FORCE_AFTER))) {
            forceRollback(incident, sts, history, r);
        }
        return new Step(Optional.of(r), Optional.of(WATCH));
    }

    /**
     * The documented forced rollback of a StatefulSet: with OrderedReady pod management, a pod already started on
     * the bad revision that never became Ready blocks the rollout of the restored one; asks to delete it (and only
     * pods of the bad revision that are not Ready), so the controller recreates it from the restored template.
     */
    private void forceRollback(Incident incident, StatefulSet sts, History history, RollbackRecord r) {
        if ("Parallel".equals(sts.getSpec().getPodManagementPolicy())) {
            return;
        }
        Optional<String> bad = history.nameOf(r.fromRevision);
        if (bad.isEmpty()) {
            return;
        }
        for (Pod pod : reads.listPods(Workload.of(sts), bad.get())) {
            boolean ready = pod.getStatus() != null
                    && pod.getStatus().getConditions().stream()
                            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            if (!ready && pod.getMetadata().getDeletionTimestamp() == null) {
                ask(incident, new DeleteBadPod(sts, pod, bad.get()));
            }
        }
    }

    // --- history --------------------------------------------------------------------------------------------------

    /** A restore: the patch to send (null when there is none), and what it does. */
    private record Restore(
            long toRevision, List<String> toImages, String reason, boolean nothingToDo, PatchType type, String patch) {
        static Restore none(String reason, boolean nothingToDo) {
            return new Restore(0, List.of(), reason, nothingToDo, null, null);
        }
    }

    /** A workload's revisions as observed: the one in force, and how to restore an earlier one. */
    private record History(
            long current,
            Instant currentSince,
            List<String> currentImages,
            BiFunction<Set<String>, LongFunction<String>, Restore> restorer,
            LongFunction<Optional<String>> names) {
        Restore restore(Set<String> implicated, LongFunction<String> cause) {
            return restorer.apply(implicated, cause);
        }

        Optional<String> nameOf(long revision) {
            return names.apply(revision);
        }
    }

    /** Lists the workload's history: ReplicaSets for a Deployment, ControllerRevisions otherwise. */
    private History history(HasMetadata object) {
        Workload w = Workload.of(object);
        var json = client.getKubernetesSerialization();
        if (w instanceof Workload.OfDeployment d) {
            List<ReplicaSet> replicaSets = reads.listReplicaSets(d);
            long current = d.revision();
            Instant since = d.current(replicaSets)
                    .filter(rs -> Revisions.number(rs) == current)
                    .map(rs -> rs.getMetadata().getCreationTimestamp())
                    .filter(Objects::nonNull)
                    .map(Instant::parse)
                    .orElse(null);
            return new History(
                    current,
                    since,
                    d.images(),
                    (implicated, cause) -> {
                        var outcome = DeploymentRollback.plan(
                                d.object(),
                                replicaSets,
                                implicated.stream()
                                        .filter(v -> v.matches("[0-9]+"))
                                        .map(Long::parseLong)
                                        .collect(Collectors.toSet()),
                                cause);
                        return outcome.plan()
                                .map(p -> new Restore(
                                        p.toRevision(),
                                        p.toImages(),
                                        outcome.reason(),
                                        false,
                                        PatchType.JSON,
                                        DeploymentRollback.patch(d.object(), p, json)))
                                .orElse(Restore.none(outcome.reason(), outcome.nothingToDo()));
                    },
                    revision -> Optional.empty());
        }
        List<ControllerRevision> revisions = reads.listControllerRevisions(w);
        Optional<ControllerRevision> current = w.current(revisions);
        String currentName = current.map(r -> r.getMetadata().getName()).orElse("(none)");
        return new History(
                current.map(Revisions::number).orElse(0L),
                current.map(r -> r.getMetadata().getCreationTimestamp())
                        .filter(Objects::nonNull)
                        .map(Instant::parse)
                        .orElse(null),
                w.images(),
                (implicated, cause) -> {
                    var outcome = RevisionRollback.plan(object, currentName, revisions, implicated, json);
                    return outcome.plan()
                            .map(p -> new Restore(
                                    p.toRevision(),
                                    p.toImages(),
                                    outcome.reason(),
                                    false,
                                    PatchType.STRATEGIC_MERGE,
                                    RevisionRollback.patch(object, p, cause.apply(p.toRevision()), json)))
                            .orElse(Restore.none(outcome.reason(), outcome.nothingToDo()));
                },
                revision -> revisions.stream()
                        .filter(r -> Revisions.number(r) == revision)
                        .map(r -> r.getMetadata().getName())
                        .findFirst());
    }

    /** The change-cause a rollback for this incident leaves on the workload. */
    private static String cause(Incident incident, long from, long to) {
        return new ChangeCause(
                        incident.getMetadata().getNamespace() + "/"
                                + incident.getMetadata().getName(),
                        incident.getMetadata().getUid(),
                        from,
                        to)
                .format();
    }

    /**
     * Revisions of this workload named by failing-rollout incidents (a Deployment's number, a ControllerRevision's
     * name): never a rollback target.
     */
    private static Set<String> implicated(WorkloadRef ref, String namespace, List<Incident> incidents) {
        return incidents.stream()
                .filter(i -> namespace.equals(i.getMetadata().getNamespace()))
                .filter(i -> i.getSpec().source != null && i.getSpec().source.type == SourceType.Rollout)
                .filter(i -> i.getSpec().affected.contains(ref) && i.getSpec().source.revision != null)
                .map(i -> i.getSpec().source.revision)
                .collect(Collectors.toSet());
    }

    /** Events on the incident and (unless null) the workload, and the metric. */
    private List<Notice> announce(HasMetadata d, RollbackRecord r) {
        String message = "rollback of " + r.workload
                + (r.toRevision == null ? "" : " from revision " + r.fromRevision + " to " + r.toRevision) + ": "
                + r.reason;
        EventReason reason = switch (r.state) {
            case Proposed -> EventReason.RollbackProposed;
            case Skipped -> EventReason.RollbackSkipped;
            case InProgress -> EventReason.RollbackStarted;
            case Succeeded -> EventReason.RollbackSucceeded;
            case Failed -> EventReason.RollbackFailed;
        };
        boolean warning = r.state == RollbackState.InProgress || r.state == RollbackState.Failed;
        metrics.recorded(r.state);
        Notice notice = new Notice(reason, warning, message);
        return d == null ? List.of(notice) : List.of(notice, notice.on(d));
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
