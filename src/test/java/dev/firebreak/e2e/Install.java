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
}
