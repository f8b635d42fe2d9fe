package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.intake.alertmanager.AlertGroup;
import dev.firebreak.intake.alertmanager.AlertMerge;
import dev.firebreak.intake.alertmanager.PayloadParser;
import dev.firebreak.intake.alertmanager.WebhookNotification;
import dev.firebreak.testing.HttpReceiver;
import dev.firebreak.testing.Notifications;
import dev.firebreak.testing.PromText;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The footprint benchmark (docs/benchmarks.md, issue #15): what Firebreak costs at rest in a large cluster. The
 * benchmark creates {@code bench.incidents} (5,000) open incidents, as the intake opens them, and
 * {@code bench.deployments} (10,000) Deployments with no replicas, with bounded concurrency; a first operator
 * reconciles the incidents (each is paged once, by the namespace's EscalationPolicy, to a local receiver) and is
 * stopped. Then the measured start: the packaged operator's start-up time to Ready, to every incident reconciled
 * again, its RSS 60 s after ready, and its CPU over the 30 s after that.
 *
 * <p>Run with {@code ./bench/run.sh footprint}; results go to target/bench/footprint.md.
 */
class FootprintBench {
    private static final int INCIDENTS = Integer.getInteger("bench.incidents", 5000);
    private static final int DEPLOYMENTS = Integer.getInteger("bench.deployments", 10_000);
    private static final int NAMESPACES = 10;
    private static final int IN_FLIGHT = 16;
    private static final Duration SETTLE = Duration.ofSeconds(Long.getLong("bench.settleDeadline", 600));
    private static final Instant STARTS_AT = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
    private static final String RECONCILED = "operator_sdk_reconciliations_success_total";
    private static final Set<String> RESOURCES = Set.of("incidents", "escalationpolicies", "oncallschedules",
            "postincidentreviews", "events", "secrets", "namespaces", "pods", "deployments", "replicasets",
            "statefulsets", "daemonsets", "leases");

    private final Cluster cluster = Cluster.get();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void footprint() throws Exception {
        Install.ensure(cluster);
        Bench.webhookToken(cluster, "footprint-bench-token");
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "# Footprint: %,d open incidents and %,d Deployments (replicas 0)%n%n", INCIDENTS, DEPLOYMENTS));
        try (HttpReceiver receiver = new HttpReceiver()) {
            long t0 = System.nanoTime();
            for (int n = 0; n < NAMESPACES; n++) {
                cluster.freshNamespace("fp-incidents-" + n, Map.of());
                cluster.freshNamespace("fp-apps-" + n, Map.of());
                Cluster.Result policy = cluster.kubectlWithInput("""
                        apiVersion: firebreak.dev/v1alpha1
                        kind: EscalationPolicy
                        metadata: {name: page-receiver, namespace: fp-incidents-%d}
                        spec:
                          levels:
                          - targets:
                            - webhook: {url: "%s"}
                        """.formatted(n, receiver.url("/pages")), "apply", "-f", "-");
                assertThat(policy.ok()).as(policy.toString()).isTrue();
            }
            createIncidents();
            double incidentsCreated = (System.nanoTime() - t0) / 1e9;
            createDeployments();
            double created = (System.nanoTime() - t0) / 1e9;
            report.append(String.format(Locale.ROOT, "- created by the benchmark (%d in flight): incidents in %.0f s, "
                    + "Deployments in %.0f s%n", IN_FLIGHT, incidentsCreated, created - incidentsCreated));

            // The first start reconciles every incident for the first time (and pages it once): not measured as the
            // footprint, only reported.
            try (OperatorProcess first = OperatorProcess.start(cluster, "footprint-bench-first", Map.of())) {
                long start = System.nanoTime();
                boolean settled = awaitReconciled(SETTLE);
                report.append(String.format(Locale.ROOT, "- first start (every incident reconciled for the first "
                        + "time, paged once): %s; operator CPU %.0f s, peak RSS %.0f MiB; %d pages received%n",
                        settled ? String.format(Locale.ROOT, "all reconciled %.0f s after the process started",
                                (System.nanoTime() - start) / 1e9)
                                : String.format(Locale.ROOT, "%d of %d not reconciled within %d s", INCIDENTS
                                        - reconciled(), INCIDENTS, SETTLE.toSeconds()),
                        Bench.cpuSeconds(first.pid()), Bench.vmKiB(first.pid(), "VmHWM:") / 1024.0,
                        receiver.requests("/pages").size()));
                Bench.write("footprint", report);
            }

            // The measured start: an operator restarted in a cluster this size, everything reconciled before.
            PromText apiBefore = cluster.apiServerMetrics();
            long start = System.nanoTime();
            try (OperatorProcess operator = OperatorProcess.start(cluster, "footprint-bench", Map.of())) {
                // Readiness as the chart's probe asks it, from the process start.
                Bench.awaitReady(http, operator, Duration.ofSeconds(300));
                double ready = (System.nanoTime() - start) / 1e9;
                double cpuAtReady = Bench.cpuSeconds(operator.pid());
                long rssAtReady = Bench.vmKiB(operator.pid(), "VmRSS:");
                long readyAt = System.nanoTime();
                // The start-up backlog: the incident reconciler reconciles every incident once more at start (its
                // operator SDK metrics count them), within the 60 s after ready or not.
                String metrics = "http://127.0.0.1:" + operator.port() + "/q/metrics";
                double[] backlogDone = {Double.NaN};
                try {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                            .until(() -> incidentReconciles(metrics) < 0 || incidentReconciles(metrics) >= INCIDENTS);
                    backlogDone[0] = (System.nanoTime() - start) / 1e9;
                } catch (ConditionTimeoutException e) {
                    // reported below
                }
                double reconcilesAt60 = incidentReconciles(metrics);
                long steadyAt = readyAt + TimeUnit.SECONDS.toNanos(60);
                await().pollDelay(Duration.ofNanos(Math.max(0, steadyAt - System.nanoTime())))
                        .atMost(Duration.ofSeconds(70)).until(() -> true);
                long rssSteady = Bench.vmKiB(operator.pid(), "VmRSS:");
                double cpuBeforeIdle = Bench.cpuSeconds(operator.pid());
                long idleStart = System.nanoTime();
                await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(40)).until(() -> true);
                double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
                double idleCpu = Bench.cpuSeconds(operator.pid()) - cpuBeforeIdle;
                PromText apiAfter = cluster.apiServerMetrics();
                long peak = Bench.vmKiB(operator.pid(), "VmHWM:");
                assertThat(operator.isAlive()).as("the operator is running").isTrue();
                report.append(String.format(Locale.ROOT, "- start-up to Ready (`/q/health/ready` 200): **%.1f s** "
                                + "(operator CPU until then %.1f s, RSS when ready %.0f MiB)%n", ready, cpuAtReady,
                                rssAtReady / 1024.0))
                        .append(reconcilesAt60 < 0 ? "- start-up backlog: not measured (the operator exposes no "
                                + RECONCILED + ")\n"
                                : Double.isNaN(backlogDone[0]) ? String.format(Locale.ROOT, "- start-up backlog: %.0f "
                                        + "of %d incidents reconciled 60 s after ready%n", reconcilesAt60, INCIDENTS)
                                : String.format(Locale.ROOT, "- every incident reconciled again (the start-up "
                                        + "backlog): %.1f s after the process started%n", backlogDone[0]))
                        .append(String.format(Locale.ROOT, "- RSS 60 s after ready: **%.0f MiB** (peak %.0f MiB); "
                                + "operator CPU in those 60 s %.1f s%n", rssSteady / 1024.0, peak / 1024.0,
                                cpuBeforeIdle - cpuAtReady))
                        .append(String.format(Locale.ROOT, "- CPU at idle, the %.0f s after that: **%.1f ms per "
                                + "second** (%.2f s in all)%n", idleSeconds, 1000 * idleCpu / idleSeconds, idleCpu))
                        .append(String.format(Locale.ROOT, "- API requests from the start to the end of the idle "
                                + "window (%.0f s): %s%n", (System.nanoTime() - start) / 1e9,
                                Bench.describe(Bench.requestCounts(apiBefore, apiAfter, RESOURCES))))
                        .append("- operator log: ").append(Bench.logLevels(operator)).append('\n');
            }
        }
        Bench.write("footprint", report);
        System.out.println(report);
    }

    /** The incidents, as the intake opens them: a create, then the first alerts, at most IN_FLIGHT at once. */
    private void createIncidents() throws Exception {
        KubernetesClient client = cluster.client();
        var json = client.getKubernetesSerialization();
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < INCIDENTS; i++) {
            String ns = "fp-incidents-" + (i % NAMESPACES);
            WebhookNotification n = PayloadParser.parse(Notifications.storm("footprint", i, 5, true, STARTS_AT)
                    .getBytes(StandardCharsets.UTF_8));
            AlertMerge.Result merged = AlertMerge.merge(List.of(), null, n, 1, Instant.now(),
                    AlertMerge.Budget.DEFAULT);
            Incident incident = AlertGroup.incident(n, AlertGroup.hash(n.receiver(), n.groupKey()), 1, ns,
                    new AlertGroup.Notes(), false, pod -> Optional.empty());
            String status = "{\"status\":{\"alerts\":" + json.asJson(merged.alerts()) + ",\"alertsRevision\":1,"
                    + "\"alertsSummary\":" + json.asJson(merged.summary()) + "}}";
            done.add(CompletableFuture.runAsync(() -> client.resource(client.resource(incident).create())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), status), pool));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        pool.shutdown();
    }

    /** The Deployments, no replicas (so no pods), at most IN_FLIGHT at once. */
    private void createDeployments() throws Exception {
        KubernetesClient client = cluster.client();
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < DEPLOYMENTS; i++) {
            String name = String.format(Locale.ROOT, "app-%05d", i);
            Deployment d = new DeploymentBuilder().withNewMetadata().withName(name)
                    .withNamespace("fp-apps-" + (i % NAMESPACES)).addToLabels("app", name).endMetadata()
                    .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", name).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                    .addToNodeSelector("type", "kwok").addNewContainer().withName("app")
                    .withImage("shop/" + name + ":1.0").endContainer().endSpec().endTemplate().endSpec().build();
            done.add(CompletableFuture.runAsync(() -> client.resource(d).create(), pool));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        pool.shutdown();
    }

    /**
     * Reconciliations the incident reconciler finished successfully (the operator SDK's metrics); -1 when the operator
     * does not expose the metric.
     */
    private double incidentReconciles(String metricsUrl) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(metricsUrl))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            PromText metrics = PromText.parse(text);
            if (metrics.samples().stream().noneMatch(s -> s.name().equals(RECONCILED))) {
                return -1;
            }
            return metrics.sum(RECONCILED, s -> s.labels().values().stream().anyMatch(v -> v.equalsIgnoreCase(
                    "incident") || v.equalsIgnoreCase("incidents.firebreak.dev")));
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Waits until every incident has been reconciled once (its status.observedGeneration set); false at timeout. */
    private boolean awaitReconciled(Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofSeconds(10)).until(() -> reconciled() == INCIDENTS);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Incidents whose status.observedGeneration is set, listed page by page. */
    private int reconciled() {
        int n = 0;
        String next = null;
        do {
            var list = cluster.client().resources(Incident.class).inAnyNamespace()
                    .list(new ListOptionsBuilder().withLimit(500L)
                            .withContinue(next).build());
            n += (int) list.getItems().stream().filter(i -> i.getStatus() != null
                    && i.getStatus().observedGeneration != null).count();
            next = list.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return n;
    }
}
