package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.testing.HttpReceiver;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4, failover half: two replicas with leader election; only the Lease holder reconciles, and killing it
 * (SIGKILL, no Lease release) hands over to the other, which then does the work. Restart mid-escalation: the operator
 * that paged level 0 is killed before level 1 is due; the one started after it fires level 1 exactly once and does
 * not page level 0 again.
 */
class LeaderElectionE2E {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void onlyTheLeaderActsAndKillingItHandsOver() throws Exception {
        Cluster cluster = Cluster.get();
        Install.ensure(cluster);
        cluster.kubectlOrFail("apply", "-f", "deploy/examples/00-namespace.yaml");
        try (OperatorProcess a = OperatorProcess.start(cluster, "replica-a", Map.of());
                OperatorProcess b = OperatorProcess.start(cluster, "replica-b", Map.of())) {
            List<OperatorProcess> replicas = List.of(a, b);
            String holder = await().atMost(Duration.ofSeconds(60))
                    .until(() -> holder(cluster), h -> h.equals("replica-a") || h.equals("replica-b"));
            OperatorProcess leader = replicas.stream()
                    .filter(r -> r.name().equals(holder))
                    .findFirst()
                    .orElseThrow();
            OperatorProcess follower =
                    replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();

            createInvalidSchedule(cluster, "failover-before");
            awaitInvalid(cluster, "failover-before", leader);
            assertThat(reconciles(leader))
                    .as("reconciles by the leader %s", leader.name())
                    .isPositive();
            assertThat(reconciles(follower))
                    .as("reconciles by the follower %s", follower.name())
                    .isZero();

            Instant killed = Instant.now();
            leader.kill();
            createInvalidSchedule(cluster, "failover-after");
            awaitInvalid(cluster, "failover-after", follower);
            Duration handover = Duration.between(killed, Instant.now());
            System.out.printf(
                    "leader %s killed; %s took over and reconciled in %d ms%n",
                    leader.name(), follower.name(), handover.toMillis());
            assertThat(holder(cluster)).isEqualTo(follower.name());
            assertThat(reconciles(follower)).isPositive();
        }
    }

    /**
     * SIGTERM to the leader (a pod deleted, a rolling update): it stops reconciling, releases its Lease and exits 0
     * within 10 s; the standby takes over at its next try (retry period 1 s) instead of waiting for the Lease to
     * expire (15 s), and reconciles within 3 s of the release.
     */
    @Test
    void aTerminatedLeaderReleasesItsLeaseAndExitsAndTheStandbyTakesOverAtOnce() throws Exception {
        Cluster cluster = Cluster.get();
        Install.ensure(cluster);
        cluster.kubectlOrFail("apply", "-f", "deploy/examples/00-namespace.yaml");
        try (OperatorProcess a = OperatorProcess.start(cluster, "replica-c", Map.of());
                OperatorProcess b = OperatorProcess.start(cluster, "replica-d", Map.of())) {
            List<OperatorProcess> replicas = List.of(a, b);
            String holder = await().atMost(Duration.ofSeconds(60))
                    .until(() -> holder(cluster), h -> h.equals("replica-c") || h.equals("replica-d"));
            OperatorProcess leader = replicas.stream()
                    .filter(r -> r.name().equals(holder))
                    .findFirst()
                    .orElseThrow();
            OperatorProcess follower =
                    replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();
            // The standby has started (Quarkus is up, its informers are syncing) before the leader goes.
            await().atMost(Duration.ofSeconds(60)).until(() -> follower.log().contains("Installed features"));
            createInvalidSchedule(cluster, "terminated-before");
            awaitInvalid(cluster, "terminated-before", leader);

            Instant terminated = Instant.now();
            OptionalInt exit = leader.terminate(Duration.ofSeconds(30));
            Duration exitedAfter = Duration.between(terminated, Instant.now());
            assertThat(exit)
                    .as("exited by itself within 30 s; log:%n%s", leader.log())
                    .isPresent();
            assertThat(leader.log()).contains("released the Lease");
            createInvalidSchedule(cluster, "terminated-after");
            awaitInvalid(cluster, "terminated-after", follower);
            Duration handover = Duration.between(terminated, Instant.now());
            System.out.printf(
                    "leader %s terminated: exit code %d after %d ms; %s reconciled %d ms after the SIGTERM%n",
                    leader.name(), exit.getAsInt(), exitedAfter.toMillis(), follower.name(), handover.toMillis());
            assertThat(exit.getAsInt()).as("exit code").isZero();
            assertThat(exitedAfter).as("exit after SIGTERM").isLessThanOrEqualTo(Duration.ofSeconds(10));
            assertThat(handover.minus(exitedAfter))
                    .as("handover after the exit (which follows the release)")
                    .isLessThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(holder(cluster)).isEqualTo(follower.name());
        }
    }

    @Test
    void aRestartMidEscalationNeitherSkipsNorRepeatsALevel() throws Exception {
        Cluster cluster = Cluster.get();
        Install.ensure(cluster);
        cluster.kubectlOrFail("apply", "-f", "deploy/examples/00-namespace.yaml");
        String ns = "shop";
        try (HttpReceiver pager = new HttpReceiver().answer("/pd", 202, "{\"status\":\"success\"}")) {
            cluster.kubectl("delete", "incident", "restart-mid-escalation", "-n", ns, "--ignore-not-found");
            cluster.kubectl("delete", "secret", "restart-paging", "-n", ns, "--ignore-not-found");
            cluster.kubectlOrFail(
                    "-n",
                    ns,
                    "create",
                    "secret",
                    "generic",
                    "restart-paging",
                    "--from-literal=routing-key=RESTARTROUTINGKEY000000000000001");
            Cluster.Result applied = cluster.kubectlWithInput(
                    """
                    apiVersion: firebreak.dev/v1alpha1
                    kind: EscalationPolicy
                    metadata: {name: restart-e2e, namespace: %s}
                    spec:
                      levels:
                      - targets:
                        - pagerDuty: {routingKeySecretRef: {name: restart-paging, key: routing-key}, url: "%s"}
                      - delay: 10s
                        targets:
                        - webhook: {url: "%s"}
                    ---
                    apiVersion: firebreak.dev/v1alpha1
                    kind: Incident
                    metadata: {name: restart-mid-escalation, namespace: %s}
                    spec:
                      title: Payments API down
                      severity: Critical
                      escalationPolicyRef: {name: restart-e2e}
                    """.formatted(ns, pager.url("/pd"), pager.url("/level-1"), ns), "apply", "-f", "-");
            assertThat(applied.ok()).as(applied.toString()).isTrue();
            String uid = cluster.kubectlOrFail(
                    "get", "incident", "restart-mid-escalation", "-n", ns, "-o", "jsonpath={.metadata.uid}");

            try (OperatorProcess first = OperatorProcess.start(cluster, "escalation-a", Map.of())) {
                await().atMost(Duration.ofSeconds(90))
                        .untilAsserted(() -> assertThat(triggers(pager, uid))
                                .as("level 0 paged; log:%n%s", first.log())
                                .isEqualTo(1));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> cluster.kubectl(
                                        "get",
                                        "incident",
                                        "restart-mid-escalation",
                                        "-n",
                                        ns,
                                        "-o",
                                        "jsonpath={.status.escalation.notifications[0].result}")
                                .stdout()
                                .equals("Sent"));
                first.kill();
            }
            assertThat(pager.requests("/level-1"))
                    .as("level 1 is not due yet when the operator dies")
                    .isEmpty();
            try (OperatorProcess second = OperatorProcess.start(cluster, "escalation-b", Map.of())) {
                await().atMost(Duration.ofSeconds(120))
                        .untilAsserted(() -> assertThat(pager.requests("/level-1"))
                                .as("level 1 fired by the new operator; log:%n%s", second.log())
                                .hasSize(1));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> cluster.kubectl(
                                        "get",
                                        "incident",
                                        "restart-mid-escalation",
                                        "-n",
                                        ns,
                                        "-o",
                                        "jsonpath={.status.escalation.level}")
                                .stdout()
                                .equals("1"));
                // Give a repeat every chance to happen before saying it did not.
                await().during(Duration.ofSeconds(5))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> triggers(pager, uid) == 1
                                && pager.requests("/level-1").size() == 1);
                assertThat(cluster.kubectlOrFail(
                                "get",
                                "incident",
                                "restart-mid-escalation",
                                "-n",
                                ns,
                                "-o",
                                "jsonpath={.status.timeline[?(@.type==\"Escalated\")].message}"))
                        .contains("level 0 of restart-e2e fired", "level 1 of restart-e2e fired");
            }
        } finally {
            cluster.kubectl("delete", "incident", "restart-mid-escalation", "-n", ns, "--ignore-not-found");
            cluster.kubectl("delete", "escalationpolicy", "restart-e2e", "-n", ns, "--ignore-not-found");
        }
    }

    private static long triggers(HttpReceiver pager, String uid) {
        return pager.bodies("/pd/v2/enqueue", "\"dedup_key\":\"" + uid + "\"", "\"event_action\":\"trigger\"")
                .size();
    }

    private static String holder(Cluster cluster) {
        Lease lease = cluster.client()
                .leases()
                .inNamespace(Cluster.OPERATOR_NAMESPACE)
                .withName("firebreak-leader")
                .get();
        return lease == null || lease.getSpec().getHolderIdentity() == null
                ? ""
                : lease.getSpec().getHolderIdentity();
    }

    /** An OnCallSchedule in shop that any reconciling operator marks invalid (InvalidTimeZone): proof it acts. */
    static void createInvalidSchedule(Cluster cluster, String name) {
        cluster.kubectlOrFail("delete", "oncallschedule", name, "-n", "shop", "--ignore-not-found");
        Cluster.Result created = cluster.kubectlWithInput("""
                apiVersion: firebreak.dev/v1alpha1
                kind: OnCallSchedule
                metadata: {name: %s, namespace: shop}
                spec:
                  timeZone: Nowhere/Special
                  layers: [{name: a, participants: [{name: alice}], start: "2026-01-05T09:00:00Z"}]
                """.formatted(name), "create", "-f", "-");
        assertThat(created.ok()).as(created.toString()).isTrue();
    }

    static void awaitInvalid(Cluster cluster, String name, OperatorProcess expectedActor) {
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(cluster.kubectl(
                                        "get",
                                        "oncallschedule",
                                        name,
                                        "-n",
                                        "shop",
                                        "-o",
                                        "jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}")
                                .stdout())
                        .as("Ready reason of %s; log of %s:%n%s", name, expectedActor.name(), expectedActor.log())
                        .isEqualTo("InvalidTimeZone"));
    }

    /** Successful OnCallSchedule reconciles this replica ran, from the operator SDK's metrics. */
    private static double reconciles(OperatorProcess replica) throws Exception {
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.port() + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(l -> l.startsWith("operator_sdk_controllers_execution_reconcile_success_total{")
                        && l.contains("controller=\"oncallschedule\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
