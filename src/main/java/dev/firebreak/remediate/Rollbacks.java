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
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
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
     * @param deployment the incident's first affected Deployment, if it exists
     * @param incidents every incident the operator knows (for implicated revisions, cooldown and circuit breaker)
     */
    public Step step(Incident incident, Optional<Deployment> deployment, List<WorkloadHealth> workloads,
            List<Incident> incidents) {
        IncidentStatus status = incident.getStatus();
        RollbackRecord existing = status == null ? null : status.rollback;
        if (deployment.isEmpty()) {
            return new Step(Optional.ofNullable(existing), Optional.empty());
        }
        Deployment d = deployment.get();
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

    private Decided decide(Incident incident, Deployment d, List<WorkloadHealth> workloads,
            List<Incident> incidents, Instant now) {
        String namespace = d.getMetadata().getNamespace();
        WorkloadRef ref = new WorkloadRef(WorkloadKind.Deployment, d.getMetadata().getName());
        IncidentStatus status = incident.getStatus() == null ? new IncidentStatus() : incident.getStatus();
        List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(namespace)
                .withLabelSelector(d.getSpec().getSelector()).list().getItems();
        long current = DeploymentRollback.revision(d.getMetadata().getAnnotations());
        Instant since = replicaSets.stream()
                .filter(rs -> DeploymentRollback.revision(rs.getMetadata().getAnnotations()) == current)
                .map(rs -> rs.getMetadata().getCreationTimestamp()).filter(Objects::nonNull).map(Instant::parse)
                .findFirst().orElse(null);
        String key = namespace + "/" + ref;
        List<RollbackGuard.Attempt> attempts = incidents.stream()
                .filter(i -> i.getStatus() != null && !i.getMetadata().getUid().equals(incident.getMetadata().getUid()))
                .flatMap(i -> RollbackGuard.Attempt.of(i.getMetadata().getNamespace(), i.getStatus().rollback).stream())
                .toList();
        var facts = new RollbackGuard.Facts(incident.getSpec(), status.phase != Phase.Resolved,
                !IncidentRecord.evidenceOver(incident.getSpec(), status.alerts, workloads),
                status.detectedAt == null ? now : status.detectedAt,
                orEmpty(d.getMetadata().getAnnotations()), namespaces.labels(namespace), GitOpsOwner.of(d), since, key,
                attempts);
        var settings = new RollbackGuard.Settings(config.rollback().enabled(), config.rollback().dryRun(),
                config.rollback().causeWindow(), config.rollback().cooldown(), config.rollback().breakerMax(),
                config.rollback().breakerWindow());
        RollbackGuard.Decision decision = RollbackGuard.decide(facts, settings, now);

        return new Decided(carryOut(incident, d, replicaSets, incidents, decision, now), decision.optedIn());
    }

    private RollbackRecord carryOut(Incident incident, Deployment d, List<ReplicaSet> replicaSets,
            List<Incident> incidents, RollbackGuard.Decision decision, Instant now) {
        String namespace = d.getMetadata().getNamespace();
        WorkloadRef ref = new WorkloadRef(WorkloadKind.Deployment, d.getMetadata().getName());
        IncidentStatus status = incident.getStatus() == null ? new IncidentStatus() : incident.getStatus();
        long current = DeploymentRollback.revision(d.getMetadata().getAnnotations());
        RollbackRecord r = new RollbackRecord();
        r.workload = ref;
        r.fromRevision = current;
        r.fromImages = DeploymentRollback.images(d.getSpec().getTemplate());
        if (decision.verdict() == RollbackGuard.Verdict.SKIP) {
            return skipped(r, decision.reason());
        }
        String cause = causePrefix(incident) + current;
        DeploymentRollback.Outcome outcome = DeploymentRollback.plan(d, replicaSets, implicated(ref, namespace,
                incidents), cause);
        if (outcome.plan().isEmpty()) {
            return skipped(r, (outcome.nothingToDo() ? "nothing to do: " : "cannot roll back: ") + outcome.reason());
        }
        DeploymentRollback.Plan plan = outcome.plan().get();
        r.toRevision = plan.toRevision();
        r.toImages = plan.toImages();
        String what = outcome.reason() + " (" + String.join(", ", plan.fromImages()) + " -> "
                + String.join(", ", plan.toImages()) + ")";
        switch (decision.verdict()) {
            case PROPOSE -> {
                r.state = RollbackState.Proposed;
                r.proposedAt = now;
                r.reason = what + "; " + decision.reason();
                return r;
            }
            case DRY_RUN, ACT -> {
                boolean dryRun = decision.verdict() == RollbackGuard.Verdict.DRY_RUN;
                PatchContext.Builder context = new PatchContext.Builder().withPatchType(PatchType.JSON)
                        .withFieldManager(StatusUpdate.FIELD_MANAGER);
                if (dryRun) {
                    context.withDryRun(List.of("All"));
                }
                try {
                    client.resource(d).patch(context.build(),
                            DeploymentRollback.patch(d, plan, client.getKubernetesSerialization()));
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 409 || e.getCode() == 422) {
                        // Changed since it was read: decide again on the next reconcile, with fresh state.
                        return skipped(r, "the Deployment changed while the rollback was planned; deciding again");
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
                LOG.infof("rolled back Deployment %s/%s from revision %d to %d for incident %s", namespace,
                        ref.name, current, plan.toRevision(), incident.getMetadata().getName());
                return r;
            }
            default -> throw new IllegalStateException("unhandled verdict " + decision.verdict());
        }
    }

    private Step progress(Incident incident, RollbackRecord r, Deployment d, Instant now) {
        long revision = DeploymentRollback.revision(d.getMetadata().getAnnotations());
        if (Workloads.rolledOut(d) && r.fromRevision != null && revision > r.fromRevision) {
            RollbackRecord done = copy(r);
            done.state = RollbackState.Succeeded;
            done.finishedAt = now;
            done.reason = "available again on revision " + revision + " (revision " + r.toRevision + "'s template)";
            announce(incident, d, done);
            return new Step(Optional.of(done), Optional.empty());
        }
        if (r.startedAt != null && now.isAfter(r.startedAt.plus(config.rollback().timeout()))) {
            RollbackRecord failed = copy(r);
            failed.state = RollbackState.Failed;
            failed.finishedAt = now;
            var s = d.getStatus();
            failed.reason = "not available " + config.rollback().timeout().toMinutes() + "m after the rollback: "
                    + (s == null ? 0 : Objects.requireNonNullElse(s.getAvailableReplicas(), 0)) + " of "
                    + d.getSpec().getReplicas() + " replicas available";
            announce(incident, d, failed);
            return new Step(Optional.of(failed), Optional.empty());
        }
        return new Step(Optional.of(r), Optional.of(WATCH));
    }

    /** The change-cause a rollback for this incident leaves on the Deployment, up to the revision it replaced. */
    private static String causePrefix(Incident incident) {
        return "firebreak: incident " + incident.getMetadata().getNamespace() + "/" + incident.getMetadata().getName()
                + " rolled back revision ";
    }

    /**
     * The rollback this incident already applied, read back from the Deployment's change-cause, when the record of it
     * is missing: a status write that failed, or a stale copy of the incident. Without it the next look would find
     * the template already restored and record "nothing to do" instead of watching the rollout.
     */
    private static Optional<RollbackRecord> appliedEarlier(Incident incident, RollbackRecord existing, Deployment d,
            Instant now) {
        String cause = orEmpty(d.getMetadata().getAnnotations()).get(DeploymentRollback.CHANGE_CAUSE);
        String prefix = causePrefix(incident);
        if (cause == null || !cause.startsWith(prefix) || !cause.substring(prefix.length()).matches("[0-9]+")) {
            return Optional.empty();
        }
        RollbackRecord r = existing == null ? new RollbackRecord() : StatusUpdate.copy(existing, RollbackRecord::new);
        r.state = RollbackState.InProgress;
        r.workload = new WorkloadRef(WorkloadKind.Deployment, d.getMetadata().getName());
        r.fromRevision = Long.parseLong(cause.substring(prefix.length()));
        r.toImages = DeploymentRollback.images(d.getSpec().getTemplate());
        r.startedAt = r.startedAt == null ? now : r.startedAt;
        String approvedBy = incident.getSpec().remediation == null ? null : incident.getSpec().remediation.approvedBy;
        r.reason = "rolled back from revision " + r.fromRevision + " (" + (approvedBy == null || approvedBy.isBlank()
                ? "automatic" : "approved by " + approvedBy.strip()) + "), read back from the Deployment's change-cause";
        return Optional.of(r);
    }

    /** Revisions of this Deployment named by failing-rollout incidents: never a rollback target. */
    private static Set<Long> implicated(WorkloadRef ref, String namespace, List<Incident> incidents) {
        return incidents.stream().filter(i -> namespace.equals(i.getMetadata().getNamespace()))
                .filter(i -> i.getSpec().source != null && i.getSpec().source.type == SourceType.Rollout)
                .filter(i -> i.getSpec().affected.contains(ref) && i.getSpec().source.revision != null)
                .map(i -> i.getSpec().source.revision).filter(v -> v.matches("[0-9]+")).map(Long::parseLong)
                .collect(Collectors.toSet());
    }

    /** Events on the incident and (unless null) the Deployment, and the metric. */
    private void announce(Incident incident, Deployment d, RollbackRecord r) {
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
        for (var object : d == null ? List.<io.fabric8.kubernetes.api.model.HasMetadata>of(incident)
                : List.of(incident, d)) {
            if (warning) {
                events.warning(object, reason, message);
            } else {
                events.normal(object, reason, message);
            }
        }
        Counter.builder("firebreak.rollbacks").description("Rollback decisions and results, by state")
                .tag("state", r.state.name()).register(registry).increment();
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
