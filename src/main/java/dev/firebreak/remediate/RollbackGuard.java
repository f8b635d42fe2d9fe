package dev.firebreak.remediate;

import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.spec.RollbackMode;
import dev.firebreak.api.v1alpha1.status.RollbackRecord;
import dev.firebreak.api.v1alpha1.status.RollbackState;
import dev.firebreak.time.Durations;
import dev.firebreak.workload.RolloutScope;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether Firebreak may roll a workload back for an incident, and if not, why. Pure: every input is observed by the
 * caller. The rules, first match wins:
 * <ol>
 * <li>Disabled anywhere wins: the incident's spec.remediation.rollback, the workload's annotation
 * {@code firebreak.dev/auto-rollback: "false"}, its namespace's label.
 * <li>Opt-in: spec.remediation.rollback Auto, the workload's annotation or its namespace's label "true"; Manual
 * proposes and waits for spec.remediation.approvedBy. Neither: not opted in.
 * <li>Only while the incident is open and its evidence (alerts, the failing rollout) still stands.
 * <li>GitOps-managed workloads are never patched: their controller would undo it within seconds.
 * <li>Cause window, both ends: the revision in force must be the one in force at detection (a later one is probably
 * the fix), not a Firebreak rollback, and have rolled out at most the window before detection. A human lifts this
 * rule by naming the revision in spec.remediation.revision.
 * <li>For automatic (not human-approved) rollbacks: the global switch, the workload's cooldown, and the cluster-wide
 * circuit breaker (many rollbacks at once usually means infrastructure, not a release).
 * <li>Drill incidents and the global dry-run mode decide everything and patch nothing.
 * </ol>
 */
public final class RollbackGuard {
    public enum Verdict {
        /** Patch the workload. */
        ACT,
        /** Decide and record everything, send the patch as a server-side dry run only. */
        DRY_RUN,
        /** Record the proposal, wait for approval. */
        PROPOSE,
        /** Do nothing; the reason says why. */
        SKIP
    }

    /** What to do, and why in words. */
    public record Decision(Verdict verdict, String reason) {}

    /**
     * What was observed about the incident and the workload.
     *
     * @param currentRevision the revision in force now
     * @param suspectRevision the revision that was in force when the incident was detected, once recorded
     * @param currentByRollback the change-cause, when the revision in force is a Firebreak rollback's (any incident's)
     */
    public record Facts(
            IncidentSpec spec,
            boolean open,
            boolean evidenceStands,
            Instant detectedAt,
            Map<String, String> workloadAnnotations,
            Map<String, String> namespaceLabels,
            Optional<String> gitOpsOwner,
            long currentRevision,
            Instant currentRevisionSince,
            Optional<Long> suspectRevision,
            Optional<ChangeCause> currentByRollback,
            String workloadKey,
            List<Attempt> recentRollbacks) {
        Optional<Long> requestedRevision() {
            return Optional.ofNullable(spec.remediation == null ? null : spec.remediation.revision);
        }
    }

    /** A rollback Firebreak started, anywhere in the cluster: which workload (namespace/Kind/name) and when. */
    public record Attempt(String workloadKey, Instant startedAt) {
        public static Optional<Attempt> of(String namespace, RollbackRecord r) {
            if (r == null
                    || r.startedAt == null
                    || r.workload == null
                    || r.state == RollbackState.Proposed
                    || r.state == RollbackState.Skipped) {
                return Optional.empty();
            }
            return Optional.of(new Attempt(namespace + "/" + r.workload, r.startedAt));
        }
    }

    public record Settings(
            boolean enabled,
            boolean dryRun,
            Duration causeWindow,
            Duration cooldown,
            int breakerMax,
            Duration breakerWindow) {}

    private RollbackGuard() {}

    public static Decision decide(Facts f, Settings s, Instant now) {
        Optional<Decision> notACandidate = notACandidate(f.spec(), f.workloadAnnotations(), f.namespaceLabels());
        if (notACandidate.isPresent()) {
            return notACandidate.get();
        }
        RollbackMode mode = f.spec().remediation == null ? null : f.spec().remediation.rollback;
        boolean approved = f.spec().remediation != null
                && f.spec().remediation.approvedBy != null
                && !f.spec().remediation.approvedBy.isBlank();
        if (!f.open()) {
            return skip("the incident is resolved");
        }
        if (!f.evidenceStands()) {
            return skip("the failure is over (alerts resolved, or the workload healthy again)");
        }
        if (f.gitOpsOwner().isPresent()) {
            return skip(f.gitOpsOwner().get());
        }
        Optional<Long> requested = f.requestedRevision();
        if (requested.isPresent()) {
            if (requested.get() != f.currentRevision()) {
                return skip("spec.remediation.revision asks to roll back revision " + requested.get()
                        + ", but revision " + f.currentRevision() + " is in force: nothing rolled back");
            }
        } else {
            Optional<Decision> outside = outsideCauseWindow(f, s);
            if (outside.isPresent()) {
                return outside.get();
            }
        }
        if (mode == RollbackMode.Manual && !approved) {
            return new Decision(Verdict.PROPOSE, "waiting for approval: kubectl firebreak approve-rollback");
        }
        if (!approved) {
            if (!s.enabled()) {
                return skip("automatic rollback is switched off (firebreak.rollback.enabled=false)");
            }
            Optional<Attempt> last = f.recentRollbacks().stream()
                    .filter(a -> a.workloadKey().equals(f.workloadKey()))
                    .filter(a -> a.startedAt().isAfter(now.minus(s.cooldown())))
                    .max(Comparator.comparing(Attempt::startedAt));
            if (last.isPresent()) {
                // No "how long ago": the reason must not change from one reconcile to the next.
                return skip("cooldown: this workload was rolled back at "
                        + last.get().startedAt() + " (cooldown " + Durations.format(s.cooldown()) + ")");
            }
            long recent = f.recentRollbacks().stream()
                    .filter(a -> a.startedAt().isAfter(now.minus(s.breakerWindow())))
                    .count();
            if (recent >= s.breakerMax()) {
                return skip("circuit breaker open: " + recent + " rollbacks in the last "
                        + Durations.format(s.breakerWindow()) + " (at most " + s.breakerMax() + "); many failures "
                        + "at once usually mean infrastructure, not a release");
            }
        }
        String who = approved ? "approved by " + f.spec().remediation.approvedBy.strip() : "automatic";
        if (f.spec().drill) {
            return new Decision(
                    Verdict.DRY_RUN, "drill: " + who + " rollback decided, nothing patched (server-side " + "dry run)");
        }
        if (s.dryRun()) {
            return new Decision(
                    Verdict.DRY_RUN,
                    "dry-run mode (firebreak.rollback.dry-run): " + who
                            + " rollback decided, nothing patched (server-side dry run)");
        }
        return new Decision(Verdict.ACT, who);
    }

    /**
     * The cause window, both ends: the revision in force must be the one that was in force when the incident was
     * detected (a later one is probably the fix), must not be a Firebreak rollback (rolling back a rollback reverts
     * to the bad revision), and must have rolled out at most the window before detection.
     */
    private static Optional<Decision> outsideCauseWindow(Facts f, Settings s) {
        String ask = "; to roll it back anyway, set spec.remediation.revision: " + f.currentRevision();
        if (f.currentByRollback().isPresent()) {
            ChangeCause c = f.currentByRollback().get();
            return Optional.of(skip("revision " + f.currentRevision() + " is Firebreak's rollback of revision "
                    + c.from() + " for incident " + c.incident() + ": a rollback is never rolled back automatically"
                    + ask));
        }
        if (f.suspectRevision().isPresent() && f.suspectRevision().get() != f.currentRevision()) {
            return Optional.of(skip("revision " + f.currentRevision() + " rolled out after the incident was detected "
                    + "(revision " + f.suspectRevision().get()
                    + " was in force then): probably the fix, not rolled back"
                    + ask));
        }
        if (f.currentRevisionSince() == null) {
            return Optional.of(skip("the current revision's rollout time is unknown, so the deploy cannot be tied to "
                    + "the incident"));
        }
        if (f.currentRevisionSince().isAfter(f.detectedAt())) {
            return Optional.of(skip("revision " + f.currentRevision() + " rolled out after the incident was detected: "
                    + "probably the fix, not rolled back" + ask));
        }
        if (f.currentRevisionSince().isBefore(f.detectedAt().minus(s.causeWindow()))) {
            return Optional.of(skip("the current revision rolled out "
                    + Durations.format(Duration.between(f.currentRevisionSince(), f.detectedAt()))
                    + " before the incident, more than the cause window ("
                    + Durations.format(s.causeWindow()) + "): the deploy is probably not the cause"));
        }
        return Optional.empty();
    }

    /**
     * What a decision is taken on, for {@link RollbackRecord#decidedOn}: a Skipped or Proposed decision is taken again
     * only when one of these changes. Time enters only through the cooldown and the circuit breaker, as the moment
     * each of them opens or closes.
     */
    public static Map<String, String> inputs(Facts f, Settings s, Instant now) {
        Map<String, String> in = new TreeMap<>(candidacy(f.spec(), f.workloadAnnotations(), f.namespaceLabels()));
        in.put("revision", Long.toString(f.currentRevision()));
        f.requestedRevision().ifPresent(r -> in.put("requestedRevision", Long.toString(r)));
        in.put("open", Boolean.toString(f.open()));
        in.put("evidence", f.evidenceStands() ? "stands" : "over");
        f.gitOpsOwner().ifPresent(o -> in.put("gitOps", o));
        if (!s.enabled()) {
            in.put("enabled", "false");
        }
        if (s.dryRun() || f.spec().drill) {
            in.put("dryRun", "true");
        }
        f.recentRollbacks().stream()
                .filter(a -> a.workloadKey().equals(f.workloadKey()))
                .filter(a -> a.startedAt().isAfter(now.minus(s.cooldown())))
                .max(Comparator.comparing(Attempt::startedAt))
                .ifPresent(a -> in.put("cooldown", "until " + a.startedAt().plus(s.cooldown())));
        if (f.recentRollbacks().stream()
                        .filter(a -> a.startedAt().isAfter(now.minus(s.breakerWindow())))
                        .count()
                >= s.breakerMax()) {
            in.put("breaker", "open");
        }
        return in;
    }

    /** The inputs of the first two rules (see {@link #notACandidate}). */
    public static Map<String, String> candidacy(
            IncidentSpec spec, Map<String, String> workloadAnnotations, Map<String, String> namespaceLabels) {
        Map<String, String> in = new TreeMap<>();
        if (spec.remediation != null && spec.remediation.rollback != null) {
            in.put("mode", spec.remediation.rollback.name());
        }
        if (spec.remediation != null && spec.remediation.approvedBy != null && !spec.remediation.approvedBy.isBlank()) {
            in.put("approvedBy", spec.remediation.approvedBy.strip());
        }
        if (workloadAnnotations.containsKey(RolloutScope.AUTO_ROLLBACK)) {
            in.put("workloadAnnotation", workloadAnnotations.get(RolloutScope.AUTO_ROLLBACK));
        }
        if (namespaceLabels.containsKey(RolloutScope.AUTO_ROLLBACK)) {
            in.put("namespaceLabel", namespaceLabels.get(RolloutScope.AUTO_ROLLBACK));
        }
        return in;
    }

    /** What changed between two sets of inputs, in words: "revision 2 -> 3, approvedBy (none) -> alice". */
    public static String changes(Map<String, String> before, Map<String, String> after) {
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        return String.join(
                ", ",
                keys.stream()
                        .filter(k -> !Objects.equals(before.get(k), after.get(k)))
                        .map(k -> k + " " + before.getOrDefault(k, "(none)") + " -> " + after.getOrDefault(k, "(none)"))
                        .toList());
    }

    /**
     * The first two rules, which need no history of the workload: disabled anywhere, or not opted in. Present when
     * the workload is not a candidate at all, so the caller need not read its revisions.
     */
    public static Optional<Decision> notACandidate(
            IncidentSpec spec, Map<String, String> workloadAnnotations, Map<String, String> namespaceLabels) {
        RollbackMode mode = spec.remediation == null ? null : spec.remediation.rollback;
        String annotation = workloadAnnotations.get(RolloutScope.AUTO_ROLLBACK);
        String label = namespaceLabels.get(RolloutScope.AUTO_ROLLBACK);
        if (mode == RollbackMode.Disabled) {
            return Optional.of(notACandidate("rollback is Disabled for this incident (spec.remediation.rollback)"));
        }
        if ("false".equals(annotation)) {
            return Optional.of(notACandidate("rollback is disabled for this workload (annotation "
                    + RolloutScope.AUTO_ROLLBACK + ": \"false\")"));
        }
        if ("false".equals(label)) {
            return Optional.of(notACandidate(
                    "rollback is disabled for this namespace (label " + RolloutScope.AUTO_ROLLBACK + ": \"false\")"));
        }
        boolean auto = mode == RollbackMode.Auto || "true".equals(annotation) || ("true".equals(label) && mode == null);
        if (mode != RollbackMode.Manual && !auto) {
            return Optional.of(notACandidate("not opted in: annotate the workload " + RolloutScope.AUTO_ROLLBACK
                    + ": \"true\", " + "label its namespace, or set spec.remediation.rollback to Auto or Manual"));
        }
        return Optional.empty();
    }

    private static Decision notACandidate(String reason) {
        return new Decision(Verdict.SKIP, reason);
    }

    private static Decision skip(String reason) {
        return new Decision(Verdict.SKIP, reason);
    }
}
