package dev.firebreak.e2e;

import dev.firebreak.testing.PromText;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real control plane the end-to-end tier runs against (hack/cluster.sh, started by hack/test.sh). Its kubeconfig
 * comes from FIREBREAK_E2E_KUBECONFIG; without a reachable cluster the tier fails loudly instead of skipping.
 */
public final class Cluster {
    public static final String OPERATOR_NAMESPACE = "firebreak-system";
    private static Cluster instance;

    private final Path kubeconfig;
    private final KubernetesClient client;

    private Cluster(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
        try {
            this.client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + kubeconfig, e);
        }
    }

    public static synchronized Cluster get() {
        if (instance == null) {
            String path = System.getenv("FIREBREAK_E2E_KUBECONFIG");
            if (path == null || path.isBlank() || !Files.isReadable(Path.of(path))) {
                throw new IllegalStateException(
                        "The end-to-end tier needs a control plane: FIREBREAK_E2E_KUBECONFIG is '" + path
                                + "'. Run it through ./hack/test.sh, which starts one with hack/cluster.sh.");
            }
            Cluster cluster = new Cluster(Path.of(path));
            Result ready = cluster.kubectl("get", "--raw", "/readyz");
            if (!ready.ok()) {
                throw new IllegalStateException("The control plane at " + path + " is not ready: " + ready);
            }
            instance = cluster;
        }
        return instance;
    }

    /** The API server's /metrics. */
    public PromText apiServerMetrics() {
        return PromText.parse(kubectlOrFail("get", "--raw", "/metrics"));
    }

    /** etcd's /metrics, on its client port (FIREBREAK_ETCD_PORT, as hack/test.sh starts the control plane). */
    public PromText etcdMetrics() {
        String port = System.getenv("FIREBREAK_ETCD_PORT");
        if (port == null || port.isBlank()) {
            throw new IllegalStateException("FIREBREAK_ETCD_PORT is not set: run the tier through ./hack/test.sh");
        }
        try {
            var http = HttpClient.newHttpClient();
            var response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return PromText.parse(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read etcd's metrics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public Result kubectl(String... args) {
        return kubectlWithInput(null, args);
    }

    public Result kubectlWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add("kubectl");
        command.addAll(List.of(args));
        return run(command, stdin);
    }

    /** Deletes the namespace if it exists (waiting until it is gone) and creates it afresh with these labels. */
    public void freshNamespace(String name, Map<String, String> labels) {
        kubectl("delete", "namespace", name, "--wait=true", "--ignore-not-found");
        StringBuilder yaml =
                new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n  labels:\n");
        labels.forEach(
                (k, v) -> yaml.append("    ").append(k).append(": \"").append(v).append("\"\n"));
        Result created = kubectlWithInput(yaml.toString(), "apply", "-f", "-");
        if (!created.ok()) {
            throw new AssertionError("cannot create namespace " + name + ": " + created);
        }
    }

    /** Runs kubectl and fails the test with its output when it does not succeed. */
    public String kubectlOrFail(String... args) {
        Result result = kubectl(args);
        if (!result.ok()) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + result);
        }
        return result.stdout();
    }

    private Result run(List<String> command, String stdin) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            Path out = Files.createTempFile("kubectl", ".out");
            Path err = Files.createTempFile("kubectl", ".err");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process process = builder.start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + stdout + stderr;
        }
    }
}
