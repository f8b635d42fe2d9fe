package dev.firebreak.intake;

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
import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.intake.rollout.RolloutDetector;
import dev.firebreak.intake.rollout.RolloutFixtures;
import dev.firebreak.status.Conditions;
import dev.firebreak.testing.RealApiServer;
import dev.firebreak.testing.TestWorkloads;
import dev.firebreak.workload.Revisions;
import dev.firebreak.workload.RolloutScope;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failing-rollout detection on a real API server (tier 2): each signal opens exactly one incident, however many pods fail
 * and however often the rollout is looked at again (every second in tests); the incident resolves when the workload
 * is rolled out and healthy; namespaces that did not opt in are left alone.
 */
@QuarkusTest
@WithTestResource(RealApiServer.class)
class RolloutDetectionTest {
    private static final String NS = RolloutFixtures.NS;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofMinutes(10));

    @Inject
    KubernetesClient client;

    @BeforeEach
    void optIn() {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .addToLabels(RolloutScope.NAMESPACE_LABEL, "true")
                        .endMetadata()
                        .build())
                .createOr(NonDeletingOperation::update);
    }

    @Test
    void aDeploymentPastItsProgressDeadlineOpensOneIncident() {
        Deployment d = create(
                deployment("stalled", 4, 2, 1, 2, condition("Progressing", "False", "ProgressDeadlineExceeded")));
        create(replicaSet(d, 4, "h4"));

        Incident incident = awaitOneIncident("stalled");
        assertThat(incident.getMetadata().getName()).isEqualTo("rollout-deploy-stalled-4");
        assertThat(incident.getSpec().source.type).isEqualTo(SourceType.Rollout);
        assertThat(incident.getSpec().source.signal).isEqualTo("ProgressDeadlineExceeded");
        assertThat(incident.getSpec().source.revision).isEqualTo("4");
        assertThat(incident.getSpec().source.images).containsExactly("shop/stalled:4", "envoy:1.30");
        assertThat(incident.getSpec().affected).containsExactly(new WorkloadRef(WorkloadKind.Deployment, "stalled"));
        assertThat(incident.getSpec().title)
                .startsWith("Deployment shop/stalled revision 4 failing: " + "ProgressDeadlineExceeded");

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(events("rollout-deploy-stalled-4"))
                    .extracting(Event::getReason)
                    .contains("Opened");
            assertThat(events("stalled"))
                    .filteredOn(e -> "Deployment".equals(e.getInvolvedObject().getKind()))
                    .extracting(Event::getReason, Event::getMessage)
                    .containsExactly(Tuple.tuple(
                            "RolloutFailing",
                            "revision 4 failing (ProgressDeadlineExceeded (Progressing "
                                    + "ProgressDeadlineExceeded)): incident rollout-deploy-stalled-4"));
        });
        assertThat(RestAssured.get("/q/metrics").asString())
                .containsPattern("firebreak_incidents_opened_total\\{source=\"Rollout\"\\} [1-9]");
        stillExactlyOne("stalled");
    }

    @Test
    void aDeploymentWhoseReplicaSetCannotBeCreatedOpensOneIncident() {
        create(deployment("nocreate", 2, 2, 0, 2, condition("Progressing", "False", "ReplicaSetCreateError")));
        assertThat(awaitOneIncident("nocreate").getSpec().source.signal).isEqualTo("ReplicaSetCreateError");
        stillExactlyOne("nocreate");
    }

    @Test
    void crashLoopingPodsOfTheNewRevisionOpenOneIncidentThatResolvesWhenTheWorkloadIsHealthy() {
        // Created rolled out, so nothing looks at it until all its pods exist and it loses a replica.
        Deployment d = create(deployment("checkout", 7, 3, 3, 3));
        var old = create(replicaSet(d, 6, "h6"));
        var bad = create(replicaSet(d, 7, "h7"));
        for (String name : List.of("a", "b", "c")) {
            create(pod(
                    "checkout-h7-" + name,
                    bad,
                    "ReplicaSet",
                    Revisions.POD_TEMPLATE_HASH,
                    "h7",
                    LONG_AGO,
                    waiting("CrashLoopBackOff", 5)));
        }
        create(pod("checkout-h6-a", old, "ReplicaSet", Revisions.POD_TEMPLATE_HASH, "h6", LONG_AGO, running()));
        d = client.apps()
                .deployments()
                .resource(new DeploymentBuilder(d)
                        .editStatus()
                        .withAvailableReplicas(2)
                        .endStatus()
                        .build())
                .updateStatus();

        Incident incident = awaitOneIncident("checkout");
        assertThat(incident.getMetadata().getName()).isEqualTo("rollout-deploy-checkout-7");
        assertThat(incident.getSpec().source.signal).isEqualTo("CrashLoopBackOff");
        assertThat(incident.getSpec().title)
                .isEqualTo("Deployment shop/checkout revision 7 failing: 3 of 3 pods waiting in CrashLoopBackOff");
        await().atMost(WAIT).until(() -> phase("rollout-deploy-checkout-7") == Phase.Triggered);
        stillExactlyOne("checkout");

        // Someone fixes it (a rollback or a new release): every replica updated and available.
        client.apps()
                .deployments()
                .resource(new DeploymentBuilder(d)
                        .editStatus()
                        .withUpdatedReplicas(3)
                        .withAvailableReplicas(3)
                        .withConditions(condition("Progressing", "True", "NewReplicaSetAvailable"))
                        .endStatus()
                        .build())
                .updateStatus();
        await().atMost(WAIT).until(() -> phase("rollout-deploy-checkout-7") == Phase.Resolved);
        var resolved = client.resources(Incident.class)
                .inNamespace(NS)
                .withName("rollout-deploy-checkout-7")
                .get();
        assertThat(Conditions.find(resolved.getStatus().conditions, "Resolved").orElseThrow())
                .satisfies(c -> {
                    assertThat(c.status).isEqualTo(ConditionStatus.True);
                    assertThat(c.reason).isEqualTo("WorkloadHealthy");
                });
    }

    @Test
    void aStatefulSetWhoseUpdateRevisionCannotPullItsImageOpensOneIncident() {
        // Created rolled out, so nothing looks at it until all its pods exist and the update starts.
        var failing = statefulSet("db", "db-5f6b7", "db-7c8d9");
        var sts = create(new StatefulSetBuilder(failing)
                .editStatus()
                .withUpdateRevision("db-5f6b7")
                .withReadyReplicas(3)
                .withAvailableReplicas(3)
                .withUpdatedReplicas(3)
                .endStatus()
                .build());
        create(pod(
                "db-2",
                sts,
                "StatefulSet",
                Revisions.CONTROLLER_REVISION_HASH,
                "db-7c8d9",
                LONG_AGO,
                waiting("ImagePullBackOff", 0)));
        create(pod(
                "db-1",
                sts,
                "StatefulSet",
                Revisions.CONTROLLER_REVISION_HASH,
                "db-7c8d9",
                LONG_AGO,
                waiting("ErrImagePull", 0)));
        create(pod("db-0", sts, "StatefulSet", Revisions.CONTROLLER_REVISION_HASH, "db-5f6b7", LONG_AGO, running()));
        client.apps()
                .statefulSets()
                .resource(new StatefulSetBuilder(sts)
                        .withStatus(failing.getStatus())
                        .build())
                .updateStatus();
        Incident incident = awaitOneIncident("db");
        assertThat(incident.getMetadata().getName()).isEqualTo("rollout-sts-db-7c8d9");
        assertThat(incident.getSpec().source.revision).isEqualTo("db-7c8d9");
        assertThat(incident.getSpec().title)
                .endsWith("2 of 2 pods waiting in 1 in ErrImagePull, 1 in ImagePullBackOff");
        stillExactlyOne("db");
    }

    @Test
    void aDaemonSetWhoseNewRevisionLacksItsConfigOpensOneIncident() {
        var ds = create(daemonSet("agent"));
        create(revision(ds, "DaemonSet", 1, "6d5f"));
        create(revision(ds, "DaemonSet", 2, "9a8b"));
        create(pod(
                "agent-x",
                ds,
                "DaemonSet",
                Revisions.CONTROLLER_REVISION_HASH,
                "9a8b",
                LONG_AGO,
                waiting("CreateContainerConfigError", 0)));
        Incident incident = awaitOneIncident("agent");
        assertThat(incident.getMetadata().getName()).isEqualTo("rollout-ds-agent-9a8b");
        assertThat(incident.getSpec().source.signal).isEqualTo("CreateContainerConfigError");
        stillExactlyOne("agent");
    }

    @Test
    void namespacesThatDidNotOptInAreLeftAlone() {
        String ns = "elsewhere";
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .createOr(NonDeletingOperation::update);
        Deployment d = new DeploymentBuilder(
                        deployment("quiet", 2, 2, 1, 1, condition("Progressing", "False", "ProgressDeadlineExceeded")))
                .editMetadata()
                .withNamespace(ns)
                .endMetadata()
                .build();
        client.resource(d).create();
        // Control: the same failure in the opted-in namespace is seen meanwhile.
        create(deployment("loud", 2, 2, 1, 1, condition("Progressing", "False", "ProgressDeadlineExceeded")));
        awaitOneIncident("loud");
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(6))
                .until(() -> client.resources(Incident.class)
                        .inNamespace(ns)
                        .list()
                        .getItems()
                        .isEmpty());
    }

    private <T extends HasMetadata> T create(T object) {
        return TestWorkloads.create(client, object);
    }

    private List<Incident> incidentsOf(String workload) {
        return client.resources(Incident.class)
                .inNamespace(NS)
                .withLabel(RolloutDetector.WORKLOAD_NAME_LABEL, workload)
                .list()
                .getItems();
    }

    private Incident awaitOneIncident(String workload) {
        await().atMost(WAIT).until(() -> !incidentsOf(workload).isEmpty());
        List<Incident> incidents = incidentsOf(workload);
        assertThat(incidents).hasSize(1);
        return incidents.get(0);
    }

    /** Rollouts are looked at again every second in tests: three more looks open nothing more. */
    private void stillExactlyOne(String workload) {
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(6))
                .until(() -> incidentsOf(workload).size() == 1);
    }

    private Phase phase(String incident) {
        Incident i = client.resources(Incident.class)
                .inNamespace(NS)
                .withName(incident)
                .get();
        return i == null || i.getStatus() == null ? null : i.getStatus().phase;
    }

    private List<Event> events(String involved) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> involved.equals(e.getInvolvedObject().getName()))
                .toList();
    }
}
