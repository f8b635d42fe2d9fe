package dev.firebreak.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.spec.Remediation;
import dev.firebreak.api.v1alpha1.spec.RollbackMode;
import dev.firebreak.remediate.RollbackGuard.Attempt;
import dev.firebreak.remediate.RollbackGuard.Facts;
import dev.firebreak.remediate.RollbackGuard.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RollbackGuardTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant DETECTED = NOW.minusSeconds(60);
    private static final String KEY = "shop/Deployment/checkout";
    private static final RollbackGuard.Settings SETTINGS = new RollbackGuard.Settings(true, false,
            Duration.ofMinutes(30), Duration.ofMinutes(30), 3, Duration.ofMinutes(10));

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

    /** An opted-in (workload annotation), open, failing incident on a revision rolled out 5 minutes earlier. */
    private static Facts base() {
        return new Facts(spec(null, null, false), true, true, DETECTED, Map.of(RollbackGuard.ANNOTATION, "true"),
                Map.of(), Optional.empty(), DETECTED.minusSeconds(300), KEY, List.of());
    }

    private static Facts with(UnaryOperator<Facts> change) {
        return change.apply(base());
    }

    private static Facts facts(IncidentSpec spec, Map<String, String> annotations, Map<String, String> labels) {
        Facts b = base();
        return new Facts(spec, b.open(), b.evidenceStands(), b.detectedAt(), annotations, labels, b.gitOpsOwner(),
                b.currentRevisionSince(), b.workloadKey(), b.recentRollbacks());
    }

    private static Facts rollbacks(List<Attempt> attempts) {
        Facts b = base();
        return new Facts(b.spec(), b.open(), b.evidenceStands(), b.detectedAt(), b.workloadAnnotations(),
                b.namespaceLabels(), b.gitOpsOwner(), b.currentRevisionSince(), b.workloadKey(), attempts);
    }

    static Stream<Arguments> cases() {
        Map<String, String> optIn = Map.of(RollbackGuard.ANNOTATION, "true");
        Map<String, String> optOut = Map.of(RollbackGuard.ANNOTATION, "false");
        Facts b = base();
        return Stream.of(
                Arguments.of("opted in by the workload annotation", b, SETTINGS, Verdict.ACT, "automatic"),
                Arguments.of("opted in by the namespace label", facts(spec(null, null, false), Map.of(), optIn),
                        SETTINGS, Verdict.ACT, "automatic"),
                Arguments.of("opted in by the incident", facts(spec(RollbackMode.Auto, null, false), Map.of(),
                        Map.of()), SETTINGS, Verdict.ACT, "automatic"),
                Arguments.of("not opted in", facts(spec(null, null, false), Map.of(), Map.of()), SETTINGS,
                        Verdict.SKIP, "not opted in"),
                Arguments.of("Disabled on the incident wins over the annotation",
                        facts(spec(RollbackMode.Disabled, null, false), optIn, optIn), SETTINGS, Verdict.SKIP,
                        "Disabled for this incident"),
                Arguments.of("disabled on the workload wins over Auto", facts(spec(RollbackMode.Auto, null, false),
                        optOut, optIn), SETTINGS, Verdict.SKIP, "disabled for this workload"),
                Arguments.of("disabled on the namespace wins over Auto", facts(spec(RollbackMode.Auto, null, false),
                        Map.of(), optOut), SETTINGS, Verdict.SKIP, "disabled for this namespace"),
                Arguments.of("Manual proposes", facts(spec(RollbackMode.Manual, null, false), Map.of(), Map.of()),
                        SETTINGS, Verdict.PROPOSE, "waiting for approval"),
                Arguments.of("Manual and approved acts", facts(spec(RollbackMode.Manual, "alice", false), Map.of(),
                        Map.of()), SETTINGS, Verdict.ACT, "approved by alice"),
                Arguments.of("resolved incident", new Facts(b.spec(), false, true, DETECTED, b.workloadAnnotations(),
                        Map.of(), Optional.empty(), b.currentRevisionSince(), KEY, List.of()), SETTINGS,
                        Verdict.SKIP, "resolved"),
                Arguments.of("alerts no longer firing", new Facts(b.spec(), true, false, DETECTED,
                        b.workloadAnnotations(), Map.of(), Optional.empty(), b.currentRevisionSince(), KEY,
                        List.of()), SETTINGS, Verdict.SKIP, "failure is over"),
                Arguments.of("GitOps-managed", new Facts(b.spec(), true, true, DETECTED, b.workloadAnnotations(),
                        Map.of(), Optional.of("managed by Flux Kustomization flux-system/apps: revert"),
                        b.currentRevisionSince(), KEY, List.of()), SETTINGS, Verdict.SKIP, "managed by Flux"),
                Arguments.of("deploy outside the cause window", new Facts(b.spec(), true, true, DETECTED,
                        b.workloadAnnotations(), Map.of(), Optional.empty(), DETECTED.minus(Duration.ofHours(2)), KEY,
                        List.of()), SETTINGS, Verdict.SKIP, "probably not the cause"),
                Arguments.of("globally switched off", b, new RollbackGuard.Settings(false, false,
                        Duration.ofMinutes(30), Duration.ofMinutes(30), 3, Duration.ofMinutes(10)), Verdict.SKIP,
                        "switched off"),
                Arguments.of("cooldown", rollbacks(List.of(new Attempt(KEY, NOW.minusSeconds(600)))), SETTINGS,
                        Verdict.SKIP, "cooldown"),
                Arguments.of("cooldown over", rollbacks(List.of(new Attempt(KEY, NOW.minus(Duration.ofHours(1))))),
                        SETTINGS, Verdict.ACT, "automatic"),
                Arguments.of("circuit breaker", rollbacks(List.of(new Attempt("a/Deployment/x", NOW.minusSeconds(60)),
                        new Attempt("b/Deployment/y", NOW.minusSeconds(120)),
                        new Attempt("c/Deployment/z", NOW.minusSeconds(180)))), SETTINGS, Verdict.SKIP,
                        "circuit breaker open: 3 rollbacks"),
                Arguments.of("a human approval is not stopped by the breaker",
                        new Facts(spec(RollbackMode.Manual, "bob", false), true, true, DETECTED, Map.of(), Map.of(),
                                Optional.empty(), b.currentRevisionSince(), KEY,
                                List.of(new Attempt("a/Deployment/x", NOW.minusSeconds(60)),
                                        new Attempt("b/Deployment/y", NOW.minusSeconds(120)),
                                        new Attempt("c/Deployment/z", NOW.minusSeconds(180)))),
                        SETTINGS, Verdict.ACT, "approved by bob"),
                Arguments.of("drill", facts(spec(null, null, true), Map.of(RollbackGuard.ANNOTATION, "true"),
                        Map.of()), SETTINGS, Verdict.DRY_RUN, "drill"),
                Arguments.of("global dry run", b, new RollbackGuard.Settings(true, true, Duration.ofMinutes(30),
                        Duration.ofMinutes(30), 3, Duration.ofMinutes(10)), Verdict.DRY_RUN, "dry-run mode"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void guardrails(String name, Facts facts, RollbackGuard.Settings settings, Verdict verdict, String reason) {
        RollbackGuard.Decision d = RollbackGuard.decide(facts, settings, NOW);
        assertThat(d.verdict()).isEqualTo(verdict);
        assertThat(d.reason()).contains(reason);
    }
}
