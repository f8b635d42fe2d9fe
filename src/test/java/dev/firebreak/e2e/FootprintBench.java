package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.status.NotificationResult;
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
import java.nio.file.Path;
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
    /** As the chart's Deployment sets it. */
    private static final Map<String, String> CHART_ENV = Map.of("MALLOC_ARENA_MAX", ChartJvm.MALLOC_ARENA_MAX);

    private static final Duration SETTLE = Duration.ofSeconds(Long.getLong("bench.settleDeadline", 600));
    private static final Instant STARTS_AT = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
    /** The operator SDK counts per resource (a sample per incident). */
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String RECONCILED = "operator_sdk_reconciliations_success_total";
    private static final Set<String> RESOURCES = Set.of(
            "incidents",
            "escalationpolicies",
            "oncallschedules",
            "postincidentreviews",
            "events",
            "secrets",
            "namespaces",
            "pods",
            "deployments",
            "replicasets",
            "statefulsets",
            "daemonsets",
            "leases");

    private final Cluster cluster = Cluster.get();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void footprint() throws Exception {
        Install.ensure(cluster);
        Bench.webhookToken(cluster, "footprint-bench-token");
        StringBuilder report = new StringBuilder(String.format(
                Locale.ROOT,
                "# Footprint: %,d open incidents and %,d Deployments (replicas 0)%n%n",
                INCIDENTS,
                DEPLOYMENTS));
        try (HttpReceiver receiver = new HttpReceiver()) {
            long t0 = System.nanoTime();
            for (int n = 0; n < NAMESPACES; n++) {
                cluster.freshNamespace("fp-incidents-" + n, Map.of());
                cluster.freshNamespace("fp-apps-" + n, Map.of());
                Cluster.Result policy =
                        cluster.kubectlWithInput("""
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
            // The Deployments first: kube-controller-manager works through them while the incidents are created.
            createDeployments();
            double deploymentsCreated = (System.nanoTime() - t0) / 1e9;
            long deploymentsDone = System.nanoTime();
            createIncidents();
            double created = (System.nanoTime() - t0) / 1e9;
            report.append(String.format(
                    Locale.ROOT,
                    "- created by the benchmark (%d in flight): Deployments in %.0f s, " + "incidents in %.0f s%n",
                    IN_FLIGHT,
                    deploymentsCreated,
                    created - deploymentsCreated));

            // The first start reconciles every incident for the first time and pages it once: not the footprint,
            // only reported. It is stopped once every page is recorded, so that the restart has nothing left to send.
            PromText apiBeforeFirst = cluster.apiServerMetrics();
            Path gcLog = Path.of("target/e2e/footprint-bench-first-gc.log").toAbsolutePath();
            try (ChartJvm.Cgroup cgroup = ChartJvm.Cgroup.create("firebreak-footprint-bench-first", ChartJvm.LIMIT);
                    OperatorProcess first = OperatorProcess.start(
                            cluster, "footprint-bench-first", CHART_ENV, ChartJvm.command(cgroup, gcLog.toString()))) {
                long start = System.nanoTime();
                report.append(String.format(
                        Locale.ROOT,
                        "- each start as the chart runs it: the image's and the "
                                + "chart's JVM options (parallel GC, heap at most 35%% of the limit), in a %d MiB memory "
                                + "cgroup %s%n",
                        ChartJvm.LIMIT >> 20,
                        cgroup.enforced() ? "the kernel enforces" : "NOT enforced here (-XX:MaxRAM instead)"));
                boolean settled = awaitSettled(receiver, start + SETTLE.toNanos());
                if (settled) {
                    report.append(String.format(
                            Locale.ROOT,
                            "- first start, settled: live heap after a full GC " + "%.0f MiB%n",
                            Bench.liveHeapMiB(first.pid())));
                }
                report.append("- first start, where its time went: ")
                        .append(Bench.gcPauses(gcLog))
                        .append("; ")
                        .append(Bench.apiServerWaits(apiBeforeFirst, cluster.apiServerMetrics()))
                        .append("; ")
                        .append(first.log().contains("lost the Lease") ? "it LOST its Lease" : "it kept its Lease")
                        .append('\n');
                report.append(String.format(
                        Locale.ROOT,
                        "- first start (every incident reconciled for the first "
                                + "time and its page recorded Sent): %s; operator CPU %.0f s, peak RSS %.0f MiB; %d pages "
                                + "received%n",
                        settled
                                ? String.format(
                                        Locale.ROOT,
                                        "all settled %.0f s after the process started",
                                        (System.nanoTime() - start) / 1e9)
                                : String.format(
                                        Locale.ROOT,
                                        "not settled within %d s (%d of %d incidents paged)",
                                        SETTLE.toSeconds(),
                                        paged(receiver),
                                        INCIDENTS),
                        Bench.cpuSeconds(first.pid()),
                        Bench.vmKiB(first.pid(), "VmHWM:") / 1024.0,
                        receiver.requests("/pages").size()));
                Bench.write("footprint", report);
            }

            // The measured start: an operator restarted in a cluster this size, everything reconciled before, and
            // kube-controller-manager done with the Deployments (it works through them at its own client rate while
            // the incidents are created and the first start runs).
            long controllerManagerDone = awaitControllerManager();
            report.append(String.format(
                    Locale.ROOT,
                    "- kube-controller-manager done with the Deployments at most %.0f " + "s after they were created%n",
                    (controllerManagerDone - deploymentsDone) / 1e9));
            int pagesBefore = receiver.requests("/pages").size();
            PromText apiBefore = cluster.apiServerMetrics();
            long start = System.nanoTime();
            try (ChartJvm.Cgroup cgroup = ChartJvm.Cgroup.create("firebreak-footprint-bench", ChartJvm.LIMIT);
                    OperatorProcess operator = OperatorProcess.start(
                            cluster,
                            "footprint-bench",
                            CHART_ENV,
                            ChartJvm.command(
                                    cgroup,
                                    Path.of("target/e2e/footprint-bench-gc.log")
                                            .toAbsolutePath()
                                            .toString()))) {
                // Readiness as the chart's probe asks it, from the process start.
                Bench.awaitReady(http, operator, Duration.ofSeconds(300));
                double ready = (System.nanoTime() - start) / 1e9;
                double cpuAtReady = Bench.cpuSeconds(operator.pid());
                long rssAtReady = Bench.vmKiB(operator.pid(), "VmRSS:");
                long readyAt = System.nanoTime();
                // Nothing asks the operator anything while it is measured (its /q/metrics is large: see below).
                await().pollDelay(Duration.ofNanos(
                                Math.max(0, readyAt + TimeUnit.SECONDS.toNanos(60) - System.nanoTime())))
                        .atMost(Duration.ofSeconds(70))
                        .until(() -> true);
                long rssSteady = Bench.vmKiB(operator.pid(), "VmRSS:");
                double cpuBeforeIdle = Bench.cpuSeconds(operator.pid());
                long idleStart = System.nanoTime();
                await().pollDelay(Duration.ofSeconds(30))
                        .atMost(Duration.ofSeconds(40))
                        .until(() -> true);
                double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
                double idleCpu = Bench.cpuSeconds(operator.pid()) - cpuBeforeIdle;
                PromText apiAfter = cluster.apiServerMetrics();
                double window = (System.nanoTime() - start) / 1e9;
                long peak = Bench.vmKiB(operator.pid(), "VmHWM:");
                assertThat(operator.isAlive()).as("the operator is running").isTrue();
                int pagesAfter = receiver.requests("/pages").size();
                // After the measurements: one scrape, as Prometheus would, for the start-up backlog and its size.
                Scrape scrape = scrape("http://127.0.0.1:" + operator.port() + "/q/metrics");
                report.append(String.format(
                                Locale.ROOT,
                                "- start-up to Ready (`/q/health/ready` 200): **%.1f s** "
                                        + "(operator CPU until then %.1f s, RSS when ready %.0f MiB)%n",
                                ready,
                                cpuAtReady,
                                rssAtReady / 1024.0))
                        .append(
                                scrape.error() != null
                                        ? "- /q/metrics after the idle window: " + scrape.error() + "\n"
                                        : String.format(
                                                Locale.ROOT,
                                                "- incidents reconciled since the start (the operator "
                                                        + "SDK's count, scraped after the idle window): %.0f for %d incidents; "
                                                        + "`/q/metrics` then: %.1f MiB, %,d samples (%,d of them operator_sdk_*), "
                                                        + "answered in %.1f s%n",
                                                scrape.incidentReconciles(),
                                                INCIDENTS,
                                                scrape.bytes() / 1048576.0,
                                                scrape.samples(),
                                                scrape.sdkSamples(),
                                                scrape.seconds()))
                        .append(String.format(
                                Locale.ROOT,
                                "- RSS 60 s after ready: **%.0f MiB** (peak %.0f MiB); "
                                        + "operator CPU in those 60 s %.1f s%n",
                                rssSteady / 1024.0,
                                peak / 1024.0,
                                cpuBeforeIdle - cpuAtReady))
                        .append(String.format(
                                Locale.ROOT,
                                "- CPU at idle, the %.0f s after that: **%.1f ms per " + "second** (%.2f s in all)%n",
                                idleSeconds,
                                1000 * idleCpu / idleSeconds,
                                idleCpu))
                        .append(String.format(
                                Locale.ROOT,
                                "- API requests from the start to the end of the idle " + "window (%.0f s): %s%n",
                                window,
                                Bench.describe(Bench.requestCounts(apiBefore, apiAfter, RESOURCES))))
                        .append(String.format(
                                Locale.ROOT, "- pages sent again by the restart: %d%n", pagesAfter - pagesBefore))
                        .append("- operator log: ")
                        .append(Bench.logLevels(operator))
                        .append('\n')
                        .append(String.format(
                                Locale.ROOT,
                                "- live heap after a full GC (jcmd GC.run, after the "
                                        + "measurements above): **%.0f MiB**%n",
                                Bench.liveHeapMiB(operator.pid())));
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
            WebhookNotification n = PayloadParser.parse(
                    Notifications.storm("footprint", i, 5, true, STARTS_AT).getBytes(StandardCharsets.UTF_8));
            AlertMerge.Result merged =
                    AlertMerge.merge(List.of(), null, n, 1, Instant.now(), AlertMerge.Budget.DEFAULT);
            Incident incident = AlertGroup.incident(
                    n,
                    AlertGroup.hash(n.receiver(), n.groupKey()),
                    1,
                    ns,
                    new AlertGroup.Notes(),
                    false,
                    pod -> Optional.empty());
            String status = "{\"status\":{\"alerts\":" + json.asJson(merged.alerts()) + ",\"alertsRevision\":1,"
                    + "\"alertsSummary\":" + json.asJson(merged.summary()) + "}}";
            done.add(CompletableFuture.runAsync(
                    () -> client.resource(client.resource(incident).create())
                            .subresource("status")
                            .patch(PatchContext.of(PatchType.JSON_MERGE), status),
                    pool));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        pool.shutdown();
    }

    /**
     * The Deployments, no replicas (so no pods), at most IN_FLIGHT at once. Paused: kube-controller-manager then
     * creates no ReplicaSet (the operator caches Deployments, not ReplicaSets) and writes only their statuses (2 PUTs
     * and a conflict each, at its default client rate of 20 requests/s: about 25 minutes for 10,000).
     */
    private void createDeployments() throws Exception {
        KubernetesClient client = cluster.client();
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < DEPLOYMENTS; i++) {
            String name = String.format(Locale.ROOT, "app-%05d", i);
            Deployment d = new DeploymentBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace("fp-apps-" + (i % NAMESPACES))
                    .addToLabels("app", name)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(0)
                    .withPaused(true)
                    .withNewSelector()
                    .addToMatchLabels("app", name)
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", name)
                    .endMetadata()
                    .withNewSpec()
                    .addToNodeSelector("type", "kwok")
                    .addNewContainer()
                    .withName("app")
                    .withImage("shop/" + name + ":1.0")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build();
            done.add(CompletableFuture.runAsync(() -> client.resource(d).create(), pool));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        pool.shutdown();
    }

    /** One scrape of the operator's /q/metrics: its size, and the incident reconciler's successes. */
    private record Scrape(
            long bytes, int samples, int sdkSamples, double incidentReconciles, double seconds, String error) {}

    private Scrape scrape(String url) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(120))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (r.statusCode() != 200) {
                return new Scrape(0, 0, 0, 0, seconds, "answered " + r.statusCode());
            }
            PromText metrics = PromText.parse(r.body());
            int sdk = (int) metrics.samples().stream()
                    .filter(x -> x.name().startsWith("operator_sdk_"))
                    .count();
            return new Scrape(
                    r.body().getBytes(StandardCharsets.UTF_8).length,
                    metrics.samples().size(),
                    sdk,
                    metrics.sum(RECONCILED, x -> x.label("kind").equals("Incident")),
                    seconds,
                    null);
        } catch (IOException e) {
            return new Scrape(0, 0, 0, 0, (System.nanoTime() - t0) / 1e9, "not answered: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Scrape(0, 0, 0, 0, 0, "interrupted");
        }
    }

    /**
     * Waits until kube-controller-manager is done with the Deployments (their statuses): its
     * writes, counted at the API server, stop for 10 s. At most 40 minutes. When ({@link System#nanoTime}) the last
     * write was seen (or the first look, if it had stopped before).
     */
    private long awaitControllerManager() {
        double[] last = {-1};
        long[] stableSince = {System.nanoTime()};
        await().atMost(Duration.ofMinutes(40))
                .pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions()
                .until(() -> {
                    PromText m = cluster.apiServerMetrics();
                    double writes = m.sum(
                            "apiserver_request_total",
                            x -> (x.label("resource").equals("replicasets")
                                            || x.label("resource").equals("deployments"))
                                    && !x.label("verb").matches("GET|LIST|WATCH"));
                    if (writes != last[0]) {
                        last[0] = writes;
                        stableSince[0] = System.nanoTime();
                    }
                    return System.nanoTime() - stableSince[0] > TimeUnit.SECONDS.toNanos(10);
                });
        return stableSince[0];
    }

    /**
     * Waits until every incident was paged (the receiver's count, cheap) and then until every incident's status says so
     * (a LIST of them all, heavier: every 15 s); false when {@code deadline} ({@link System#nanoTime}) passes first.
     */
    private boolean awaitSettled(HttpReceiver receiver, long deadline) {
        try {
            await().atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> paged(receiver) >= INCIDENTS);
            await().atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                    .pollInterval(Duration.ofSeconds(15))
                    .ignoreExceptions()
                    .until(() -> reconciled() == INCIDENTS);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Distinct incidents the receiver got a page for. */
    private static long paged(HttpReceiver receiver) {
        return receiver.requests("/pages").stream()
                .map(r -> {
                    try {
                        return JSON.readTree(r.body())
                                .path("incident")
                                .path("uid")
                                .asText();
                    } catch (IOException e) {
                        return "";
                    }
                })
                .filter(uid -> !uid.isEmpty())
                .distinct()
                .count();
    }

    /** Incidents reconciled (status.observedGeneration set) whose notifications are all final, page by page. */
    private int reconciled() {
        int n = 0;
        String next = null;
        do {
            var list = cluster.client()
                    .resources(Incident.class)
                    .inAnyNamespace()
                    .list(new ListOptionsBuilder()
                            .withLimit(500L)
                            .withContinue(next)
                            .build());
            n += (int) list.getItems().stream()
                    .filter(i -> i.getStatus() != null
                            && i.getStatus().observedGeneration != null
                            && i.getStatus().escalation != null
                            && !i.getStatus().escalation.notifications.isEmpty()
                            && i.getStatus().escalation.notifications.stream()
                                    .noneMatch(r -> r.result == NotificationResult.Pending))
                    .count();
            next = list.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return n;
    }
}
