package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.testing.KubectlFirebreak;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A responder's session on a real API server with the packaged operator: declare, acknowledge, update and resolve
 * through kubectl firebreak, and read the phase, the timeline and the list back.
 */
class ResponderE2E {
    @Test
    void declareAcknowledgeUpdateResolve() throws Exception {
        Cluster cluster = Cluster.get();
        Install.ensure(cluster);
        cluster.kubectlOrFail("apply", "-f", "deploy/examples/00-namespace.yaml");
        cluster.kubectl("delete", "incident", "e2e-responder", "-n", "shop", "--ignore-not-found");
        try (OperatorProcess operator = OperatorProcess.start(cluster, "responder-e2e", Map.of())) {
            plugin(
                    cluster,
                    "declare",
                    "--title",
                    "Checkout returns 500s",
                    "--severity",
                    "Critical",
                    "--workload",
                    "deployment/checkout",
                    "--name",
                    "e2e-responder",
                    "-n",
                    "shop");
            awaitPhase(cluster, "Triggered", operator);
            assertThat(plugin(cluster, "list", "-n", "shop")).contains("e2e-responder\tCritical\tTriggered");

            plugin(cluster, "ack", "e2e-responder", "--by", "alice", "-n", "shop");
            awaitPhase(cluster, "Acknowledged", operator);

            plugin(
                    cluster,
                    "update",
                    "e2e-responder",
                    "Rolled back to 1.4.1",
                    "--eta",
                    "15m",
                    "--by",
                    "alice",
                    "-n",
                    "shop");
            plugin(cluster, "update", "e2e-responder", "Error rate back to normal", "-n", "shop");
            assertThat(cluster.kubectlOrFail(
                            "get",
                            "incident",
                            "e2e-responder",
                            "-n",
                            "shop",
                            "-o",
                            "jsonpath={.spec.updates[*].message}"))
                    .isEqualTo("Rolled back to 1.4.1 Error rate back to normal");

            plugin(
                    cluster,
                    "resolve",
                    "e2e-responder",
                    "--note",
                    "bad release \"1.4.2\" rolled back",
                    "--by",
                    "bob",
                    "-n",
                    "shop");
            awaitPhase(cluster, "Resolved", operator);
            String timeline = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> plugin(cluster, "timeline", "e2e-responder", "-n", "shop"),
                            t -> t.contains("resolved by bob"));
            assertThat(timeline)
                    .contains(
                            "incident opened: Checkout returns 500s (source Manual)",
                            "acknowledged by alice",
                            "update by alice: Rolled back to 1.4.1 (ETA 15m)",
                            "resolved by bob (bad release \"1.4.2\" rolled back)");
            assertThat(cluster.kubectlOrFail(
                            "get",
                            "incident",
                            "e2e-responder",
                            "-n",
                            "shop",
                            "-o",
                            "jsonpath={.status.timeToAcknowledge} {.status.timeToResolve}"))
                    .matches("\\S+ \\S+");
            assertThat(plugin(cluster, "list", "-n", "shop")).doesNotContain("e2e-responder");
        }
    }

    private static void awaitPhase(Cluster cluster, String phase, OperatorProcess operator) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(cluster.kubectl(
                                        "get",
                                        "incident",
                                        "e2e-responder",
                                        "-n",
                                        "shop",
                                        "-o",
                                        "jsonpath={.status.phase}")
                                .stdout())
                        .as("phase; operator log:%n%s", operator.log())
                        .isEqualTo(phase));
    }

    private static String plugin(Cluster cluster, String... args) {
        return KubectlFirebreak.run(cluster.kubeconfig(), args);
    }
}
