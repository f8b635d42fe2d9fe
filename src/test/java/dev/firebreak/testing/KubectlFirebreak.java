package dev.firebreak.testing;

import static org.assertj.core.api.Assertions.assertThat;

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

    /** Runs the plugin with real kubectl against the API server {@code client} talks to (the mock one). */
    public static String against(KubernetesClient client, String namespace, String... args) {
        try {
            Path kubeconfig = Files.createTempFile("mock", ".kubeconfig");
            Files.writeString(
                    kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                    users: [{name: test, user: {token: test}}]
                    contexts: [{name: mock, context: {cluster: mock, user: test, namespace: %s}}]
                    current-context: mock
                    """.formatted(client.getMasterUrl().toString().replaceAll("/$", ""), namespace));
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
