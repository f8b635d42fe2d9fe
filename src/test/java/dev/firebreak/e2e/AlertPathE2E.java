package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.firebreak.secrets.Hmac;
import dev.firebreak.testing.AlertmanagerProcess;
import dev.firebreak.testing.HttpReceiver;
import dev.firebreak.testing.KubectlFirebreak;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2, the alert path, with real components: a fixture target exposes {@code process_cpu_seconds_total};
 * Debian's Prometheus 2.42 scrapes it and evaluates the committed {@code HighCpuUsage} rule
 * (deploy/examples/prometheus/rules.yml, with its timings compressed: {@code for: 0s} and a 10 s rate window instead of
 * 5m and 1m); Debian's Alertmanager 0.25 routes the alert to the packaged operator's webhook with bearer auth; the
 * Incident opens with the severity the rule's labels give, and it resolves when the CPU use drops and the alert
 * resolves. Paging: an EscalationPolicy pages a local PagerDuty stand-in at level 0 within a minute of the alert
 * (trigger with the incident's UID as dedup key); the responder acknowledges in PagerDuty: the stand-in posts a signed
 * Webhooks v3 {@code incident.acknowledged} to the operator (the chart's inbound RBAC granted), which acknowledges
 * the incident and stops escalation (level 1, a webhook 20 s later, never fires); the resolution resolves it.
 */
class AlertPathE2E {
    private static final String TOKEN = "alert-path-e2e-token";
    private static final String PD_WEBHOOK_SECRET = "alert-path-e2e-pagerduty-subscription-secret";
    private final List<Process> processes = new ArrayList<>();
    private AlertmanagerProcess alertmanager;
    private HttpReceiver pager;
    private HttpServer target;
    private volatile boolean busy = true;
    private volatile double cpuSeconds;
    private volatile long lastNanos = System.nanoTime();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            p.waitFor();
        }
        if (target != null) {
            target.stop(0);
        }
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (pager != null) {
            pager.close();
        }
        Install.revokeInbound(Cluster.get());
        Cluster.get()
                .kubectl(
                        "delete",
                        "escalationpolicy",
                        "alert-path",
                        "-n",
                        Cluster.OPERATOR_NAMESPACE,
                        "--ignore-not-found");
    }

    @Test
    void highCpuOpensAnIncidentThatIsAcknowledgedAndResolvesWithTheAlert() throws Exception {
        Cluster cluster = Cluster.get();
        Install.ensure(cluster);
        cluster.kubectl(
                "-n", Cluster.OPERATOR_NAMESPACE, "delete", "secret", "firebreak-webhook-auth", "--ignore-not-found");
        cluster.kubectlOrFail(
                "-n",
                Cluster.OPERATOR_NAMESPACE,
                "create",
                "secret",
                "generic",
                "firebreak-webhook-auth",
                "--from-literal=token=" + TOKEN);
        cluster.kubectl(
                "-n",
                Cluster.OPERATOR_NAMESPACE,
                "delete",
                "incidents",
                "-l",
                "firebreak.dev/alert-group",
                "--ignore-not-found");
        Path dir = Files.createDirectories(Path.of("target/e2e/alert-path"));
        pager = new HttpReceiver().answer("/pd", 202, "{\"status\":\"success\"}");
        cluster.kubectl(
                "-n", Cluster.OPERATOR_NAMESPACE, "delete", "secret", "alert-path-paging", "--ignore-not-found");
        cluster.kubectlOrFail(
                "-n",
                Cluster.OPERATOR_NAMESPACE,
                "create",
                "secret",
                "generic",
                "alert-path-paging",
                "--from-literal=routing-key=ALERTPATHROUTINGKEY0000000000001",
                "--from-literal=webhook-secret=" + PD_WEBHOOK_SECRET);
        Cluster.Result policy = cluster.kubectlWithInput(
                """
                apiVersion: firebreak.dev/v1alpha1
                kind: EscalationPolicy
                metadata: {name: alert-path, namespace: %s}
                spec:
                  match:
                    selector:
                      matchExpressions: [{key: firebreak.dev/alert-group, operator: Exists}]
                  levels:
                  - targets:
                    - pagerDuty:
                        routingKeySecretRef: {name: alert-path-paging, key: routing-key}
                        url: "%s"
                        webhookSecretRef: {name: alert-path-paging, key: webhook-secret}
                  - delay: 20s
                    targets:
                    - webhook: {url: "%s"}
                """.formatted(Cluster.OPERATOR_NAMESPACE, pager.url("/pd"), pager.url("/level-1")), "apply", "-f", "-");
        assertThat(policy.ok()).as(policy.toString()).isTrue();

        int targetPort = startTarget();
        Install.grantInbound(cluster);
        try (OperatorProcess operator = OperatorProcess.start(
                cluster,
                "alert-path-e2e",
                Map.of("FIREBREAK_WEBHOOK_AUTH_MODE", "bearer", "FIREBREAK_INBOUND_ENABLED", "true"))) {
            alertmanager = AlertmanagerProcess.start(
                    dir.resolve("alertmanager"),
                    "http://127.0.0.1:" + operator.port() + "/api/v1/alerts/alertmanager",
                    TOKEN);
            int alertmanagerPort = alertmanager.port();
            startPrometheus(dir, targetPort, alertmanagerPort);

            String name = await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> incidentName(cluster), n -> !n.isEmpty());
            assertThat(name).as("deterministic name of the group's incident").startsWith("am-highcpuusage-");
            String incident = "incident/" + name;
            String ns = Cluster.OPERATOR_NAMESPACE;
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(cluster.kubectlOrFail(
                                    "get", incident, "-n", ns, "-o", "jsonpath={.status.phase} {.status.severity}"))
                            .as("operator log:%n%s", operator.log())
                            .isEqualTo("Triggered Critical"));
            assertThat(cluster.kubectlOrFail("get", incident, "-n", ns, "-o", "jsonpath={.spec.title}"))
                    .isEqualTo("High CPU usage on 127.0.0.1:" + targetPort);
            assertThat(cluster.kubectlOrFail(
                            "get", incident, "-n", ns, "-o", "jsonpath={.status.classification.reason}"))
                    .contains("label severity=\"critical\" on alert HighCpuUsage");
            assertThat(cluster.kubectlOrFail(
                            "get",
                            incident,
                            "-n",
                            ns,
                            "-o",
                            "jsonpath={.status.alerts[0].labels.team} {.status.alerts[0].state}"))
                    .isEqualTo("payments Firing");

            String uid = cluster.kubectlOrFail("get", incident, "-n", ns, "-o", "jsonpath={.metadata.uid}");
            Instant created = Instant.parse(
                    cluster.kubectlOrFail("get", incident, "-n", ns, "-o", "jsonpath={.metadata.creationTimestamp}"));
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(pages(uid, "trigger"))
                            .as("PagerDuty trigger; operator log:%n%s", operator.log())
                            .hasSize(1));
            Duration toPage = Duration.between(created, Instant.now());
            System.out.printf(
                    "incident %s paged %d ms after it was created (second-precision creation time)%n",
                    name, toPage.toMillis());
            assertThat(toPage).isLessThan(Duration.ofMinutes(1));
            assertThat(cluster.kubectlOrFail(
                            "get",
                            incident,
                            "-n",
                            ns,
                            "-o",
                            "jsonpath={.status.escalation.policy} {.status.escalation.level}"))
                    .isEqualTo("alert-path 0");

            // Alice acknowledges in PagerDuty; PagerDuty posts the signed webhook.
            String event = """
                    {"event":{"id":"01E2EACK","event_type":"incident.acknowledged","resource_type":"incident",\
                    "occurred_at":"%s","agent":{"id":"PALICE1","type":"user_reference","summary":"alice"},\
                    "data":{"id":"PINC001","type":"incident","status":"acknowledged","incident_key":"%s"}}}""".formatted(Instant.now(), uid);
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.port()
                                            + "/api/v1/inbound/pagerduty/" + ns + "/alert-path"))
                                    .header("Content-Type", "application/json")
                                    .header("X-Webhook-Id", "e2e-ack-1")
                                    .header(
                                            "X-PagerDuty-Signature",
                                            "v1="
                                                    + Hmac.sha256Hex(
                                                            PD_WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8),
                                                            event.getBytes(StandardCharsets.UTF_8)))
                                    .POST(HttpRequest.BodyPublishers.ofString(event))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"changed\":true");
            assertThat(cluster.kubectlOrFail("get", incident, "-n", ns, "-o", "jsonpath={.spec.acknowledgedBy}"))
                    .isEqualTo("alice via PagerDuty");
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(pages(uid, "acknowledge")).hasSize(1));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.kubectl("get", incident, "-n", ns, "-o", "jsonpath={.status.phase}")
                            .stdout()
                            .equals("Acknowledged"));

            busy = false;
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(cluster.kubectl(
                                            "get",
                                            incident,
                                            "-n",
                                            ns,
                                            "-o",
                                            "jsonpath={.status.phase} {.status.alerts[0].state}")
                                    .stdout())
                            .as("operator log:%n%s", operator.log())
                            .isEqualTo("Resolved Resolved"));
            assertThat(KubectlFirebreak.run(cluster.kubeconfig(), "timeline", name, "-n", ns))
                    .contains(
                            "incident opened: High CPU usage",
                            "firing since",
                            "acknowledged by alice via PagerDuty",
                            "resolved",
                            "resolved by itself: all 1 alert resolved");
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(pages(uid, "resolve")).hasSize(1));
            assertThat(pager.requests("/level-1"))
                    .as("acknowledged: level 1 never fires")
                    .isEmpty();
            assertThat(cluster.kubectlOrFail(
                            "get",
                            "events",
                            "-n",
                            ns,
                            "--field-selector",
                            "involvedObject.name=" + name,
                            "-o",
                            "jsonpath={.items[*].reason}"))
                    .contains("Opened", "AlertFiring", "Acknowledged", "AlertResolved", "Resolved");
        }
    }

    private List<String> pages(String uid, String action) {
        return pager.bodies("/pd/v2/enqueue", "\"dedup_key\":\"" + uid + "\"", "\"event_action\":\"" + action + "\"");
    }

    private static String incidentName(Cluster cluster) {
        return cluster.kubectl(
                        "get",
                        "incidents",
                        "-n",
                        Cluster.OPERATOR_NAMESPACE,
                        "-o",
                        "jsonpath={.items[?(@.spec.source.type==\"Alertmanager\")].metadata.name}")
                .stdout()
                .strip();
    }

    /** The fixture: a process burning 2 cores while busy, idle afterwards. */
    private int startTarget() throws IOException {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", exchange -> {
            long now = System.nanoTime();
            synchronized (this) {
                if (busy) {
                    cpuSeconds += 2.0 * (now - lastNanos) / 1e9;
                }
                lastNanos = now;
            }
            byte[] body = ("# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
                            + "# TYPE process_cpu_seconds_total counter\n"
                            + "process_cpu_seconds_total " + cpuSeconds + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        target.start();
        return target.getAddress().getPort();
    }

    private void startPrometheus(Path dir, int targetPort, int alertmanagerPort) throws IOException {
        String rules = Files.readString(Path.of("deploy/examples/prometheus/rules.yml"));
        String compressed = rules.replace("for: 5m", "for: 0s").replace("[1m]", "[10s]");
        assertThat(compressed)
                .as("the committed rule still has the timings this test compresses")
                .isNotEqualTo(rules)
                .contains("for: 0s", "[10s]");
        Files.writeString(dir.resolve("rules.yml"), compressed);
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: [%s]
                alerting:
                  alertmanagers:
                  - static_configs: [{targets: ['127.0.0.1:%d']}]
                scrape_configs:
                - job_name: fixture
                  static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(
                        dir.resolve("rules.yml").toAbsolutePath(), alertmanagerPort, targetPort));
        int port = AlertmanagerProcess.freePort();
        start(
                dir,
                "prometheus",
                binary("/usr/bin/prometheus", "prometheus"),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("prom-data"),
                "--web.listen-address=127.0.0.1:" + port);
        AlertmanagerProcess.awaitReady(port);
    }

    private void start(Path dir, String name, String... command) throws IOException {
        processes.add(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start());
    }

    private static String binary(String path, String debianPackage) {
        if (!Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException(
                    path + " is missing: install Debian's " + debianPackage + " (.ci/run and hack/test.sh do)");
        }
        return path;
    }
}
