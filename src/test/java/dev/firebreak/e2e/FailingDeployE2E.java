package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.testing.KubectlFirebreak;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3, the failing deploy, on a real control plane (kube-controller-manager's Deployment controller, kwok
 * nodes; pods labelled firebreak.dev/e2e-crash=true crash-loop there): revision 1 becomes available and Firebreak marks
 * it healthy; revision 2's pods crash-loop; Firebreak opens one incident, rolls back to revision 1's template, the
 * controller rolls it out as revision 3, and the incident goes Mitigating, Mitigated, Resolved. The same failure on a
 * Flux-managed Deployment patches nothing and says why. The post-incident review (drafted automatically for High and
 * Critical incidents, on demand otherwise) names the bad revision and image and the rollback, and exports as Markdown.
 */
class FailingDeployE2E {
    private static final String NS = "e2e-rollback";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void aCrashLoopingRevisionIsRolledBackAndAGitOpsOneIsLeftAlone() throws Exception {
        Cluster cluster = Cluster.get();
        Install.ensure(cluster);
        cluster.freshNamespace(NS, Map.of("firebreak.dev/detect-rollouts", "true"));
        try (OperatorProcess operator = OperatorProcess.start(cluster, "failing-deploy-e2e", Map.of())) {
            apply(cluster, "web", Map.of("firebreak.dev/auto-rollback", "\"true\""), Map.of(), "1.0", false);
            apply(
                    cluster,
                    "gitops",
                    Map.of("firebreak.dev/auto-rollback", "\"true\""),
                    Map.of(
                            "kustomize.toolkit.fluxcd.io/name",
                            "apps",
                            "kustomize.toolkit.fluxcd.io/namespace",
                            "flux-system"),
                    "1.0",
                    false);
            for (String name : new String[] {"web", "gitops"}) {
                cluster.kubectlOrFail("-n", NS, "rollout", "status", "deployment/" + name, "--timeout=90s");
                await().atMost(WAIT)
                        .alias("revision 1 of " + name + " marked healthy")
                        .untilAsserted(() -> assertThat(cluster.kubectl(
                                                "-n",
                                                NS,
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

            // Revision 2 crash-loops.
            apply(cluster, "web", Map.of("firebreak.dev/auto-rollback", "\"true\""), Map.of(), "2.0", true);
            apply(
                    cluster,
                    "gitops",
                    Map.of("firebreak.dev/auto-rollback", "\"true\""),
                    Map.of(
                            "kustomize.toolkit.fluxcd.io/name",
                            "apps",
                            "kustomize.toolkit.fluxcd.io/namespace",
                            "flux-system"),
                    "2.0",
                    true);

            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(get(cluster, "rollout-deploy-web-2", "{.status.rollback.state}"))
                            .as("operator log:%n%s", operator.log())
                            .isIn("InProgress", "Succeeded"));
            assertThat(get(cluster, "rollout-deploy-web-2", "{.spec.source.signal} {.spec.source.images[0]}"))
                    .isEqualTo("CrashLoopBackOff shop/web:2.0");
            assertThat(
                            get(
                                    cluster,
                                    "rollout-deploy-web-2",
                                    "{.status.rollback.fromRevision}->{.status.rollback.toRevision} {.status.rollback.toImages[0]}"))
                    .isEqualTo("2->1 shop/web:1.0");

            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(
                                    get(cluster, "rollout-deploy-web-2", "{.status.phase} {.status.rollback.state}"))
                            .as("operator log:%n%s", operator.log())
                            .isEqualTo("Resolved Succeeded"));
            assertThat(cluster.kubectlOrFail(
                            "-n",
                            NS,
                            "get",
                            "deployment",
                            "web",
                            "-o",
                            "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision} "
                                    + "{.spec.template.spec.containers[0].image} {.status.availableReplicas}"))
                    .as("the controller rolled revision 1's template out as revision 3")
                    .isEqualTo("3 shop/web:1.0 2");
            assertThat(get(cluster, "rollout-deploy-web-2", "{.status.timeline[*].type}"))
                    .contains("RemediationStarted", "RemediationSucceeded", "Resolved");
            KubectlFirebreak.run(cluster.kubeconfig(), "review", "rollout-deploy-web-2", "-n", NS);
            String rootCause = "Deployment " + NS + "/web revision 2 (image shop/web:2.0) failed; rolled back to "
                    + "revision 1 (image shop/web:1.0)";
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(cluster.kubectl(
                                            "-n",
                                            NS,
                                            "get",
                                            "postincidentreview",
                                            "rollout-deploy-web-2",
                                            "-o",
                                            "jsonpath={.spec.rootCause}")
                                    .stdout())
                            .as("operator log:%n%s", operator.log())
                            .isEqualTo(rootCause));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(KubectlFirebreak.run(
                                    cluster.kubeconfig(), "review", "export", "rollout-deploy-web-2", "-n", NS))
                            .contains("## Root Cause\n\n" + rootCause, "## Actions Taken", "mitigated: rollback of"));
            assertThat(get(cluster, "rollout-deploy-web-2", "{.status.postIncidentReviewRef.name}"))
                    .isEqualTo("rollout-deploy-web-2");
            assertThat(cluster.kubectlOrFail("-n", NS, "get", "incidents", "-o", "name"))
                    .as("one incident per rollout failure")
                    .contains("rollout-deploy-web-2")
                    .doesNotContain("rollout-deploy-web-3");

            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(get(
                                    cluster,
                                    "rollout-deploy-gitops-2",
                                    "{.status.rollback.state}: {.status.rollback.reason}"))
                            .isEqualTo("Skipped: managed by Flux "
                                    + "Kustomization flux-system/apps: revert the commit in Git, or suspend it (spec.suspend: true), "
                                    + "then roll back"));
            assertThat(cluster.kubectlOrFail(
                            "-n",
                            NS,
                            "get",
                            "deployment",
                            "gitops",
                            "-o",
                            "jsonpath={.spec.template.spec.containers[0].image}"))
                    .isEqualTo("shop/gitops:2.0");
        }
    }

    @Test
    void aCrashLoopingStatefulSetRevisionIsRolledBackWithTheForcedRollback() throws Exception {
        Cluster cluster = Cluster.get();
        Install.ensure(cluster);
        String ns = NS + "-sts";
        cluster.freshNamespace(
                ns, Map.of("firebreak.dev/detect-rollouts", "true", "firebreak.dev/auto-rollback", "true"));
        try (OperatorProcess operator = OperatorProcess.start(cluster, "failing-sts-e2e", Map.of())) {
            applyStatefulSet(cluster, ns, "16", false);
            cluster.kubectlOrFail("-n", ns, "rollout", "status", "statefulset/db", "--timeout=90s");
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(cluster.kubectl(
                                            "-n",
                                            ns,
                                            "get",
                                            "controllerrevisions",
                                            "-l",
                                            "app=db",
                                            "-o",
                                            "jsonpath={.items[*].metadata.annotations.firebreak\\.dev/observed-healthy-at}")
                                    .stdout())
                            .as("revision 1 marked healthy; operator log:%n%s", operator.log())
                            .isNotBlank());
            String good = cluster.kubectlOrFail(
                    "-n", ns, "get", "statefulset", "db", "-o", "jsonpath={.status.currentRevision}");

            applyStatefulSet(cluster, ns, "17", true);
            // OrderedReady: db-1 is recreated on revision 2, crash-loops, and the controller waits for it forever.
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(cluster.kubectl(
                                            "-n",
                                            ns,
                                            "get",
                                            "incidents",
                                            "-o",
                                            "jsonpath={.items[*].status.rollback.state}")
                                    .stdout())
                            .as("operator log:%n%s", operator.log())
                            .isIn("InProgress", "Succeeded"));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(cluster.kubectl(
                                            "-n",
                                            ns,
                                            "get",
                                            "incidents",
                                            "-o",
                                            "jsonpath={.items[*].status.phase} {.items[*].status.rollback.state}")
                                    .stdout())
                            .as("operator log:%n%s", operator.log())
                            .isEqualTo("Resolved Succeeded"));
            assertThat(cluster.kubectlOrFail(
                            "-n",
                            ns,
                            "get",
                            "statefulset",
                            "db",
                            "-o",
                            "jsonpath={.status.currentRevision} {.spec.template.spec.containers[0].image} "
                                    + "{.status.availableReplicas}"))
                    .isEqualTo(good + " postgres:16 2");
            assertThat(cluster.kubectlOrFail(
                            "-n",
                            ns,
                            "get",
                            "events",
                            "--field-selector",
                            "involvedObject.kind=StatefulSet",
                            "-o",
                            "jsonpath={.items[*].message}"))
                    .contains("deleted pod db-1 of the bad revision");
        }
    }

    private static void applyStatefulSet(Cluster cluster, String ns, String version, boolean crash) {
        Cluster.Result applied = cluster.kubectlWithInput("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: %1$s}
                spec:
                  replicas: 2
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata:
                      labels: {app: db, firebreak.dev/e2e-crash: "%2$s"}
                    spec:
                      nodeSelector: {type: kwok}
                      containers: [{name: db, image: "postgres:%3$s"}]
                """.formatted(ns, crash, version), "apply", "-f", "-");
        assertThat(applied.ok()).as("kubectl apply: %s", applied).isTrue();
    }

    private static String get(Cluster cluster, String incident, String jsonpath) {
        return cluster.kubectl("-n", NS, "get", "incident", incident, "-o", "jsonpath=" + jsonpath)
                .stdout();
    }

    private static void apply(
            Cluster cluster,
            String name,
            Map<String, String> annotations,
            Map<String, String> labels,
            String version,
            boolean crash) {
        StringBuilder meta = new StringBuilder();
        annotations.forEach(
                (k, v) -> meta.append("    ").append(k).append(": ").append(v).append("\n"));
        StringBuilder lab = new StringBuilder();
        labels.forEach(
                (k, v) -> lab.append("    ").append(k).append(": ").append(v).append("\n"));
        Cluster.Result applied =
                cluster.kubectlWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  namespace: %2$s
                  annotations:
                %3$s  labels:
                    app: %1$s
                %4$sspec:
                  replicas: 2
                  progressDeadlineSeconds: 600
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata:
                      labels:
                        app: %1$s
                        firebreak.dev/e2e-crash: "%5$s"
                    spec:
                      nodeSelector: {type: kwok}
                      tolerations: [{key: kwok.x-k8s.io/node, operator: Exists, effect: NoSchedule}]
                      containers:
                      - name: app
                        image: shop/%1$s:%6$s
                """.formatted(name, NS, meta, lab, crash, version), "apply", "-f", "-");
        assertThat(applied.ok()).as("kubectl apply: %s", applied).isTrue();
    }
}
