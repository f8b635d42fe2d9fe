package dev.firebreak.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.workload.Revisions;
import dev.firebreak.workload.RolloutScope;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeploymentRollbackTest {
    private static final LongFunction<String> CAUSE =
            to -> "firebreak: incident shop/inc rolled back revision 7 to " + to;

    /** checkout at revision {@code current} running image tag {@code current}. */
    static Deployment deployment(long current, String image) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("checkout")
                .withNamespace("shop")
                .withUid("d-uid")
                .withResourceVersion("4711")
                .addToAnnotations(Revisions.REVISION, Long.toString(current))
                .addToAnnotations("deployment.kubernetes.io/revision-history", "3")
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"kind\":\"Deployment\"}")
                .addToAnnotations(Revisions.CHANGE_CAUSE, "deploy " + image)
                .addToAnnotations("team", "payments")
                .addToAnnotations(RolloutScope.AUTO_ROLLBACK, "true")
                .endMetadata()
                .withNewSpec()
                .withReplicas(4)
                .withNewSelector()
                .addToMatchLabels("app", "checkout")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "checkout")
                .addToLabels("release", image)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("shop/checkout:" + image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The ReplicaSet of revision {@code revision}, image tag {@code image}, observed healthy or not. */
    static ReplicaSet rs(long revision, String image, boolean healthy) {
        ReplicaSetBuilder b = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName("checkout-h" + revision)
                .withNamespace("shop")
                .addToAnnotations(Revisions.REVISION, Long.toString(revision))
                .addToAnnotations("deployment.kubernetes.io/desired-replicas", "4")
                .addToAnnotations(Revisions.CHANGE_CAUSE, "deploy " + image)
                .addToAnnotations("team", "payments-" + image)
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withKind("Deployment")
                        .withName("checkout")
                        .withUid("d-uid")
                        .withController(true)
                        .build())
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "checkout")
                .addToLabels("release", image)
                .addToLabels("pod-template-hash", "h" + revision)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("shop/checkout:" + image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec();
        if (healthy) {
            b.editMetadata()
                    .addToAnnotations(Revisions.OBSERVED_HEALTHY, "2026-11-24T09:00:00Z")
                    .endMetadata();
        }
        return b.build();
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of(
                        "the previous revision, observed healthy",
                        7L,
                        "1.4.2",
                        List.of(rs(5, "1.4.0", true), rs(6, "1.4.1", true), rs(7, "1.4.2", false)),
                        Set.of(),
                        6L),
                Arguments.of(
                        "after an earlier rollback: the restored revision is the newest healthy one",
                        9L,
                        "1.5.0",
                        List.of(rs(7, "1.4.2", false), rs(8, "1.4.1", true), rs(9, "1.5.0", false)),
                        Set.of(7L),
                        8L),
                Arguments.of(
                        "the previous revision also failed: skip it",
                        7L,
                        "1.4.2",
                        List.of(rs(5, "1.4.0", true), rs(6, "1.4.1", true), rs(7, "1.4.2", false)),
                        Set.of(6L),
                        5L),
                Arguments.of(
                        "never observed healthy: no target",
                        7L,
                        "1.4.2",
                        List.of(rs(6, "1.4.1", false), rs(7, "1.4.2", false)),
                        Set.of(),
                        null),
                Arguments.of(
                        "no history (revisionHistoryLimit 0)",
                        7L,
                        "1.4.2",
                        List.of(rs(7, "1.4.2", false)),
                        Set.of(),
                        null),
                Arguments.of(
                        "another Deployment's ReplicaSets do not count",
                        7L,
                        "1.4.2",
                        List.of(foreign(rs(6, "1.4.1", true)), rs(7, "1.4.2", false)),
                        Set.of(),
                        null));
    }

    private static ReplicaSet foreign(ReplicaSet rs) {
        return new ReplicaSetBuilder(rs)
                .editMetadata()
                .editFirstOwnerReference()
                .withUid("other")
                .withName("other")
                .endOwnerReference()
                .endMetadata()
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void targetSelection(
            String name, long current, String image, List<ReplicaSet> history, Set<Long> implicated, Long expected) {
        DeploymentRollback.Outcome outcome =
                DeploymentRollback.plan(deployment(current, image), history, implicated, CAUSE);
        if (expected == null) {
            assertThat(outcome.plan()).isEmpty();
            assertThat(outcome.nothingToDo()).isFalse();
            assertThat(outcome.reason()).isNotBlank();
            return;
        }
        assertThat(outcome.plan()).hasValueSatisfying(p -> {
            assertThat(p.toRevision()).isEqualTo(expected);
            assertThat(p.fromRevision()).isEqualTo(current);
            assertThat(p.fromImages()).containsExactly("shop/checkout:" + image);
        });
    }

    @Test
    void theTemplateAndAnnotationsAreRestoredAsKubectlDoes() {
        var plan = DeploymentRollback.plan(
                        deployment(7, "1.4.2"), List.of(rs(6, "1.4.1", true), rs(7, "1.4.2", false)), Set.of(), CAUSE)
                .plan()
                .orElseThrow();
        assertThat(plan.template().getMetadata().getLabels())
                .containsExactly(Map.entry("app", "checkout"), Map.entry("release", "1.4.1"));
        assertThat(plan.toImages()).containsExactly("shop/checkout:1.4.1");
        assertThat(plan.annotations())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        // the Deployment's own
                        Revisions.REVISION,
                        "7",
                        "deployment.kubernetes.io/revision-history",
                        "3",
                        "kubectl.kubernetes.io/last-applied-configuration",
                        "{\"kind\":\"Deployment\"}",
                        // the ReplicaSet's others (not its desired-replicas, nor Firebreak's health marker): the
                        // Deployment's own "team" is replaced by the restored revision's
                        "team",
                        "payments-1.4.1",
                        // Firebreak's own opt-in stays
                        RolloutScope.AUTO_ROLLBACK,
                        "true",
                        // the change-cause says what happened
                        Revisions.CHANGE_CAUSE,
                        "firebreak: incident shop/inc rolled back revision 7 to 6"));
    }

    @Test
    void thePatchTestsTheResourceVersionAndReplacesTemplateAndAnnotationsOnly() {
        Deployment d = deployment(7, "1.4.2");
        var plan = DeploymentRollback.plan(d, List.of(rs(6, "1.4.1", true), rs(7, "1.4.2", false)), Set.of(), CAUSE)
                .plan()
                .orElseThrow();
        String patch = DeploymentRollback.patch(d, plan, new KubernetesSerialization());
        assertThat(patch)
                .startsWith("[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"4711\"},"
                        + "{\"op\":\"replace\",\"path\":\"/spec/template\",")
                .contains("{\"op\":\"replace\",\"path\":\"/metadata/annotations\",")
                .doesNotContain("replicas", "strategy", "pod-template-hash");
    }

    @Test
    void aPausedDeploymentIsRefused() {
        Deployment paused = new DeploymentBuilder(deployment(7, "1.4.2"))
                .editSpec()
                .withPaused(true)
                .endSpec()
                .build();
        var outcome =
                DeploymentRollback.plan(paused, List.of(rs(6, "1.4.1", true), rs(7, "1.4.2", false)), Set.of(), CAUSE);
        assertThat(outcome.plan()).isEmpty();
        assertThat(outcome.reason()).contains("paused");
    }

    @Test
    void aTemplateThatAlreadyMatchesIsNothingToDo() {
        var outcome = DeploymentRollback.plan(
                deployment(7, "1.4.1"), List.of(rs(6, "1.4.1", true), rs(7, "1.4.1", false)), Set.of(), CAUSE);
        assertThat(outcome.plan()).isEmpty();
        assertThat(outcome.nothingToDo()).isTrue();
    }

    @Test
    void unhealthyOrImplicatedRevisionsAreNamedInTheReason() {
        var outcome = DeploymentRollback.plan(
                deployment(7, "1.4.2"),
                Arrays.asList(rs(5, "1.4.0", false), rs(6, "1.4.1", true), rs(7, "1.4.2", false)),
                Set.of(6L),
                CAUSE);
        assertThat(outcome.reason())
                .isEqualTo("no earlier revision was observed healthy and is free of failures: "
                        + "5 (never seen healthy), 6 (implicated)");
    }
}
