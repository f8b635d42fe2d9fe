package dev.firebreak.e2e;

import com.marcnuri.helm.Helm;
import java.nio.file.Path;

/** Installs Firebreak the way users do, once per run: the CRDs, then the Helm chart's objects. */
final class Install {
    private static String chartApplyOutput;

    private Install() {}

    static synchronized String ensure(Cluster cluster) {
        if (chartApplyOutput == null) {
            cluster.kubectlOrFail("apply", "--server-side", "--force-conflicts", "-f", "crds/");
            cluster.kubectlOrFail("wait", "--for", "condition=established", "--timeout=60s", "-f", "crds/");
            // The chart leaves the namespace to 'helm install --create-namespace'; deploy/ has the labelled one.
            cluster.kubectlOrFail("apply", "-f", "deploy/namespace.yaml");
            String rendered = new Helm(Path.of("helm/firebreak"))
                    .template()
                    .withName("firebreak")
                    .withNamespace(Cluster.OPERATOR_NAMESPACE)
                    .withKubeVersion("1.34.4")
                    .call();
            Cluster.Result applied =
                    cluster.kubectlWithInput(rendered, "apply", "-n", Cluster.OPERATOR_NAMESPACE, "-f", "-");
            if (!applied.ok()) {
                throw new AssertionError("helm template output does not apply: " + applied);
            }
            chartApplyOutput = applied.stdout() + applied.stderr();
        }
        return chartApplyOutput;
    }

    /**
     * Grants what the chart grants with inbound.enabled (its own ClusterRole and binding), so that one test can use
     * the inbound endpoints while the others run with the default RBAC. Undone by {@link #revokeInbound}.
     */
    static void grantInbound(Cluster cluster) {
        String rendered = new Helm(Path.of("helm/firebreak"))
                .template()
                .withName("firebreak")
                .withNamespace(Cluster.OPERATOR_NAMESPACE)
                .withKubeVersion("1.34.4")
                .set("inbound.enabled", true)
                .skipCrds()
                .call();
        StringBuilder inbound = new StringBuilder();
        for (String doc : rendered.split("(?m)^---\\s*$")) {
            if (doc.contains("name: firebreak-inbound") && doc.contains("rbac.authorization.k8s.io")) {
                inbound.append("---\n").append(doc.strip()).append("\n");
            }
        }
        if (inbound.isEmpty()) {
            throw new AssertionError("the chart rendered no inbound RBAC with inbound.enabled=true");
        }
        Cluster.Result applied = cluster.kubectlWithInput(inbound.toString(), "apply", "-f", "-");
        if (!applied.ok()) {
            throw new AssertionError("inbound RBAC does not apply: " + applied);
        }
    }

    static void revokeInbound(Cluster cluster) {
        cluster.kubectl("delete", "clusterrolebinding,clusterrole", "firebreak-inbound", "--ignore-not-found");
    }
}
