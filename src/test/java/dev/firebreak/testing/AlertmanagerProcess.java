package dev.firebreak.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's Alertmanager (installed by .ci/run and hack/test.sh) on loopback for a test: clustering off, its own
 * storage, a free port, one webhook receiver pointing at Firebreak with bearer auth and short group timings. Fails
 * loudly when the binary is missing.
 */
public final class AlertmanagerProcess implements AutoCloseable {
    public static final String BINARY = "/usr/bin/prometheus-alertmanager";

    private final Process process;
    private final Path dir;
    private final int port;

    private AlertmanagerProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static AlertmanagerProcess start(Path dir, String webhookUrl, String token) throws IOException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's prometheus-alertmanager "
                    + "(.ci/run and hack/test.sh do)");
        }
        Files.createDirectories(dir);
        int port = freePort();
        Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: firebreak
                  group_by: [alertname, namespace]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                - name: firebreak
                  webhook_configs:
                  - url: %s
                    send_resolved: true
                    max_alerts: 0
                    http_config:
                      authorization:
                        type: Bearer
                        credentials: %s
                """.formatted(webhookUrl, token));
        Process process = new ProcessBuilder(
                        BINARY,
                        "--config.file=" + dir.resolve("alertmanager.yml"),
                        "--storage.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address=")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile())
                .start();
        awaitReady(port);
        return new AlertmanagerProcess(process, dir, port);
    }

    /** Waits until a Prometheus-style server on loopback answers /-/ready. */
    public static void awaitReady(int port) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> http.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("alertmanager.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
