package dev.firebreak.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GitOpsOwnerTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Map.of(), Map.of(), null),
                Arguments.of(
                        Map.of(),
                        Map.of("argocd.argoproj.io/tracking-id", "shop:apps/Deployment:shop/checkout"),
                        "managed by Argo CD application shop"),
                Arguments.of(
                        Map.of("argocd.argoproj.io/instance", "shop-prod"),
                        Map.of(),
                        "managed by Argo CD application shop-prod"),
                Arguments.of(
                        Map.of(
                                "kustomize.toolkit.fluxcd.io/name",
                                "apps",
                                "kustomize.toolkit.fluxcd.io/namespace",
                                "flux-system"),
                        Map.of(),
                        "managed by Flux Kustomization flux-system/apps"),
                Arguments.of(
                        Map.of("helm.toolkit.fluxcd.io/name", "checkout"),
                        Map.of(),
                        "managed by Flux HelmRelease shop/checkout"),
                Arguments.of(
                        Map.of("kustomize.toolkit.fluxcd.io/name", "apps"),
                        Map.of("kustomize.toolkit.fluxcd.io/reconcile", "disabled"),
                        null),
                Arguments.of(Map.of("app.kubernetes.io/instance", "checkout"), Map.of(), null));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void detection(Map<String, String> labels, Map<String, String> annotations, String expected) {
        var d = new DeploymentBuilder()
                .withNewMetadata()
                .withName("checkout")
                .withNamespace("shop")
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .build();
        if (expected == null) {
            assertThat(GitOpsOwner.of(d)).isEmpty();
        } else {
            assertThat(GitOpsOwner.of(d))
                    .hasValueSatisfying(s -> assertThat(s).startsWith(expected).contains("revert the commit in Git"));
        }
    }
}
