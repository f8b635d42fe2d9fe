package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 1 on a real control plane: the CRDs and the chart install, the examples apply, the API server rejects
 * invalid objects with the schema's or the CEL rule's message, and the packaged operator, running with the chart's
 * ServiceAccount, reports on every example and on what the schema cannot check.
 */
class InstallE2E {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Cluster cluster;
    private static OperatorProcess operator;

    @BeforeAll
    static void install() throws Exception {
        cluster = Cluster.get();
        Install.ensure(cluster);
        operator = OperatorProcess.start(cluster, "install-e2e", Map.of());
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
    }

    @Test
    void theChartsDeploymentIsAdmittedUnderTheRestrictedPodSecurityStandard() {
        KubernetesClient client = cluster.client();
        await().atMost(WAIT).untilAsserted(() -> {
            Deployment deployment = client.apps()
                    .deployments()
                    .inNamespace(Cluster.OPERATOR_NAMESPACE)
                    .withName("firebreak")
                    .get();
            assertThat(deployment.getStatus().getAvailableReplicas())
                    .as("available replicas")
                    .isEqualTo(1);
        });
        assertThat(cluster.kubectlOrFail("apply", "-k", "deploy/", "--dry-run=server"))
                .contains("deployment.apps/firebreak");
    }

    @Test
    void theExamplesApplyAndTheOperatorFindsThemValid() {
        assertThat(cluster.kubectlOrFail("apply", "-f", "deploy/examples/"))
                .contains(
                        "escalationpolicy.firebreak.dev/payments", "incident.firebreak.dev/checkout-errors",
                        "oncallschedule.firebreak.dev/payments-primary",
                                "postincidentreview.firebreak.dev/checkout-errors");
        for (String kind : List.of(
                "escalationpolicy/payments",
                "oncallschedule/payments-primary",
                "incident/checkout-errors",
                "postincidentreview/checkout-errors")) {
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(cluster.kubectl(
                                            "get",
                                            kind,
                                            "-n",
                                            "shop",
                                            "-o",
                                            "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
                                    .stdout())
                            .as("Ready of %s; operator log:%n%s", kind, operator.log())
                            .isEqualTo("True"));
        }
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("""
                        apiVersion: firebreak.dev/v1alpha1
                        kind: Incident
                        metadata: {name: no-title, namespace: shop}
                        spec: {description: nothing}
                        """, "spec.title: Required value"),
                Arguments.of("""
                        apiVersion: firebreak.dev/v1alpha1
                        kind: Incident
                        metadata: {name: bad-severity, namespace: shop}
                        spec: {title: t, severity: Catastrophic}
                        """, "spec.severity: Unsupported value: \"Catastrophic\""),
                Arguments.of("""
                        apiVersion: firebreak.dev/v1alpha1
                        kind: Incident
                        metadata: {name: bad-source, namespace: shop}
                        spec: {title: t, source: {type: Alertmanager, receiver: r}}
                        """, "an Alertmanager source needs receiver and groupKey"),
                Arguments.of("""
                        apiVersion: firebreak.dev/v1alpha1
                        kind: EscalationPolicy
                        metadata: {name: two-channels, namespace: shop}
                        spec:
                          levels: [{targets: [{email: {to: [a@example.com]}, webhook: {url: "https://hooks.example.com"}}]}]
                        """, "a target sets exactly one of onCallSchedule"),
                Arguments.of("""
                        apiVersion: firebreak.dev/v1alpha1
                        kind: EscalationPolicy
                        metadata: {name: late-first-level, namespace: shop}
                        spec:
                          levels: [{delay: 5m, targets: [{email: {to: [a@example.com]}}]}]
                        """, "levels[0] fires at once: its delay must be 0s or unset"),
                Arguments.of("""
                        apiVersion: firebreak.dev/v1alpha1
                        kind: OnCallSchedule
                        metadata: {name: backwards-override, namespace: shop}
                        spec:
                          timeZone: UTC
                          layers: [{name: a, participants: [{name: alice}], start: "2026-01-05T09:00:00Z"}]
                          overrides: [{who: {name: bob}, from: "2026-12-25T00:00:00Z", to: "2026-12-24T00:00:00Z"}]
                        """, "an override must end after it starts"),
                Arguments.of("""
                        apiVersion: firebreak.dev/v1alpha1
                        kind: PostIncidentReview
                        metadata: {name: premature, namespace: shop}
                        spec: {incidentRef: {name: checkout-errors}, state: Published, rootCause: a bad release}
                        """, "a Published review needs rootCause and lessonsLearned"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void theApiServerRejectsInvalidObjectsWithTheirMessage(String yaml, String message) {
        cluster.kubectlOrFail("apply", "-f", "deploy/examples/00-namespace.yaml");
        Cluster.Result result = cluster.kubectlWithInput(yaml, "create", "-f", "-");
        assertThat(result.ok()).as("created: %s", result).isFalse();
        assertThat(result.stderr()).contains(message);
    }

    @Test
    void immutableFieldsStayImmutable() {
        cluster.kubectlOrFail("apply", "-f", "deploy/examples/");
        Cluster.Result drill = cluster.kubectl(
                "patch",
                "incident",
                "checkout-errors",
                "-n",
                "shop",
                "--type",
                "merge",
                "-p",
                "{\"spec\":{\"drill\":true}}");
        assertThat(drill.stderr()).contains("drill is immutable");
        Cluster.Result source = cluster.kubectl(
                "patch",
                "incident",
                "checkout-errors",
                "-n",
                "shop",
                "--type",
                "merge",
                "-p",
                "{\"spec\":{\"source\":{\"groupKey\":\"{}:{alertname=\\\"Other\\\"}\"}}}");
        assertThat(source.stderr()).contains("source is immutable");
    }

    @Test
    void theOperatorReportsWhatTheSchemaCannotCheck() {
        cluster.kubectlOrFail("apply", "-f", "deploy/examples/00-namespace.yaml");
        cluster.kubectlWithInput("""
                apiVersion: firebreak.dev/v1alpha1
                kind: OnCallSchedule
                metadata: {name: atlantis, namespace: shop}
                spec:
                  timeZone: Europe/Atlantis
                  layers: [{name: a, participants: [{name: alice}], start: "2026-01-05T09:00:00Z"}]
                """, "apply", "-f", "-");
        await().atMost(WAIT).untilAsserted(() -> {
            GenericKubernetesResource schedule = cluster.client()
                    .genericKubernetesResources("firebreak.dev/v1alpha1", "OnCallSchedule")
                    .inNamespace("shop")
                    .withName("atlantis")
                    .get();
            assertThat(schedule.get("status", "conditions", 0, "reason").toString())
                    .isEqualTo("InvalidTimeZone");
        });
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(cluster.kubectl(
                                        "get",
                                        "events",
                                        "-n",
                                        "shop",
                                        "--field-selector",
                                        "involvedObject.name=atlantis,reason=Invalid",
                                        "-o",
                                        "jsonpath={.items[*].message}")
                                .stdout())
                        .contains("spec.timeZone: 'Europe/Atlantis' is not an IANA time zone"));
        assertThat(cluster.kubectlOrFail(
                        "get",
                        "oncallschedule",
                        "atlantis",
                        "-n",
                        "shop",
                        "-o",
                        "jsonpath={.metadata.managedFields[?(@.subresource==\"status\")].manager}"))
                .isEqualTo("firebreak");
    }

    @Test
    void theServiceAccountHasWhatTheOperatorUsesAndNothingMore() {
        String sa = "--as=system:serviceaccount:firebreak-system:firebreak";
        Map<String, String> expected = Map.ofEntries(
                Map.entry("list incidents.firebreak.dev", "yes"),
                Map.entry("watch oncallschedules.firebreak.dev", "yes"),
                Map.entry("patch incidents.firebreak.dev --subresource=status", "yes"),
                Map.entry("patch postincidentreviews.firebreak.dev --subresource=status", "yes"),
                Map.entry("create events", "yes"),
                Map.entry("get secrets", "yes"),
                Map.entry("list secrets", "no"),
                Map.entry("watch secrets", "no"),
                Map.entry("create incidents.firebreak.dev", "yes"),
                Map.entry("create escalationpolicies.firebreak.dev", "no"),
                Map.entry("create postincidentreviews.firebreak.dev", "yes"),
                Map.entry("patch postincidentreviews.firebreak.dev", "yes"),
                Map.entry("delete postincidentreviews.firebreak.dev", "no"),
                Map.entry("create configmaps", "yes"),
                Map.entry("update configmaps", "yes"),
                Map.entry("delete configmaps", "no"),
                Map.entry("list configmaps", "yes"),
                Map.entry("watch configmaps", "yes"),
                Map.entry("get configmaps", "no"),
                Map.entry("patch incidents.firebreak.dev", "no"),
                Map.entry("delete incidents.firebreak.dev", "no"),
                Map.entry("create pods", "no"),
                Map.entry("get pods", "yes"),
                Map.entry("list pods", "yes"),
                Map.entry("watch pods", "no"),
                Map.entry("get namespaces", "yes"),
                Map.entry("list namespaces", "no"),
                Map.entry("list controllerrevisions.apps", "yes"),
                Map.entry("watch deployments.apps", "yes"),
                Map.entry("list statefulsets.apps", "yes"),
                Map.entry("patch deployments.apps", "yes"),
                Map.entry("update deployments.apps", "no"),
                Map.entry("delete deployments.apps", "no"),
                Map.entry("patch statefulsets.apps", "yes"),
                Map.entry("delete pods", "yes"),
                Map.entry("delete statefulsets.apps", "no"),
                Map.entry("create tokenreviews.authentication.k8s.io", "yes"),
                Map.entry("create subjectaccessreviews.authorization.k8s.io", "yes"),
                Map.entry("get customresourcedefinitions.apiextensions.k8s.io", "no"));
        expected.forEach((question, answer) -> {
            List<String> args = new java.util.ArrayList<>(List.of("auth", "can-i"));
            args.addAll(List.of(question.split(" ")));
            args.addAll(List.of("-A", sa));
            Cluster.Result result = cluster.kubectl(args.toArray(String[]::new));
            assertThat(result.stdout().strip())
                    .as("can-i %s (%s)", question, result.stderr())
                    .isEqualTo(answer);
        });
        assertThat(cluster.kubectl(
                                "auth",
                                "can-i",
                                "update",
                                "leases.coordination.k8s.io/firebreak-leader",
                                "-n",
                                Cluster.OPERATOR_NAMESPACE,
                                sa)
                        .stdout()
                        .strip())
                .isEqualTo("yes");
        assertThat(operator.log()).doesNotContain("Forbidden").doesNotContain("forbidden");
    }
}
