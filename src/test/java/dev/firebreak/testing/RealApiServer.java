package dev.firebreak.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Tier 2's API server: a real kube-apiserver 1.34 and etcd (hack/cluster.sh with {@code FIREBREAK_CONTROL_PLANE=bare},
 * control plane {@value #NAME}: no controller-manager, so the ReplicaSets and pods a test creates are the only ones),
 * started on first use in a test JVM, fresh, and stopped when the JVM exits. The operator under test applies its CRDs
 * at start ({@code %test.quarkus.operator-sdk.crd.apply}) and talks to it as cluster admin. Each test class works in
 * namespaces of its own ({@link #freshNamespace}), as Keycloak's operator tests do: the API server is shared by every
 * class of the run, and the operator of a later class still sees an earlier class's objects.
 * <p>
 * Starting it needs the control plane's binaries (built once from the Go module proxy by {@code hack/cluster.sh
 * build}, cached); a test using this resource fails, not skips, when it cannot start.
 */
public class RealApiServer implements QuarkusTestResourceLifecycleManager {
    static final String NAME = "tier2";
    private static final Map<String, String> ENV = Map.of(
            "FIREBREAK_CLUSTER", NAME,
            "FIREBREAK_CONTROL_PLANE", "bare",
            "FIREBREAK_APISERVER_PORT", "25443",
            "FIREBREAK_ETCD_PORT", "22790",
            "FIREBREAK_ETCD_QUOTA_BYTES", "268435456");
    private static Config config;

    /**
     * The client settings, as fabric8's own system properties: the mock API server's test resource sets the same
     * ones (as system properties too), so whichever of the two a test class uses is the one its client talks to.
     */
    @Override
    public Map<String, String> start() {
        Config server = up();
        Map<String, String> settings = Map.of(
                "kubernetes.master", server.getMasterUrl(),
                "kubernetes.auth.token", server.getAutoOAuthToken(),
                "kubernetes.certs.ca.file", server.getCaCertFile(),
                "kubernetes.trust.certificates", "false",
                "kubernetes.auth.tryKubeConfig", "false",
                "kubernetes.auth.tryServiceAccount", "false",
                "kubernetes.namespace", "default",
                "quarkus.kubernetes-client.devservices.enabled", "false");
        settings.forEach(System::setProperty);
        return settings;
    }

    @Override
    public void stop() {
        // Stopped once, when the JVM exits: the next class that uses it reuses it.
    }

    /** The running control plane's client configuration, starting it (fresh) on the first call of this JVM. */
    static synchronized Config up() {
        if (config == null) {
            cluster("down");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster("down"), "tier2-api-server-down"));
            cluster("up");
            String cache = System.getenv()
                    .getOrDefault("FIREBREAK_CACHE", System.getProperty("user.home") + "/.cache/firebreak");
            Path kubeconfig = Path.of(cache, "clusters", NAME, "kubeconfig");
            try {
                config = Config.fromKubeconfig(Files.readString(kubeconfig, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("tier 2: no kubeconfig at " + kubeconfig, e);
            }
        }
        return config;
    }

    /** A namespace of its own for one test class: {@code prefix} and a random suffix, created now. */
    public static String freshNamespace(KubernetesClient client, String prefix) {
        return namespace(
                client,
                prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 25), 36));
    }

    /** Creates namespace {@code name} unless it exists (a class that names its own, unique in the suite). */
    public static String namespace(KubernetesClient client, String name) {
        if (client.namespaces().withName(name).get() == null) {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .build())
                    .create();
        }
        return name;
    }

    private static void cluster(String command) {
        ProcessBuilder builder = new ProcessBuilder("bash", "hack/cluster.sh", command)
                .redirectErrorStream(true)
                .redirectOutput(
                        Path.of("target", NAME + "-cluster-" + command + ".log").toFile());
        builder.environment().putAll(ENV);
        builder.environment().remove("KUBECONFIG");
        try {
            Files.createDirectories(Path.of("target"));
            Process process = builder.start();
            if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("tier 2: 'hack/cluster.sh " + command + "' failed; see target/" + NAME
                        + "-cluster-" + command + ".log");
            }
        } catch (IOException e) {
            throw new IllegalStateException("tier 2: could not run hack/cluster.sh " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
