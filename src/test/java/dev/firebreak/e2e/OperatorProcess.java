package dev.firebreak.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Firebreak as users run it: the packaged application (java -jar target/quarkus-app/quarkus-run.jar, prod profile,
 * server-side apply, leader election) with the credentials of the ServiceAccount the Helm chart creates, so that
 * missing or excessive RBAC shows up here.
 */
public final class OperatorProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final List<OperatorProcess> RUNNING = new ArrayList<>();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(OperatorProcess::kill)));
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private OperatorProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts a replica named {@code name} (its leader-election identity and log file name). */
    public static OperatorProcess start(Cluster cluster, String name, Map<String, String> env) throws IOException {
        return start(cluster, name, env, List.of("java", "-Xmx256m"));
    }

    /**
     * As above, with the command that starts the JVM before {@code -jar} ({@code java} and its options, or a wrapper
     * that ends by running them, such as one that moves the process into a memory cgroup first).
     */
    public static OperatorProcess start(Cluster cluster, String name, Map<String, String> env, List<String> java)
            throws IOException {
        return start(cluster, name, env, java, Cluster.OPERATOR_NAMESPACE, "firebreak");
    }

    /** As above, as another ServiceAccount (another installation of the chart). */
    public static OperatorProcess startAs(
            Cluster cluster, String name, Map<String, String> env, String namespace, String serviceAccount)
            throws IOException {
        return start(cluster, name, env, List.of("java", "-Xmx256m"), namespace, serviceAccount);
    }

    private static OperatorProcess start(
            Cluster cluster,
            String name,
            Map<String, String> env,
            List<String> java,
            String namespace,
            String serviceAccount)
            throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the end-to-end tier runs after 'mvn package'");
        }
        Path dir = Files.createDirectories(Path.of("target/e2e"));
        Path kubeconfig =
                serviceAccountKubeconfig(cluster, dir.resolve(name + ".kubeconfig"), namespace, serviceAccount);
        Path log = dir.resolve(name + ".log");
        int port = freePort();
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("HOSTNAME", name);
        builder.environment().put("FIREBREAK_LEADER_ELECTION_LEASE_NAMESPACE", Cluster.OPERATOR_NAMESPACE);
        builder.environment().putAll(env);
        OperatorProcess operator = new OperatorProcess(name, builder.start(), log, port);
        RUNNING.add(operator);
        return operator;
    }

    /** A kubeconfig for the cluster whose user is the chart's ServiceAccount, with a short-lived token. */
    static Path serviceAccountKubeconfig(Cluster cluster, Path file, String namespace, String serviceAccount)
            throws IOException {
        String token = cluster.kubectlOrFail("create", "token", serviceAccount, "-n", namespace, "--duration=1h")
                .strip();
        String server =
                cluster.kubectlOrFail("config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}");
        String ca = cluster.kubectlOrFail(
                "config", "view", "--minify", "--raw", "-o", "jsonpath={.clusters[0].cluster.certificate-authority}");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: e2e, cluster: {server: "%s", certificate-authority: "%s"}}]
                users: [{name: firebreak, user: {token: "%s"}}]
                contexts: [{name: e2e, context: {cluster: e2e, user: firebreak, namespace: %s}}]
                current-context: e2e
                """.formatted(server, ca, token, namespace));
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL: the replica dies as a crashed or evicted pod would, without releasing its Lease. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /**
     * SIGTERM, as the kubelet sends at pod deletion; waits at most {@code grace} for the exit (then SIGKILL, as the
     * kubelet does after the grace period). The exit code, or empty when it had to be killed.
     */
    public OptionalInt terminate(Duration grace) {
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                RUNNING.remove(this);
                return OptionalInt.of(process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        return OptionalInt.empty();
    }

    @Override
    public void close() {
        process.destroy();
        waitForExit();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(this);
    }
}
