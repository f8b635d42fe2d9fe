package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.config.CrashPoints;
import dev.firebreak.testing.HttpReceiver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Automation never makes it worse, on the real Deployment controller (kwok nodes): (a) a fix rolled out after the
 * incident was detected is not rolled back; (b) an incident deleted after its rollback and opened again is another
 * incident: it neither adopts that rollback nor rolls it back, and escalates from level 0; (c) the operator killed
 * between recording a rollback and patching, and between patching and recording it: the next operator finishes it,
 * one rollback and one record either way.
 */
class RollbackSafetyE2E {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /**
     * The circuit breaker counts rollbacks cluster-wide in the last 10 minutes, and the other end-to-end classes (and
     * each case here) roll back too: raised so that each case is decided on its own facts.
     */
    private static final Map<String, String> BREAKER = Map.of("FIREBREAK_ROLLBACK_BREAKER_MAX", "1000");

    /** (a) The responder's fix is revision 2, rolled out after detection: Firebreak leaves it alone and says why. */
    @Test
    void aFixRolledOutAfterDetectionIsNotRolledBack() throws Exception {
        Cluster cluster = Cluster.get();
        Install.ensure(cluster);
        String ns = "e2e-fix";
        cluster.freshNamespace(ns, Map.of());
        try (OperatorProcess operator = OperatorProcess.start(cluster, "rollback-fix-e2e", BREAKER)) {
            // Revision 1 runs (and is marked healthy) but serves errors: an incident on it, with no earlier revision.
            deploy(cluster, ns, "api", "1.0");
            awaitHealthyMark(cluster, ns, "api", operator);
            declare(cluster, ns, "api-errors", "api");
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(get(
                                    cluster, ns, "api-errors", "{.status.rollback.state}: {.status.rollback.reason}"))
                            .as("log:%n%s", operator.log())
                            .startsWith("Skipped: cannot roll back"));

            // The fix.
            deploy(cluster, ns, "api", "1.1");
            cluster.kubectlOrFail("-n", ns, "rollout", "status", "deployment/api", "--timeout=90s");
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(get(
                                    cluster, ns, "api-errors", "{.status.rollback.state}: {.status.rollback.reason}"))
                            .as("log:%n%s", operator.log())
                            .startsWith(
                                    "Skipped: revision 2 rolled out after the incident was detected (revision 1 was in "
                                            + "force then): probably the fix, not rolled back")
                            .contains("[decided again: revision " + "1 -> 2]"));
            await().during(Duration.ofSeconds(10))
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.kubectl(
                                    "-n",
                                    ns,
                                    "get",
                                    "deployment",
                                    "api",
                                    "-o",
                                    "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io"
                                            + "/revision} {.spec.template.spec.containers[0].image}")
                            .stdout()
                            .equals("2 shop/api:1.1"));
        }
    }

    /** (b) Deleted after its rollback, opened again under the same name: a new incident, paged from level 0. */
    @Test
    void aRecreatedIncidentEscalatesFromLevelZeroAndAdoptsNothing() throws Exception {
        Cluster cluster = Cluster.get();
        Install.ensure(cluster);
        String ns = "e2e-recreated";
        cluster.freshNamespace(ns, Map.of());
        try (HttpReceiver pager = new HttpReceiver();
                OperatorProcess operator = OperatorProcess.start(cluster, "rollback-recreated-e2e", BREAKER)) {
            pager.answer("/hook", 200, null);
            Cluster.Result policy = cluster.kubectlWithInput("""
                    apiVersion: firebreak.dev/v1alpha1
                    kind: EscalationPolicy
                    metadata: {name: everyone, namespace: %s}
                    spec:
                      levels:
                      - targets: [{webhook: {url: "%s"}}]
                    """.formatted(ns, pager.url("/hook")), "apply", "-f", "-");
            assertThat(policy.ok()).as(policy.toString()).isTrue();
            deploy(cluster, ns, "cart", "1.0");
            awaitHealthyMark(cluster, ns, "cart", operator);
            deploy(cluster, ns, "cart", "2.0");
            cluster.kubectlOrFail("-n", ns, "rollout", "status", "deployment/cart", "--timeout=90s");
            declare(cluster, ns, "cart-errors", "cart");
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(
                                    get(cluster, ns, "cart-errors", "{.status.rollback.state} {.status.phase}"))
                            .as("log:%n%s", operator.log())
                            .isEqualTo("Succeeded Mitigated"));
            String first = get(cluster, ns, "cart-errors", "{.metadata.uid}");

            cluster.kubectlOrFail("-n", ns, "delete", "incident", "cart-errors", "--wait=true");
            declare(cluster, ns, "cart-errors", "cart");
            String second = await().atMost(WAIT)
                    .until(
                            () -> get(cluster, ns, "cart-errors", "{.metadata.uid}"),
                            uid -> !uid.isBlank() && !uid.equals(first));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(pager.bodies("/hook", "\"action\":\"Trigger\"", second))
                            .as("level 0 of the new incident; log:%n%s", operator.log())
                            .hasSize(1));
            assertThat(get(cluster, ns, "cart-errors", "{.status.rollback.state}: {.status.rollback.reason}"))
                    .startsWith("Skipped: revision 3 is Firebreak's rollback of revision 2 for incident " + ns
                            + "/cart-errors: a rollback is never rolled back automatically");
            assertThat(get(cluster, ns, "cart-errors", "{.status.phase} {.status.escalation.level}"))
                    .isEqualTo("Triggered 0");
            assertThat(cluster.kubectlOrFail(
                            "-n",
                            ns,
                            "get",
                            "deployment",
                            "cart",
                            "-o",
                            "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}"))
                    .isEqualTo("3");
        }
    }

    /**
     * (c) Killed (halted at a crash point, as SIGKILL would) after the InProgress record is stored and before the
     * patch, then after the patch and before it is recorded: the next operator patches at most once, and the record
     * ends Succeeded, one RemediationStarted on the timeline.
     */
    @Test
    void anOperatorKilledAroundTheRollbackPatchLeavesOneRollbackAndOneRecord() throws Exception {
        Cluster cluster = Cluster.get();
        Install.ensure(cluster);
        for (String point : new String[] {CrashPoints.ROLLBACK_BEFORE_PATCH, CrashPoints.ROLLBACK_AFTER_PATCH}) {
            String ns = "e2e-" + point;
            cluster.freshNamespace(ns, Map.of());
            try (OperatorProcess first = OperatorProcess.start(
                    cluster,
                    "crash-" + point,
                    Map.of("FIREBREAK_CRASH_AT", point, "FIREBREAK_ROLLBACK_BREAKER_MAX", "1000"))) {
                deploy(cluster, ns, "shop", "1.0");
                awaitHealthyMark(cluster, ns, "shop", first);
                deploy(cluster, ns, "shop", "2.0");
                cluster.kubectlOrFail("-n", ns, "rollout", "status", "deployment/shop", "--timeout=90s");
                declare(cluster, ns, "shop-errors", "shop");
                await().atMost(WAIT).until(() -> !first.isAlive());
                assertThat(first.log()).contains("crash point " + point + " reached");
            }
            assertThat(get(cluster, ns, "shop-errors", "{.status.rollback.state} [{.status.rollback.startedAt}]"))
                    .as("recorded before acting, not yet started")
                    .isEqualTo("InProgress []");
            String patched = cluster.kubectlOrFail(
                    "-n", ns, "get", "deployment", "shop", "-o", "jsonpath={.spec.template.spec.containers[0].image}");
            assertThat(patched)
                    .isEqualTo(point.equals(CrashPoints.ROLLBACK_BEFORE_PATCH) ? "shop/shop:2.0" : "shop/shop:1.0");

            try (OperatorProcess second = OperatorProcess.start(cluster, "after-" + point, BREAKER)) {
                await().atMost(Duration.ofSeconds(120))
                        .untilAsserted(() -> assertThat(get(cluster, ns, "shop-errors", "{.status.rollback.state}"))
                                .as("log:%n%s", second.log())
                                .isEqualTo("Succeeded"));
                String uid = get(cluster, ns, "shop-errors", "{.metadata.uid}");
                assertThat(cluster.kubectlOrFail(
                                "-n",
                                ns,
                                "get",
                                "deployment",
                                "shop",
                                "-o",
                                "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision} "
                                        + "{.spec.template.spec.containers[0].image}"))
                        .as("one rollback: revision 1's template as revision 3")
                        .isEqualTo("3 shop/shop:1.0");
                assertThat(cluster.kubectlOrFail("-n", ns, "rollout", "history", "deployment/shop"))
                        .contains("firebreak: incident " + ns + "/shop-errors (uid " + uid + ") rolled back "
                                + "revision 2 to 1");
                assertThat(get(cluster, ns, "shop-errors", "{.status.timeline[*].type}")
                                .split(" "))
                        .filteredOn("RemediationStarted"::equals)
                        .hasSize(1);
                String started = cluster.kubectlOrFail(
                        "-n",
                        ns,
                        "get",
                        "events",
                        "--field-selector",
                        "involvedObject.name=shop-errors,reason=RollbackStarted",
                        "-o",
                        "jsonpath={.items[*].message}");
                if (point.equals(CrashPoints.ROLLBACK_AFTER_PATCH)) {
                    assertThat(started)
                            .contains("its patch was found on the Deployment (this incident's UID in the "
                                    + "change-cause): recorded now, not sent again");
                } else {
                    assertThat(started)
                            .contains("rollback of Deployment/shop from revision 2 to 1")
                            .doesNotContain("found on the");
                }
            }
        }
    }

    private static void declare(Cluster cluster, String ns, String name, String workload) {
        Cluster.Result created =
                cluster.kubectlWithInput("""
                apiVersion: firebreak.dev/v1alpha1
                kind: Incident
                metadata: {name: %s, namespace: %s}
                spec:
                  title: %s answers 500s
                  severity: High
                  affected: [{kind: Deployment, name: %s}]
                """.formatted(name, ns, workload, workload), "create", "-f", "-");
        assertThat(created.ok()).as(created.toString()).isTrue();
    }

    private static void awaitHealthyMark(Cluster cluster, String ns, String name, OperatorProcess operator) {
        cluster.kubectlOrFail("-n", ns, "rollout", "status", "deployment/" + name, "--timeout=90s");
        await().atMost(WAIT)
                .alias("revision 1 of " + name + " marked healthy")
                .untilAsserted(() -> assertThat(cluster.kubectl(
                                        "-n",
                                        ns,
                                        "get",
                                        "rs",
                                        "-l",
                                        "app=" + name,
                                        "-o",
                                        "jsonpath={.items[*].metadata.annotations.firebreak\\.dev/observed-healthy-at}")
                                .stdout())
                        .as("operator log:%n%s", operator.log())
                        .isNotBlank());
    }

    private static String get(Cluster cluster, String ns, String incident, String jsonpath) {
        return cluster.kubectl("-n", ns, "get", "incident", incident, "-o", "jsonpath=" + jsonpath)
                .stdout();
    }

    /** A Deployment opted in to auto-rollback whose pods run (on kwok nodes) and become Ready. */
    private static void deploy(Cluster cluster, String ns, String name, String version) {
        Cluster.Result applied = cluster.kubectlWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  namespace: %2$s
                  annotations: {firebreak.dev/auto-rollback: "true"}
                  labels: {app: %1$s}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata:
                      labels: {app: %1$s}
                    spec:
                      nodeSelector: {type: kwok}
                      tolerations: [{key: kwok.x-k8s.io/node, operator: Exists, effect: NoSchedule}]
                      containers:
                      - name: app
                        image: shop/%1$s:%3$s
                """.formatted(name, ns, version), "apply", "-f", "-");
        assertThat(applied.ok()).as("kubectl apply: %s", applied).isTrue();
    }
}
