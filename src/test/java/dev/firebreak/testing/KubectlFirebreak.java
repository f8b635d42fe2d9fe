package dev.firebreak.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs bin/kubectl-firebreak, the responders' plugin, with real kubectl against the cluster of a kubeconfig. */
public final class KubectlFirebreak {
    private KubectlFirebreak() {}

    /**
     * Runs the plugin with real kubectl against the API server {@code client} talks to (the mock one, or tier 2's
     * real one: then with the client's token and CA).
     */
    public static String against(KubernetesClient client, String namespace, String... args) {
        Config config = client.getConfiguration();
        String tls = config.getCaCertFile() != null
                ? "certificate-authority: \"" + config.getCaCertFile() + "\""
                : config.getCaCertData() != null
                        ? "certificate-authority-data: \"" + config.getCaCertData() + "\""
                        : "insecure-skip-tls-verify: true";
        String token = config.getOauthToken() != null
                ? config.getOauthToken()
                : config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : "test";
        try {
            Path kubeconfig = Files.createTempFile("firebreak-test", ".kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: test, cluster: {server: "%s", %s}}]
                    users: [{name: test, user: {token: "%s"}}]
                    contexts: [{name: test, context: {cluster: test, user: test, namespace: %s}}]
                    current-context: test
                    """.formatted(
                            client.getMasterUrl().toString().replaceAll("/$", ""), tls, token, namespace));
            return run(kubeconfig, args);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the plugin and fails the test with its output unless it succeeds; returns the output. */
    public static String run(Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", "bin/kubectl-firebreak"));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            builder.environment().put("FIREBREAK_USER", "tester");
            builder.environment()
                    .put(
                            "KUBECACHEDIR",
                            Files.createTempDirectory("kubectl-cache").toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("kubectl firebreak finished")
                    .isTrue();
            assertThat(process.exitValue())
                    .as("kubectl firebreak %s: %s", String.join(" ", args), output)
                    .isZero();
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
