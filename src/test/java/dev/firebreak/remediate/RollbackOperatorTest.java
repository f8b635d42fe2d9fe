package dev.firebreak.remediate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.RollbackRecord;
import dev.firebreak.api.v1alpha1.status.RollbackState;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.testing.RealApiServer;
import dev.firebreak.testing.TestWorkloads;
import dev.firebreak.testing.Yaml;
import dev.firebreak.workload.Revisions;
import dev.firebreak.workload.RolloutScope;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Rollback on a real API server (tier 2), with ReplicaSets created as the Deployment controller would (and the health
 * marker as Firebreak would have written it): an opted-in Deployment is patched exactly once to the healthy revision's
 * template, the record and Events follow it to Mitigated and Resolved; the cases the guardrails stop patch nothing
 * and say why. Each test has its own namespace.
 */
@QuarkusTest
@WithTestResource(RealApiServer.class)
class RollbackOperatorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient client;

    @Test
    void anOptedInDeploymentIsRolledBackOnceToTheHealthyRevisionAndTheIncidentIsMitigated() {
        String ns = "rb-auto";
        Deployment d = setUp(
                ns,
                Map.of(),
                b -> b.editMetadata()
                        .addToAnnotations(RolloutScope.AUTO_ROLLBACK, "true")
                        .endMetadata());
        openIncident(ns, null);

        RollbackRecord started = awaitRollback(ns, r -> r.state == RollbackState.InProgress && r.startedAt != null);
        assertThat(started.decidedAt)
                .as("recorded before it was patched")
                .isNotNull()
                .isBeforeOrEqualTo(started.startedAt);
        assertThat(started.suspectRevision).isEqualTo(7);
        assertThat(started.fromRevision).isEqualTo(7);
        assertThat(started.toRevision).isEqualTo(6);
        assertThat(started.fromImages).containsExactly("shop/checkout:1.4.2");
        assertThat(started.toImages).containsExactly("shop/checkout:1.4.1");
        Deployment patched = deployment(ns);
        assertThat(patched.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("shop/checkout:1.4.1");
        assertThat(patched.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("pod-template-hash");
        assertThat(patched.getSpec().getReplicas())
                .as("only the template is reverted")
                .isEqualTo(3);
        assertThat(patched.getMetadata().getAnnotations())
                .containsEntry(
                        "kubernetes.io/change-cause",
                        "firebreak: incident " + ns + "/checkout-failing (uid "
                                + incident(ns).getMetadata().getUid() + ") rolled back revision 7 to 6");
        await().atMost(WAIT).until(() -> phase(ns) == Phase.Mitigating);

        // The Deployment controller rolls the restored template out as revision 8.
        String resourceVersion = patched.getMetadata().getResourceVersion();
        client.apps()
                .deployments()
                .resource(new DeploymentBuilder(patched)
                        .editMetadata()
                        .addToAnnotations("deployment.kubernetes.io/revision", "8")
                        .endMetadata()
                        .build())
                .update();
        Deployment v8 = deployment(ns);
        client.apps()
                .deployments()
                .resource(new DeploymentBuilder(v8)
                        .editStatus()
                        .withObservedGeneration(v8.getMetadata().getGeneration())
                        .withUpdatedReplicas(3)
                        .withReadyReplicas(3)
                        .withAvailableReplicas(3)
                        .withConditions()
                        .endStatus()
                        .build())
                .updateStatus();

        RollbackRecord done = awaitRollback(ns, r -> r.state == RollbackState.Succeeded);
        assertThat(done.reason).startsWith("available again on revision 8");
        await().atMost(WAIT).until(() -> phase(ns) == Phase.Resolved);
        Incident incident = incident(ns);
        assertThat(incident.getStatus().timeline)
                .extracting(e -> e.type)
                .containsSubsequence(
                        TimelineType.RemediationStarted, TimelineType.RemediationSucceeded, TimelineType.Resolved);
        assertThat(incident.getStatus().mitigatedAt).isNotNull();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(events(ns, "checkout-failing")).contains("RollbackStarted", "RollbackSucceeded");
            assertThat(events(ns, "checkout"))
                    .containsOnlyOnce("RollbackStarted")
                    .contains("RollbackSucceeded");
        });
        assertThat(deployment(ns).getMetadata().getResourceVersion())
                .as("no second patch after the first")
                .isNotEqualTo(resourceVersion);
        assertThat(deployment(ns)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("shop/checkout:1.4.1");
    }

    @Test
    void aDeploymentThatDidNotOptInIsNotTouched() {
        String ns = "rb-none";
        setUp(ns, Map.of(), UnaryOperator.identity());
        openIncident(ns, null);
        assertThat(awaitRollback(ns, r -> r.state == RollbackState.Skipped).reason)
                .startsWith("not opted in");
        assertUntouched(ns);
    }

    @Test
    void aGitOpsManagedDeploymentIsNotPatchedAndTheReasonSaysWhatToDo() {
        String ns = "rb-flux";
        setUp(
                ns,
                Map.of(),
                b -> b.editMetadata()
                        .addToAnnotations(RolloutScope.AUTO_ROLLBACK, "true")
                        .addToLabels("kustomize.toolkit.fluxcd.io/name", "apps")
                        .addToLabels("kustomize.toolkit.fluxcd.io/namespace", "flux-system")
                        .endMetadata());
        openIncident(ns, null);
        assertThat(awaitRollback(ns, r -> r.state == RollbackState.Skipped).reason)
                .isEqualTo("managed by Flux Kustomization flux-system/apps: revert the commit in Git, or suspend it "
                        + "(spec.suspend: true), then roll back");
        assertUntouched(ns);
        await().atMost(WAIT).until(() -> events(ns, "checkout").contains("RollbackSkipped"));
    }

    @Test
    void aPausedDeploymentIsRefused() {
        String ns = "rb-paused";
        setUp(
                ns,
                Map.of(RolloutScope.AUTO_ROLLBACK, "true"),
                b -> b.editSpec().withPaused(true).endSpec());
        openIncident(ns, null);
        assertThat(awaitRollback(ns, r -> r.state == RollbackState.Skipped).reason)
                .startsWith("cannot roll back: the Deployment is paused");
        assertUntouched(ns);
    }

    @Test
    void aManualRollbackIsProposedAndCarriedOutOnceApproved() {
        String ns = "rb-manual";
        setUp(ns, Map.of(), UnaryOperator.identity());
        openIncident(ns, "Manual");
        RollbackRecord proposed = awaitRollback(ns, r -> r.state == RollbackState.Proposed);
        assertThat(proposed.toRevision).isEqualTo(6);
        assertThat(proposed.reason).contains("shop/checkout:1.4.2 -> shop/checkout:1.4.1", "waiting for approval");
        assertUntouched(ns);

        client.resources(Incident.class)
                .inNamespace(ns)
                .withName("checkout-failing")
                .edit(i -> {
                    i.getSpec().remediation.approvedBy = "alice";
                    return i;
                });
        RollbackRecord started = awaitRollback(ns, r -> r.state == RollbackState.InProgress && r.startedAt != null);
        assertThat(started.reason).contains("approved by alice");
        assertThat(deployment(ns)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("shop/checkout:1.4.1");
    }

    /**
     * The cause window's new end: the rollback was skipped (paused Deployment); the responder then rolls out a fix
     * (revision 8, after detection). Firebreak decides again, because the revision changed, and takes the fix for
     * what it probably is: nothing is rolled back, and the reason says why and how to ask for it anyway.
     */
    @Test
    void aFixRolledOutAfterDetectionIsNeverRolledBack() {
        String ns = "rb-fix";
        setUp(
                ns,
                Map.of(RolloutScope.AUTO_ROLLBACK, "true"),
                b -> b.editSpec().withPaused(true).endSpec());
        openIncident(ns, null);
        RollbackRecord skipped = awaitRollback(ns, r -> r.state == RollbackState.Skipped);
        assertThat(skipped.reason).startsWith("cannot roll back: the Deployment is paused");
        assertThat(skipped.decidedOn).containsEntry("revision", "7");
        String before = incident(ns).getMetadata().getResourceVersion();
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> incident(ns).getMetadata().getResourceVersion().equals(before));

        Deployment d = deployment(ns);
        client.resource(replicaSet(d, 8, "1.4.3", false)).create();
        client.apps()
                .deployments()
                .resource(new DeploymentBuilder(d)
                        .editMetadata()
                        .addToAnnotations("deployment.kubernetes.io/revision", "8")
                        .endMetadata()
                        .editSpec()
                        .withPaused(false)
                        .editTemplate()
                        .editSpec()
                        .editFirstContainer()
                        .withImage("shop/checkout:1.4.3")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .update();

        RollbackRecord again = awaitRollback(ns, r -> r.reason.contains("decided again"));
        assertThat(again.state).isEqualTo(RollbackState.Skipped);
        assertThat(again.reason)
                .startsWith("revision 8 rolled out after the incident was detected (revision 7 was "
                        + "in force then): probably the fix, not rolled back; to roll it back anyway, set "
                        + "spec.remediation.revision: 8")
                .contains("[decided again: revision 7 -> 8]");
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> deployment(ns)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage()
                        .equals("shop/checkout:1.4.3"));
        assertThat(incident(ns).getStatus().timeline)
                .filteredOn(e -> e.message.contains("probably the fix"))
                .hasSize(1);
    }

    /**
     * Identity by UID: an incident deleted after its rollback and created again under the same name is another
     * incident. It does not take the earlier rollback for its own (no Mitigated), and does not roll the rollback back.
     */
    @Test
    void aRecreatedIncidentNeverAdoptsTheEarlierRollback() {
        String ns = "rb-recreated";
        setUp(ns, Map.of(RolloutScope.AUTO_ROLLBACK, "true"), UnaryOperator.identity());
        openIncident(ns, null);
        awaitRollback(ns, r -> r.state == RollbackState.InProgress && r.startedAt != null);
        String firstUid = incident(ns).getMetadata().getUid();
        client.resources(Incident.class)
                .inNamespace(ns)
                .withName("checkout-failing")
                .delete();
        await().atMost(WAIT).until(() -> incident(ns) == null);
        // The Deployment controller rolls the restored template out as revision 8; the new RS copies the change-cause.
        Deployment patched = deployment(ns);
        client.apps()
                .deployments()
                .resource(new DeploymentBuilder(patched)
                        .editMetadata()
                        .addToAnnotations("deployment.kubernetes.io/revision", "8")
                        .endMetadata()
                        .build())
                .update();

        openIncident(ns, null);
        await().atMost(WAIT).until(() -> !incident(ns).getMetadata().getUid().equals(firstUid));
        RollbackRecord r = awaitRollback(ns, x -> x.state == RollbackState.Skipped);
        assertThat(r.reason)
                .startsWith("revision 8 is Firebreak's rollback of revision 7 for incident " + ns
                        + "/checkout-failing: a rollback is never rolled back automatically");
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> phase(ns) == Phase.Triggered);
        assertThat(incident(ns).getStatus().mitigatedAt).isNull();
        assertThat(deployment(ns).getMetadata().getAnnotations().get("kubernetes.io/change-cause"))
                .contains("(uid " + firstUid + ")");
    }

    /**
     * Record before act, and exactly once: the operator stopped after recording a rollback (InProgress, not patched):
     * the next reconcile patches once. Stopped after patching, before recording it: the patch, found by this
     * incident's UID in the change-cause, is recorded and not sent again.
     */
    @Test
    void aRollbackInterruptedBeforeOrAfterItsPatchIsFinishedExactlyOnce() {
        String ns = "rb-crash";
        setUp(ns, Map.of(), UnaryOperator.identity());
        // Manual, not approved: Firebreak itself only proposes.
        openIncident(ns, "Manual");
        awaitRollback(ns, r -> r.state == RollbackState.Proposed);
        String uid = incident(ns).getMetadata().getUid();

        // Recorded, then stopped: not patched.
        editStatusDespiteTheOperator(ns, "checkout-failing", i -> {
            i.getStatus().rollback = intent();
            return i;
        });
        RollbackRecord started = awaitRollback(ns, r -> r.state == RollbackState.InProgress && r.startedAt != null);
        assertThat(started.reason).doesNotContain("found on the Deployment");
        Deployment once = deployment(ns);
        assertThat(once.getMetadata().getAnnotations().get("kubernetes.io/change-cause"))
                .contains("(uid " + uid + ")");
        assertThat(once.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("shop/checkout:1.4.1");

        // Patched, then stopped before recording it: the record is back to "recorded, not patched".
        editStatusDespiteTheOperator(ns, "checkout-failing", i -> {
            i.getStatus().rollback = intent();
            return i;
        });
        RollbackRecord found = awaitRollback(ns, r -> r.startedAt != null && r.reason.contains("found on the"));
        assertThat(found.reason)
                .contains("its patch was found on the Deployment (this incident's UID in the "
                        + "change-cause): recorded now, not sent again");
        assertThat(deployment(ns).getMetadata().getResourceVersion())
                .as("not patched again")
                .isEqualTo(once.getMetadata().getResourceVersion());
    }

    private static RollbackRecord intent() {
        RollbackRecord r = new RollbackRecord();
        r.state = RollbackState.InProgress;
        r.workload = new WorkloadRef(dev.firebreak.api.v1alpha1.spec.WorkloadKind.Deployment, "checkout");
        r.fromRevision = 7L;
        r.toRevision = 6L;
        r.suspectRevision = 7L;
        r.reason = "restore revision 6 (approved by alice)";
        r.decidedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return r;
    }

    /** The earlier rollbacks this test invents are deleted at its end: the breaker counts the whole cluster. */
    @Test
    void cooldownCircuitBreakerAndCauseWindowPatchNothingAndSayWhy() {
        try {
            guardrailCases();
        } finally {
            for (int n = 0; n < 10; n++) {
                client.resources(Incident.class)
                        .inNamespace("rb-breaker-" + n)
                        .withName("earlier")
                        .delete();
            }
            client.resources(Incident.class)
                    .inNamespace("rb-cooldown")
                    .withName("earlier")
                    .delete();
        }
    }

    private void guardrailCases() {
        // Cooldown: this Deployment was rolled back a few minutes ago, for an earlier incident.
        String cooled = "rb-cooldown";
        setUp(cooled, Map.of(RolloutScope.AUTO_ROLLBACK, "true"), UnaryOperator.identity());
        earlierRollback(cooled, "earlier", "checkout", java.time.Instant.now().minusSeconds(300));
        openIncident(cooled, null);
        assertThat(awaitRollback(cooled, r -> r.state == RollbackState.Skipped).reason)
                .startsWith("cooldown: ");
        assertUntouched(cooled);

        // Circuit breaker: ten rollbacks elsewhere in the cluster within the window (the tests allow ten).
        String breaker = "rb-breaker";
        setUp(breaker, Map.of(RolloutScope.AUTO_ROLLBACK, "true"), UnaryOperator.identity());
        for (int n = 0; n < 10; n++) {
            earlierRollback(breaker + "-" + n, "earlier", "other", Instant.now().minusSeconds(60));
        }
        openIncident(breaker, null);
        assertThat(awaitRollback(breaker, r -> r.state == RollbackState.Skipped).reason)
                .startsWith("circuit breaker open: ")
                .contains("(at most 10)");
        assertUntouched(breaker);

        // Cause window: the failing revision rolled out long before the incident was detected.
        String old = "rb-window";
        setUp(old, Map.of(RolloutScope.AUTO_ROLLBACK, "true"), UnaryOperator.identity());
        client.resources(Incident.class)
                .resource(Yaml.read("""
                apiVersion: firebreak.dev/v1alpha1
                kind: Incident
                metadata: {name: checkout-failing, namespace: %s}
                spec:
                  title: checkout slow
                  affected: [{kind: Deployment, name: checkout}]
                  severity: High
                """.formatted(old), Incident.class))
                .create();
        // A human-declared incident is detected when it is created; pretend it was detected 2 hours later.
        await().atMost(WAIT)
                .until(() -> incident(old).getStatus() != null && incident(old).getStatus().detectedAt != null);
        Instant later = Instant.now().plus(Duration.ofHours(2));
        editStatusDespiteTheOperator(old, "checkout-failing", i -> {
            i.getStatus().detectedAt = later;
            i.getStatus().rollback = null;
            return i;
        });
        assertThat(awaitRollback(
                                old,
                                r -> r.state == RollbackState.Skipped && r.reason.contains("probably not the cause"))
                        .reason)
                .contains("more than the cause window");
        assertUntouched(old);
    }

    /** The operator writes the same status: an edit that loses the race (409) is made again on the fresh object. */
    private void editStatusDespiteTheOperator(String ns, String name, UnaryOperator<Incident> edit) {
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            client.resources(Incident.class).inNamespace(ns).withName(name).editStatus(edit);
            return true;
        });
    }

    /** An incident in {@code ns} whose rollback of Deployment {@code workload} started at {@code startedAt}. */
    private void earlierRollback(String ns, String name, String workload, Instant startedAt) {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .createOr(NonDeletingOperation::update);
        Incident created = client.resource(Yaml.read("""
                apiVersion: firebreak.dev/v1alpha1
                kind: Incident
                metadata: {name: %s, namespace: %s}
                spec:
                  title: an earlier failure
                  severity: Low
                """.formatted(name, ns), Incident.class))
                .create();
        editStatusDespiteTheOperator(ns, created.getMetadata().getName(), i -> {
            if (i.getStatus() == null) {
                i.setStatus(new IncidentStatus());
            }
            RollbackRecord r = new RollbackRecord();
            r.state = RollbackState.Succeeded;
            r.workload = new WorkloadRef(WorkloadKind.Deployment, workload);
            r.startedAt = startedAt.truncatedTo(ChronoUnit.SECONDS);
            i.getStatus().rollback = r;
            return i;
        });
        await().atMost(WAIT).until(() -> {
            Incident i = client.resources(Incident.class)
                    .inNamespace(ns)
                    .withName(name)
                    .get();
            return i.getStatus() != null && i.getStatus().rollback != null;
        });
    }

    // --- fixtures -------------------------------------------------------------------------------------------------

    /** checkout at revision 7 (1.4.2, failing), revision 6 (1.4.1) observed healthy earlier. */
    private Deployment setUp(String ns, Map<String, String> namespaceLabels, UnaryOperator<DeploymentBuilder> edit) {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .withLabels(namespaceLabels)
                        .endMetadata()
                        .build())
                .createOr(NonDeletingOperation::update);
        DeploymentBuilder b = new DeploymentBuilder()
                .withNewMetadata()
                .withName("checkout")
                .withNamespace(ns)
                .addToAnnotations("deployment.kubernetes.io/revision", "7")
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withNewSelector()
                .addToMatchLabels("app", "checkout")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "checkout")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("shop/checkout:1.4.2")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withReplicas(3)
                .withUpdatedReplicas(1)
                .withReadyReplicas(2)
                .withAvailableReplicas(2)
                .endStatus();
        Deployment d = TestWorkloads.create(client, edit.apply(b).build());
        client.resource(replicaSet(d, 6, "1.4.1", true)).create();
        client.resource(replicaSet(d, 7, "1.4.2", false)).create();
        return d;
    }

    private static ReplicaSet replicaSet(Deployment d, int revision, String image, boolean healthy) {
        ReplicaSetBuilder b = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName("checkout-h" + revision)
                .withNamespace(d.getMetadata().getNamespace())
                .addToAnnotations("deployment.kubernetes.io/revision", Integer.toString(revision))
                .addToLabels("app", "checkout")
                .addToLabels("pod-template-hash", "h" + revision)
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName("checkout")
                .withUid(d.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withReplicas(0)
                .withNewSelector()
                .addToMatchLabels("app", "checkout")
                .addToMatchLabels("pod-template-hash", "h" + revision)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "checkout")
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
                    .addToAnnotations(Revisions.OBSERVED_HEALTHY, "2026-11-24T08:00:00Z")
                    .endMetadata();
        }
        return b.build();
    }

    private void openIncident(String ns, String mode) {
        client.resource(Yaml.read(
                        """
                apiVersion: firebreak.dev/v1alpha1
                kind: Incident
                metadata: {name: checkout-failing, namespace: %s}
                spec:
                  title: Deployment checkout revision 7 failing
                  source: {type: Rollout, revision: "7", signal: CrashLoopBackOff}
                  affected: [{kind: Deployment, name: checkout}]
                %s""".formatted(ns, mode == null ? "" : "  remediation: {rollback: " + mode + "}\n"),
                        Incident.class))
                .create();
    }

    private RollbackRecord awaitRollback(String ns, Predicate<RollbackRecord> condition) {
        try {
            return await().atMost(WAIT)
                    .until(
                            () -> {
                                Incident i = incident(ns);
                                return i == null || i.getStatus() == null ? null : i.getStatus().rollback;
                            },
                            r -> r != null && condition.test(r));
        } catch (ConditionTimeoutException e) {
            RollbackRecord r =
                    incident(ns).getStatus() == null ? null : incident(ns).getStatus().rollback;
            throw new AssertionError("rollback record: " + (r == null ? "none" : r.state + ": " + r.reason), e);
        }
    }

    private void assertUntouched(String ns) {
        assertThat(deployment(ns)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("shop/checkout:1.4.2");
        assertThat(deployment(ns).getMetadata().getAnnotations()).doesNotContainKey("kubernetes.io/change-cause");
    }

    private Incident incident(String ns) {
        return client.resources(Incident.class)
                .inNamespace(ns)
                .withName("checkout-failing")
                .get();
    }

    private Deployment deployment(String ns) {
        return client.apps().deployments().inNamespace(ns).withName("checkout").get();
    }

    private Phase phase(String ns) {
        Incident i = incident(ns);
        return i == null || i.getStatus() == null ? null : i.getStatus().phase;
    }

    private List<String> events(String ns, String involved) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> involved.equals(e.getInvolvedObject().getName()))
                .map(Event::getReason)
                .toList();
    }
}
