package dev.firebreak.intake.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Where the intake opens incidents whose alerts name no watched namespace: always a watched one. */
class DefaultNamespaceTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "all namespaces watched, none configured: the operator's",
                        Optional.empty(),
                        Optional.empty(),
                        "firebreak-system"),
                Arguments.of(
                        "all namespaces watched, one configured: it",
                        Optional.of("oncall"),
                        Optional.empty(),
                        "oncall"),
                Arguments.of(
                        "namespaced, the operator's watched: the operator's",
                        Optional.empty(),
                        Optional.of(Set.of("shop", "firebreak-system")),
                        "firebreak-system"),
                Arguments.of(
                        "namespaced, the operator's not watched: the first watched, not the operator's "
                                + "(no RBAC there, never reconciled)",
                        Optional.empty(),
                        Optional.of(Set.of("shop", "payments")),
                        "payments"),
                Arguments.of(
                        "namespaced, a watched one configured: it",
                        Optional.of("shop"),
                        Optional.of(Set.of("shop", "payments")),
                        "shop"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isAlwaysWatched(String name, Optional<String> configured, Optional<Set<String>> watched, String expected) {
        assertThat(AlertmanagerIntake.defaultNamespace(configured, "firebreak-system", watched))
                .isEqualTo(expected);
    }

    @Test
    void aConfiguredNamespaceThatIsNotWatchedStopsTheStartNamingTheProperty() {
        assertThatThrownBy(() -> AlertmanagerIntake.defaultNamespace(
                        Optional.of("kube-system"), "firebreak-system", Optional.of(Set.of("shop"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("firebreak.intake.default-namespace is kube-system")
                .hasMessageContaining("does not watch (namespaces: shop)");
    }
}
