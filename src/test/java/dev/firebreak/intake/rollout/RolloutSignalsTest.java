package dev.firebreak.intake.rollout;

import static dev.firebreak.intake.rollout.RolloutFixtures.condition;
import static dev.firebreak.intake.rollout.RolloutFixtures.daemonSet;
import static dev.firebreak.intake.rollout.RolloutFixtures.deployment;
import static dev.firebreak.intake.rollout.RolloutFixtures.pod;
import static dev.firebreak.intake.rollout.RolloutFixtures.replicaSet;
import static dev.firebreak.intake.rollout.RolloutFixtures.revision;
import static dev.firebreak.intake.rollout.RolloutFixtures.running;
import static dev.firebreak.intake.rollout.RolloutFixtures.statefulSet;
import static dev.firebreak.intake.rollout.RolloutFixtures.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.workload.Revisions;
import dev.firebreak.workload.Workload;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutSignalsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant YOUNG = NOW.minusSeconds(30);
    private static final Instant OLD = NOW.minus(Duration.ofMinutes(3));
    private static final RolloutSignals.Thresholds THRESHOLDS = new RolloutSignals.Thresholds(3, Duration.ofMinutes(2));

    /** checkout at revision 2 (hash new), revision 1 (hash old) still serving; pods of either revision given. */
    private static Optional<RolloutFailure> checkout(
            List<DeploymentCondition> conditions, List<Pod> newPods, List<Pod> oldPods) {
        Deployment d = deployment("checkout", 2, 4, 1, 3, conditions.toArray(DeploymentCondition[]::new));
        ReplicaSet newRs = replicaSet(d, 2, "new");
        ReplicaSet oldRs = replicaSet(d, 1, "old");
        List<Pod> pods = Stream.concat(
                        newPods.stream().map(p -> ownedBy(p, newRs)),
                        oldPods.stream().map(p -> ownedBy(p, oldRs)))
                .toList();
        return RolloutSignals.deployment(d, List.of(oldRs, newRs), pods, THRESHOLDS, NOW);
    }

    private static Pod ownedBy(Pod template, ReplicaSet rs) {
        return new PodBuilder(pod(
                        template.getMetadata().getName(),
                        rs,
                        "ReplicaSet",
                        Revisions.POD_TEMPLATE_HASH,
                        rs.getMetadata().getLabels().get(Revisions.POD_TEMPLATE_HASH),
                        Instant.parse(template.getStatus().getStartTime()),
                        template.getStatus().getContainerStatuses().toArray(ContainerStatus[]::new)))
                .editStatus()
                .withInitContainerStatuses(template.getStatus().getInitContainerStatuses())
                .endStatus()
                .editMetadata()
                .withDeletionTimestamp(template.getMetadata().getDeletionTimestamp())
                .endMetadata()
                .build();
    }

    private static Pod p(String name, Instant started, ContainerStatus status) {
        Deployment placeholder = deployment("placeholder", 1, 1, 1, 1);
        return pod(name, placeholder, "ReplicaSet", "x", "x", started, status);
    }

    static Stream<Arguments> deployments() {
        return Stream.of(
                Arguments.of(
                        "progress deadline exceeded",
                        List.of(condition("Progressing", "False", "ProgressDeadlineExceeded")),
                        List.of(),
                        List.of(),
                        "ProgressDeadlineExceeded"),
                Arguments.of(
                        "replica set create error",
                        List.of(condition("Progressing", "False", "ReplicaSetCreateError")),
                        List.of(),
                        List.of(),
                        "ReplicaSetCreateError"),
                Arguments.of(
                        "replica failure (quota)",
                        List.of(condition("ReplicaFailure", "True", "FailedCreate")),
                        List.of(),
                        List.of(),
                        "ReplicaFailure"),
                Arguments.of(
                        "still progressing, pods starting",
                        List.of(condition("Progressing", "True", "ReplicaSetUpdated")),
                        List.of(p("a", YOUNG, running())),
                        List.of(),
                        null),
                Arguments.of(
                        "new pods crash-loop past the restart threshold",
                        List.of(),
                        List.of(
                                p("a", YOUNG, waiting("CrashLoopBackOff", 3)),
                                p("b", YOUNG, waiting("CrashLoopBackOff", 5))),
                        List.of(),
                        "CrashLoopBackOff"),
                Arguments.of(
                        "new pods crash-loop, too few restarts, too young",
                        List.of(),
                        List.of(p("a", YOUNG, waiting("CrashLoopBackOff", 2))),
                        List.of(),
                        null),
                Arguments.of(
                        "new pod crash-loops with few restarts for longer than the threshold",
                        List.of(),
                        List.of(p("a", OLD, waiting("CrashLoopBackOff", 1))),
                        List.of(),
                        "CrashLoopBackOff"),
                Arguments.of(
                        "image pull back-off, young",
                        List.of(),
                        List.of(p("a", YOUNG, waiting("ImagePullBackOff", 0))),
                        List.of(),
                        null),
                Arguments.of(
                        "image pull back-off past the duration",
                        List.of(),
                        List.of(p("a", OLD, waiting("ImagePullBackOff", 0))),
                        List.of(),
                        "ImagePullBackOff"),
                Arguments.of(
                        "err image pull",
                        List.of(),
                        List.of(p("a", OLD, waiting("ErrImagePull", 0))),
                        List.of(),
                        "ErrImagePull"),
                Arguments.of(
                        "config error",
                        List.of(),
                        List.of(p("a", OLD, waiting("CreateContainerConfigError", 0))),
                        List.of(),
                        "CreateContainerConfigError"),
                Arguments.of(
                        "create container error",
                        List.of(),
                        List.of(p("a", OLD, waiting("CreateContainerError", 0))),
                        List.of(),
                        "CreateContainerError"),
                Arguments.of(
                        "a waiting reason that is not a failure",
                        List.of(),
                        List.of(p("a", OLD, waiting("ContainerCreating", 0))),
                        List.of(),
                        null),
                Arguments.of(
                        "only pods of the old revision crash-loop",
                        List.of(),
                        List.of(p("a", OLD, running())),
                        List.of(p("b", OLD, waiting("CrashLoopBackOff", 9))),
                        null),
                Arguments.of(
                        "the most common reason names the signal",
                        List.of(),
                        List.of(
                                p("a", OLD, waiting("ImagePullBackOff", 0)),
                                p("b", OLD, waiting("ErrImagePull", 0)),
                                p("c", OLD, waiting("ErrImagePull", 0))),
                        List.of(),
                        "ErrImagePull"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void deploymentSignals(
            String name, List<DeploymentCondition> conditions, List<Pod> newPods, List<Pod> oldPods, String signal) {
        Optional<RolloutFailure> failure = checkout(conditions, newPods, oldPods);
        if (signal == null) {
            assertThat(failure).isEmpty();
            return;
        }
        assertThat(failure).hasValueSatisfying(f -> {
            assertThat(f.signal()).isEqualTo(signal);
            assertThat(f.kind()).isEqualTo(WorkloadKind.Deployment);
            assertThat(f.revision()).isEqualTo("2");
            assertThat(f.images()).containsExactly("shop/checkout:2", "envoy:1.30");
            assertThat(f.incidentName()).isEqualTo("rollout-deploy-checkout-2");
        });
    }

    @Test
    void manyFailingPodsAreOneFailureThatCountsThem() {
        RolloutFailure f = checkout(
                        List.of(),
                        List.of(
                                p("a", OLD, waiting("CrashLoopBackOff", 4)),
                                p("b", OLD, waiting("CrashLoopBackOff", 4)),
                                p("c", OLD, running())),
                        List.of())
                .orElseThrow();
        assertThat(f.detail()).isEqualTo("2 of 3 pods waiting in CrashLoopBackOff");
        assertThat(f.title())
                .isEqualTo("Deployment shop/checkout revision 2 failing: 2 of 3 pods waiting in CrashLoopBackOff");
    }

    @Test
    void aStalledDeploymentSaysWhatItsPodsDo() {
        RolloutFailure f = checkout(
                        List.of(condition("Progressing", "False", "ProgressDeadlineExceeded")),
                        List.of(p("a", OLD, waiting("ImagePullBackOff", 0))),
                        List.of())
                .orElseThrow();
        assertThat(f.detail())
                .isEqualTo(
                        "ProgressDeadlineExceeded (Progressing ProgressDeadlineExceeded); 1 of 1 pod waiting in ImagePullBackOff");
    }

    @Test
    void initContainersCount() {
        Pod initFailing = new PodBuilder(p("a", OLD, running()))
                .editStatus()
                .withInitContainerStatuses(waiting("CreateContainerConfigError", 0))
                .endStatus()
                .build();
        assertThat(checkout(List.of(), List.of(initFailing), List.of()))
                .map(RolloutFailure::signal)
                .hasValue("CreateContainerConfigError");
    }

    @Test
    void terminatingPodsDoNotCount() {
        Pod terminating = new PodBuilder(p("a", OLD, waiting("CrashLoopBackOff", 9)))
                .editMetadata()
                .withDeletionTimestamp(NOW.toString())
                .endMetadata()
                .build();
        assertThat(checkout(List.of(), List.of(terminating), List.of())).isEmpty();
    }

    @Test
    void aStatefulSetFailsOnItsUpdateRevisionOnly() {
        var sts = statefulSet("db", "db-5f6b7", "db-7c8d9");
        Pod updated = pod(
                "db-2",
                sts,
                "StatefulSet",
                Revisions.CONTROLLER_REVISION_HASH,
                "db-7c8d9",
                OLD,
                waiting("ImagePullBackOff", 0));
        Pod current = pod(
                "db-0",
                sts,
                "StatefulSet",
                Revisions.CONTROLLER_REVISION_HASH,
                "db-5f6b7",
                OLD,
                waiting("CrashLoopBackOff", 9));
        RolloutFailure f = RolloutSignals.statefulSet(sts, List.of(updated, current), THRESHOLDS, NOW)
                .orElseThrow();
        assertThat(f.signal()).isEqualTo("ImagePullBackOff");
        assertThat(f.revision()).isEqualTo("db-7c8d9");
        assertThat(f.images()).containsExactly("postgres:17");
        assertThat(f.detail()).isEqualTo("1 of 1 pod waiting in ImagePullBackOff");
        assertThat(f.incidentName()).isEqualTo("rollout-sts-db-7c8d9");
        assertThat(RolloutSignals.statefulSet(sts, List.of(current), THRESHOLDS, NOW))
                .isEmpty();
    }

    @Test
    void aDaemonSetFailsOnItsNewestControllerRevisionOnly() {
        var ds = daemonSet("agent");
        var old = revision(ds, "DaemonSet", 1, "6d5f");
        var newest = revision(ds, "DaemonSet", 2, "9a8b");
        Pod failing = pod(
                "agent-x",
                ds,
                "DaemonSet",
                Revisions.CONTROLLER_REVISION_HASH,
                "9a8b",
                YOUNG,
                waiting("CreateContainerError", 3));
        Pod oldFailing = pod(
                "agent-y",
                ds,
                "DaemonSet",
                Revisions.CONTROLLER_REVISION_HASH,
                "6d5f",
                OLD,
                waiting("CrashLoopBackOff", 9));
        RolloutFailure f = RolloutSignals.daemonSet(
                        ds, List.of(old, newest), List.of(failing, oldFailing), THRESHOLDS, NOW)
                .orElseThrow();
        assertThat(f.revision()).isEqualTo("agent-9a8b");
        assertThat(f.signal()).isEqualTo("CreateContainerError");
        assertThat(f.incidentName()).isEqualTo("rollout-ds-agent-9a8b");
        assertThat(RolloutSignals.daemonSet(ds, List.of(old, newest), List.of(oldFailing), THRESHOLDS, NOW))
                .isEmpty();
    }

    @Test
    void theNewestReplicaSetIsTheDeploymentsRevisionAmongThoseItOwns() {
        Deployment d = deployment("checkout", 3, 2, 0, 2);
        ReplicaSet r1 = replicaSet(d, 1, "a");
        ReplicaSet r3 = replicaSet(d, 3, "c");
        ReplicaSet foreign = replicaSet(deployment("other", 9, 1, 1, 1), 9, "z");
        assertThat(Workload.of(d).current(List.of(foreign, r3, r1))).containsSame(r3);
    }

    @Test
    void longNamesStayWithinALabelsLengthAndDistinct() {
        String longName = "a-very-long-deployment-name-that-goes-on-and-on-and-on";
        var a = new RolloutFailure(WorkloadKind.Deployment, "shop", longName, "12", List.of(), "x", "y");
        var b = new RolloutFailure(WorkloadKind.Deployment, "shop", longName, "13", List.of(), "x", "y");
        assertThat(a.incidentName())
                .hasSizeLessThanOrEqualTo(63)
                .startsWith("rollout-deploy-a-very-long")
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(a.incidentName()).isNotEqualTo(b.incidentName());
    }
}
