package dev.firebreak.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.EscalationPolicySpec;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.spec.PolicyMatch;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyBindingTest {
    static EscalationPolicy policy(String name, List<Severity> severities, Map<String, String> labels) {
        EscalationPolicy p = new EscalationPolicy();
        p.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace("shop").build());
        p.setSpec(new EscalationPolicySpec());
        if (severities != null || labels != null) {
            p.getSpec().match = new PolicyMatch();
            if (severities != null) {
                p.getSpec().match.severities = severities;
            }
            if (labels != null) {
                p.getSpec().match.selector =
                        new LabelSelectorBuilder().withMatchLabels(labels).build();
            }
        }
        return p;
    }

    static final EscalationPolicy CATCH_ALL = policy("catch-all", null, null);
    static final EscalationPolicy SEVERE = policy("severe", List.of(Severity.Critical, Severity.High), null);
    static final EscalationPolicy CRITICAL = policy("critical", List.of(Severity.Critical), null);
    static final EscalationPolicy PAYMENTS = policy("payments", null, Map.of("team", "payments"));
    static final EscalationPolicy PAYMENTS_B = policy("payments-b", null, Map.of("team", "payments"));
    static final EscalationPolicy DEFAULT = policy("default", null, null);

    static Stream<Arguments> cases() {
        Map<String, String> payments = Map.of("team", "payments");
        return Stream.of(
                Arguments.of(
                        "named wins over every match",
                        Optional.of("severe"),
                        Severity.Low,
                        payments,
                        List.of(SEVERE, PAYMENTS),
                        "severe",
                        "named in spec.escalationPolicyRef"),
                Arguments.of(
                        "named but missing: the default",
                        Optional.of("gone"),
                        Severity.High,
                        Map.of(),
                        List.of(SEVERE),
                        "default",
                        "the named EscalationPolicy gone does not exist; using the default policy"),
                Arguments.of(
                        "selector beats severities",
                        Optional.empty(),
                        Severity.Critical,
                        payments,
                        List.of(CRITICAL, PAYMENTS, CATCH_ALL),
                        "payments",
                        null),
                Arguments.of(
                        "fewer severities beats more",
                        Optional.empty(),
                        Severity.Critical,
                        Map.of(),
                        List.of(SEVERE, CRITICAL, CATCH_ALL),
                        "critical",
                        null),
                Arguments.of(
                        "severities beat a catch-all",
                        Optional.empty(),
                        Severity.High,
                        Map.of(),
                        List.of(CATCH_ALL, SEVERE),
                        "severe",
                        null),
                Arguments.of(
                        "equal specificity: name",
                        Optional.empty(),
                        Severity.Low,
                        payments,
                        List.of(PAYMENTS_B, PAYMENTS),
                        "payments",
                        null),
                Arguments.of(
                        "severity not listed: catch-all",
                        Optional.empty(),
                        Severity.Low,
                        Map.of(),
                        List.of(SEVERE, CATCH_ALL),
                        "catch-all",
                        null),
                Arguments.of(
                        "no match: the default",
                        Optional.empty(),
                        Severity.Low,
                        Map.of(),
                        List.of(SEVERE),
                        "default",
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choose(
            String name,
            Optional<String> named,
            Severity severity,
            Map<String, String> labels,
            List<EscalationPolicy> policies,
            String expected,
            String reason) {
        PolicyBinding.Binding b =
                PolicyBinding.choose(named, severity, labels, policies, Optional.of(DEFAULT), Optional.of("default"));
        assertThat(b.policy().map(p -> p.getMetadata().getName())).contains(expected);
        if (reason != null) {
            assertThat(b.reason()).isEqualTo(reason);
        }
    }

    @Test
    void noMatchAndNoDefaultSaysSo() {
        PolicyBinding.Binding b = PolicyBinding.choose(
                Optional.empty(), Severity.Low, Map.of(), List.of(SEVERE), Optional.empty(), Optional.empty());
        assertThat(b.policy()).isEmpty();
        assertThat(b.reason())
                .isEqualTo("no EscalationPolicy in the namespace matches severity Low and the "
                        + "incident's labels, and no default policy is configured");
    }
}
