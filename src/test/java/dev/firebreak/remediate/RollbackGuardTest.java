package dev.firebreak.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.spec.Remediation;
import dev.firebreak.api.v1alpha1.spec.RollbackMode;
import dev.firebreak.remediate.RollbackGuard.Attempt;
import dev.firebreak.remediate.RollbackGuard.Facts;
import dev.firebreak.remediate.RollbackGuard.Verdict;
import dev.firebreak.workload.RolloutScope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RollbackGuardTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant DETECTED = NOW.minusSeconds(60);
    private static final String KEY = "shop/Deployment/checkout";
    private static final RollbackGuard.Settings SETTINGS = new RollbackGuard.Settings(
            true, false, Duration.ofMinutes(30), Duration.ofMinutes(30), 3, Duration.ofMinutes(10));

    private static IncidentSpec spec(RollbackMode mode, String approvedBy, boolean drill) {
        IncidentSpec spec = new IncidentSpec();
        spec.title = "checkout failing";
        spec.drill = drill;
        if (mode != null || approvedBy != null) {
            spec.remediation = new Remediation(mode);
            spec.remediation.approvedBy = approvedBy;
        }
        return spec;
    }

    /** The facts of a case: by default an opted-in (workload annotation), open, failing incident on revision 7. */
    private static final class F {
        IncidentSpec spec = spec(null, null, false);
        boolean open = true;
        boolean evidence = true;
        Map<String, String> annotations = Map.of(RolloutScope.AUTO_ROLLBACK, "true");
        Map<String, String> labels = Map.of();
        Optional<String> gitOps = Optional.empty();
        long current = 7;
        /** Rolled out 5 minutes before the incident was detected. */
        Instant since = DETECTED.minusSeconds(300);

        Optional<Long> suspect = Optional.empty();
        Optional<ChangeCause> byRollback = Optional.empty();
        List<Attempt> attempts = List.of();

        F with(Consumer<F> change) {
            change.accept(this);
            return this;
        }

        Facts build() {
            return new Facts(
                    spec,
                    open,
                    evidence,
                    DETECTED,
                    annotations,
                    labels,
                    gitOps,
                    current,
                    since,
                    suspect,
                    byRollback,
                    KEY,
                    attempts);
        }
    }

    private static Facts base() {
        return new F().build();
    }

    private static Facts with(Consumer<F> change) {
        return new F().with(change).build();
    }

    private static Facts facts(IncidentSpec spec, Map<String, String> annotations, Map<String, String> labels) {
        return with(f -> {
            f.spec = spec;
            f.annotations = annotations;
            f.labels = labels;
        });
    }

    private static Facts rollbacks(List<Attempt> attempts) {
        return with(f -> f.attempts = attempts);
    }

    private static IncidentSpec asking(long revision, RollbackMode mode) {
        IncidentSpec spec = spec(mode, null, false);
        spec.remediation = spec.remediation == null ? new Remediation() : spec.remediation;
        spec.remediation.revision = revision;
        return spec;
    }

    static Stream<Arguments> cases() {
        Map<String, String> optIn = Map.of(RolloutScope.AUTO_ROLLBACK, "true");
        Map<String, String> optOut = Map.of(RolloutScope.AUTO_ROLLBACK, "false");
        Facts b = base();
        return Stream.of(
                Arguments.of("opted in by the workload annotation", b, SETTINGS, Verdict.ACT, "automatic"),
                Arguments.of(
                        "opted in by the namespace label",
                        facts(spec(null, null, false), Map.of(), optIn),
                        SETTINGS,
                        Verdict.ACT,
                        "automatic"),
                Arguments.of(
                        "opted in by the incident",
                        facts(spec(RollbackMode.Auto, null, false), Map.of(), Map.of()),
                        SETTINGS,
                        Verdict.ACT,
                        "automatic"),
                Arguments.of(
                        "not opted in",
                        facts(spec(null, null, false), Map.of(), Map.of()),
                        SETTINGS,
                        Verdict.SKIP,
                        "not opted in"),
                Arguments.of(
                        "Disabled on the incident wins over the annotation",
                        facts(spec(RollbackMode.Disabled, null, false), optIn, optIn),
                        SETTINGS,
                        Verdict.SKIP,
                        "Disabled for this incident"),
                Arguments.of(
                        "disabled on the workload wins over Auto",
                        facts(spec(RollbackMode.Auto, null, false), optOut, optIn),
                        SETTINGS,
                        Verdict.SKIP,
                        "disabled for this workload"),
                Arguments.of(
                        "disabled on the namespace wins over Auto",
                        facts(spec(RollbackMode.Auto, null, false), Map.of(), optOut),
                        SETTINGS,
                        Verdict.SKIP,
                        "disabled for this namespace"),
                Arguments.of(
                        "Manual proposes",
                        facts(spec(RollbackMode.Manual, null, false), Map.of(), Map.of()),
                        SETTINGS,
                        Verdict.PROPOSE,
                        "waiting for approval"),
                Arguments.of(
                        "Manual and approved acts",
                        facts(spec(RollbackMode.Manual, "alice", false), Map.of(), Map.of()),
                        SETTINGS,
                        Verdict.ACT,
                        "approved by alice"),
                Arguments.of("resolved incident", with(f -> f.open = false), SETTINGS, Verdict.SKIP, "resolved"),
                Arguments.of(
                        "alerts no longer firing",
                        with(f -> f.evidence = false),
                        SETTINGS,
                        Verdict.SKIP,
                        "failure is over"),
                Arguments.of(
                        "GitOps-managed",
                        with(f -> f.gitOps = Optional.of("managed by Flux Kustomization flux-system/apps: revert")),
                        SETTINGS,
                        Verdict.SKIP,
                        "managed by Flux"),
                // The cause window, the old end: a deploy long before the incident is probably not its cause.
                Arguments.of(
                        "deploy outside the cause window",
                        with(f -> f.since = DETECTED.minus(Duration.ofHours(2))),
                        SETTINGS,
                        Verdict.SKIP,
                        "probably not the cause"),
                Arguments.of(
                        "deploy at the very start of the cause window",
                        with(f -> f.since = DETECTED.minus(Duration.ofMinutes(30))),
                        SETTINGS,
                        Verdict.ACT,
                        "automatic"),
                Arguments.of(
                        "deploy in the same second as the detection",
                        with(f -> f.since = DETECTED),
                        SETTINGS,
                        Verdict.ACT,
                        "automatic"),
                Arguments.of("rollout time unknown", with(f -> f.since = null), SETTINGS, Verdict.SKIP, "unknown"),
                // The new end: a revision that rolled out after detection is probably the fix.
                Arguments.of(
                        "a revision rolled out after detection",
                        with(f -> f.since = DETECTED.plusSeconds(1)),
                        SETTINGS,
                        Verdict.SKIP,
                        "revision 7 rolled out after the incident was detected: probably the "
                                + "fix, not rolled back; to roll it back anyway, set spec.remediation.revision: 7"),
                Arguments.of(
                        "the revision in force at detection was 6, now 7 (a fix, or a human's undo)",
                        with(f -> f.suspect = Optional.of(6L)),
                        SETTINGS,
                        Verdict.SKIP,
                        "revision 7 rolled out after the incident was detected (revision 6 was in force then)"),
                Arguments.of(
                        "still the revision in force at detection",
                        with(f -> f.suspect = Optional.of(7L)),
                        SETTINGS,
                        Verdict.ACT,
                        "automatic"),
                Arguments.of(
                        "the revision in force is Firebreak's rollback (another incident's)",
                        with(f -> f.byRollback = Optional.of(new ChangeCause("shop/old", "uid-1", 6, 5))),
                        SETTINGS,
                        Verdict.SKIP,
                        "revision 7 is Firebreak's rollback of revision 6 for incident shop/old: a "
                                + "rollback is never rolled back automatically"),
                // A human names the revision: the window's ends no longer apply, everything else does.
                Arguments.of(
                        "a human asks for the revision that rolled out after detection",
                        with(f -> {
                            f.spec = asking(7, null);
                            f.suspect = Optional.of(6L);
                            f.since = DETECTED.plusSeconds(600);
                        }),
                        SETTINGS,
                        Verdict.ACT,
                        "automatic"),
                Arguments.of(
                        "a human asks for a revision from long ago",
                        with(f -> {
                            f.spec = asking(7, null);
                            f.since = DETECTED.minus(Duration.ofDays(3));
                        }),
                        SETTINGS,
                        Verdict.ACT,
                        "automatic"),
                Arguments.of(
                        "a human asks to roll back a rollback",
                        with(f -> {
                            f.spec = asking(7, null);
                            f.byRollback = Optional.of(new ChangeCause("shop/old", "uid-1", 6, 5));
                        }),
                        SETTINGS,
                        Verdict.ACT,
                        "automatic"),
                Arguments.of(
                        "a human asks for a revision no longer in force",
                        with(f -> f.spec = asking(6, null)),
                        SETTINGS,
                        Verdict.SKIP,
                        "asks to roll back revision 6, but revision 7 is in force"),
                Arguments.of(
                        "asking is no opt-in",
                        with(f -> {
                            f.spec = asking(7, null);
                            f.annotations = Map.of();
                        }),
                        SETTINGS,
                        Verdict.SKIP,
                        "not opted in"),
                Arguments.of(
                        "asking with Manual still waits for approval",
                        with(f -> {
                            f.spec = asking(7, RollbackMode.Manual);
                            f.annotations = Map.of();
                        }),
                        SETTINGS,
                        Verdict.PROPOSE,
                        "waiting for approval"),
                Arguments.of(
                        "globally switched off",
                        b,
                        new RollbackGuard.Settings(
                                false,
                                false,
                                Duration.ofMinutes(30),
                                Duration.ofMinutes(30),
                                3,
                                Duration.ofMinutes(10)),
                        Verdict.SKIP,
                        "switched off"),
                Arguments.of(
                        "cooldown",
                        rollbacks(List.of(new Attempt(KEY, NOW.minusSeconds(600)))),
                        SETTINGS,
                        Verdict.SKIP,
                        "cooldown"),
                Arguments.of(
                        "cooldown over",
                        rollbacks(List.of(new Attempt(KEY, NOW.minus(Duration.ofHours(1))))),
                        SETTINGS,
                        Verdict.ACT,
                        "automatic"),
                Arguments.of(
                        "circuit breaker",
                        rollbacks(List.of(
                                new Attempt("a/Deployment/x", NOW.minusSeconds(60)),
                                new Attempt("b/Deployment/y", NOW.minusSeconds(120)),
                                new Attempt("c/Deployment/z", NOW.minusSeconds(180)))),
                        SETTINGS,
                        Verdict.SKIP,
                        "circuit breaker open: 3 rollbacks"),
                Arguments.of(
                        "a human approval is not stopped by the breaker",
                        with(f -> {
                            f.spec = spec(RollbackMode.Manual, "bob", false);
                            f.annotations = Map.of();
                            f.attempts = List.of(
                                    new Attempt("a/Deployment/x", NOW.minusSeconds(60)),
                                    new Attempt("b/Deployment/y", NOW.minusSeconds(120)),
                                    new Attempt("c/Deployment/z", NOW.minusSeconds(180)));
                        }),
                        SETTINGS,
                        Verdict.ACT,
                        "approved by bob"),
                Arguments.of(
                        "drill",
                        facts(spec(null, null, true), Map.of(RolloutScope.AUTO_ROLLBACK, "true"), Map.of()),
                        SETTINGS,
                        Verdict.DRY_RUN,
                        "drill"),
                Arguments.of(
                        "global dry run",
                        b,
                        new RollbackGuard.Settings(
                                true, true, Duration.ofMinutes(30), Duration.ofMinutes(30), 3, Duration.ofMinutes(10)),
                        Verdict.DRY_RUN,
                        "dry-run mode"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void guardrails(String name, Facts facts, RollbackGuard.Settings settings, Verdict verdict, String reason) {
        RollbackGuard.Decision d = RollbackGuard.decide(facts, settings, NOW);
        assertThat(d.verdict()).isEqualTo(verdict);
        assertThat(d.reason()).contains(reason);
    }

    /** One decision per set of inputs: what changes them (and so makes Firebreak decide again), and what does not. */
    static Stream<Arguments> inputs() {
        return Stream.of(
                Arguments.of("nothing changed, a minute later", base(), NOW.plusSeconds(60), ""),
                Arguments.of("the rollout time is no input", with(f -> f.since = DETECTED.minusSeconds(10)), NOW, ""),
                Arguments.of("a new revision (a fix)", with(f -> f.current = 8), NOW, "revision 7 -> 8"),
                Arguments.of(
                        "an approval",
                        with(f -> f.spec = spec(null, "alice", false)),
                        NOW,
                        "approvedBy (none) -> alice"),
                Arguments.of(
                        "a human names the revision",
                        with(f -> f.spec = asking(7, null)),
                        NOW,
                        "requestedRevision (none) -> 7"),
                Arguments.of(
                        "the opt-in removed",
                        with(f -> f.annotations = Map.of()),
                        NOW,
                        "workloadAnnotation true -> (none)"),
                Arguments.of("the alerts resolved", with(f -> f.evidence = false), NOW, "evidence stands -> over"),
                Arguments.of(
                        "a rollback elsewhere starts this workload's cooldown",
                        rollbacks(List.of(new Attempt(KEY, NOW.minusSeconds(60)))),
                        NOW,
                        "cooldown (none) -> until 2026-11-24T10:29:00Z"),
                Arguments.of(
                        "the circuit breaker opens",
                        rollbacks(List.of(
                                new Attempt("a/Deployment/x", NOW),
                                new Attempt("b/Deployment/y", NOW),
                                new Attempt("c/Deployment/z", NOW))),
                        NOW,
                        "breaker (none) -> open"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void aDecisionIsTakenAgainOnlyWhenAnInputChanged(String name, Facts after, Instant at, String changes) {
        var before = RollbackGuard.inputs(base(), SETTINGS, NOW);
        var now = RollbackGuard.inputs(after, SETTINGS, at);
        assertThat(RollbackGuard.changes(before, now)).isEqualTo(changes);
        assertThat(before.equals(now)).isEqualTo(changes.isEmpty());
    }

    @Test
    void aCooldownEndingIsAnInputChange() {
        Facts f = rollbacks(List.of(new Attempt(KEY, NOW.minusSeconds(600))));
        var during = RollbackGuard.inputs(f, SETTINGS, NOW);
        var after = RollbackGuard.inputs(f, SETTINGS, NOW.plus(Duration.ofMinutes(21)));
        assertThat(RollbackGuard.changes(during, after)).isEqualTo("cooldown until 2026-11-24T10:20:00Z -> (none)");
    }
}
