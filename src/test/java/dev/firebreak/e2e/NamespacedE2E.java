package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Least privilege in a real cluster: the chart installed a second time (release {@value #RELEASE} in namespace
 * {@value #NAMESPACE}) in namespaced mode, watching only {@code shop}. The API server says its ServiceAccount can read
 * no Secret, patch no workload and delete no pod in kube-system (or any namespace but shop), and the operator run as
 * that ServiceAccount reconciles in shop without a single Forbidden.
 */
class NamespacedE2E {
    static final String RELEASE = "fb-scoped";
    static final String NAMESPACE = "fb-scoped";
    private static final String SA = "--as=system:serviceaccount:" + NAMESPACE + ":" + RELEASE;
    private static Cluster cluster;
    private static String rbac;

    @BeforeAll
    static void install() {
        cluster = Cluster.get();
        Install.ensure(cluster); // the CRDs, the namespaces of the examples
        cluster.kubectlOrFail("apply", "-f", "deploy/examples/00-namespace.yaml");
        cluster.kubectlWithInput(
                "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + NAMESPACE + "}\n", "apply", "-f", "-");
        String rendered = new Helm(Path.of("helm/firebreak"))
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion("1.34.4")
                .set("fullnameOverride", RELEASE)
                .set("watchNamespaces[0]", "shop")
                .set("leaderElection.leaseName", RELEASE + "-leader")
                .call();
        // Only the ServiceAccount and the RBAC: the operator runs as a process below, not as the chart's pod.
        rbac = Arrays.stream(rendered.split("\n---\n"))
                .filter(d ->
                        d.matches("(?s).*\nkind: (ServiceAccount|ClusterRole|ClusterRoleBinding|Role|RoleBinding)\n.*"))
                .collect(Collectors.joining("\n---\n"));
        Cluster.Result applied = cluster.kubectlWithInput(rbac, "apply", "-f", "-");
        assertThat(applied.ok()).as(applied.toString()).isTrue();
    }

    @AfterAll
    static void uninstall() {
        if (rbac != null) {
            cluster.kubectlWithInput(rbac, "delete", "--ignore-not-found", "-f", "-");
        }
    }

    @Test
    void theServiceAccountCanTouchNothingOutsideTheWatchedNamespace() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("patch deployments.apps -n kube-system", "no"),
                Map.entry("patch statefulsets.apps -n kube-system", "no"),
                Map.entry("delete pods -n kube-system", "no"),
                Map.entry("get secrets -n kube-system", "no"),
                Map.entry("get secrets -n default", "no"),
                Map.entry("get configmaps -n kube-system", "no"),
                Map.entry("create events -n kube-system", "no"),
                Map.entry("list incidents.firebreak.dev -A", "no"),
                Map.entry("get namespaces/kube-system", "no"),
                Map.entry("list namespaces", "no"),
                Map.entry("patch deployments.apps -n shop", "yes"),
                Map.entry("delete pods -n shop", "yes"),
                Map.entry("get secrets -n shop", "yes"),
                Map.entry("watch incidents.firebreak.dev -n shop", "yes"),
                Map.entry("get namespaces/shop", "yes"),
                Map.entry("get secrets/firebreak-webhook-auth -n " + NAMESPACE, "yes"),
                Map.entry("get secrets/other -n " + NAMESPACE, "no"),
                Map.entry("create tokenreviews.authentication.k8s.io", "yes"),
                Map.entry("create subjectaccessreviews.authorization.k8s.io", "yes"));
        expected.forEach((question, answer) -> {
            List<String> args = new java.util.ArrayList<>(List.of("auth", "can-i"));
            args.addAll(List.of(question.split(" ")));
            args.add(SA);
            Cluster.Result result = cluster.kubectl(args.toArray(String[]::new));
            assertThat(result.stdout().strip())
                    .as("can-i %s (%s)", question, result.stderr())
                    .isEqualTo(answer);
        });
    }

    @Test
    void theOperatorRunsWithThatServiceAccountWithoutAForbidden() throws Exception {
        try (OperatorProcess operator = OperatorProcess.startAs(
                cluster,
                "scoped",
                Map.of(
                        "QUARKUS_OPERATOR_SDK_NAMESPACES",
                        "shop",
                        "FIREBREAK_NAMESPACE",
                        NAMESPACE,
                        "FIREBREAK_LEADER_ELECTION_LEASE_NAME",
                        RELEASE + "-leader",
                        "FIREBREAK_LEADER_ELECTION_LEASE_NAMESPACE",
                        NAMESPACE),
                NAMESPACE,
                RELEASE)) {
            String name = "scoped-check";
            LeaderElectionE2E.createInvalidSchedule(cluster, name);
            LeaderElectionE2E.awaitInvalid(cluster, name, operator);
            // It leads under its own Lease, in its own namespace.
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(operator.log()).contains("leading as scoped"));
            assertThat(operator.log()).doesNotContain("Forbidden").doesNotContain("forbidden");
            cluster.kubectl("delete", "oncallschedule", name, "-n", "shop", "--ignore-not-found");
        }
    }

    /**
     * The incident controller narrowed by its own setting while the operator as a whole watches everything: the
     * intake's default namespace must be one that controller watches (an incident opened elsewhere would never be
     * paged), so the operator does not start and says why.
     */
    @Test
    void anIntakeDefaultNamespaceTheIncidentControllerDoesNotWatchStopsTheStart() throws Exception {
        try (OperatorProcess operator = OperatorProcess.start(
                cluster,
                "unwatched-default",
                Map.of(
                        "QUARKUS_OPERATOR_SDK_CONTROLLERS_INCIDENT_NAMESPACES",
                        "shop",
                        "FIREBREAK_INTAKE_DEFAULT_NAMESPACE",
                        "kube-system",
                        "FIREBREAK_LEADER_ELECTION_LEASE_NAME",
                        "unwatched-default-leader"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> !operator.isAlive());
            assertThat(operator.log())
                    .contains("firebreak.intake.default-namespace is kube-system")
                    .contains("does not watch (namespaces: shop)");
        }
    }
}
