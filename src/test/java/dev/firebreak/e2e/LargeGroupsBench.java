package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.intake.alertmanager.AlertMerge;
import dev.firebreak.intake.alertmanager.BadPayload;
import dev.firebreak.intake.alertmanager.PayloadParser;
import dev.firebreak.intake.alertmanager.WebhookNotification;
import dev.firebreak.testing.Notifications;
import dev.firebreak.testing.PromText;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Large groups at once (docs/benchmarks.md): 40 groups of 1,000 realistic alerts (about 1.2 MB each) posted at the
 * same moment, each on its own connection, to the packaged operator started with the Helm chart's JVM options
 * ({@code -XX:MaxRAMPercentage=35}, {@code MALLOC_ARENA_MAX=2}) in a memory cgroup limited to 512 MiB, the chart's limit. Measured: the answers,
 * the operator's peak RSS against the limit, and the bytes written to etcd per incident (etcd's own count of bytes
 * received from its clients), during the burst and in the minute after it, against the physical minimum measured in
 * the same run: the same 40 incidents written directly, one create and one status write each.
 *
 * <p>Run with {@code ./bench/run.sh large-groups}; results go to target/bench/large-groups.md.
 */
class LargeGroupsBench {
    private static final int GROUPS = 40;
    private static final int ALERTS = 1000;
    private static final long LIMIT = ChartJvm.LIMIT;
    private static final String TOKEN = "large-groups-bench-token";
    private static final String NS = "large-bench";
    private final Cluster cluster = Cluster.get();
    /** HTTP/1.1, as Alertmanager speaks it (the JDK client would otherwise upgrade to h2c, one connection). */
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void fortyGroupsOfAThousandAlertsAtOnce() throws Exception {
        Install.ensure(cluster);
        cluster.freshNamespace(NS, Map.of());
        Bench.webhookToken(cluster, TOKEN);
        List<String> bodies = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            bodies.add(Notifications.group("bench", "LargeGroup" + g, NS)
                    .realistic(0, ALERTS, true)
                    .json());
        }
        double background = etcdBytesPerSecond(Duration.ofSeconds(20));
        double minimum = bareWrites();

        // -Dbench.profile=true: a flight recording and native memory tracking instead of the enforced limit (both take
        // memory of their own, so the RSS figure of such a run is not the one to report).
        boolean profile = Boolean.getBoolean("bench.profile");
        ChartJvm.Cgroup cgroup =
                profile ? new ChartJvm.Cgroup(null) : ChartJvm.Cgroup.create("firebreak-large-groups-bench", LIMIT);
        List<String> java = ChartJvm.command(cgroup, "target/e2e/large-groups-bench-gc.log");
        if (profile) {
            java.addAll(List.of(
                    "-XX:NativeMemoryTracking=summary",
                    "-XX:StartFlightRecording=filename=target/e2e/large-groups-bench.jfr,settings=profile"));
        }
        StringBuilder report = new StringBuilder();
        // As the chart's Deployment sets it.
        Map<String, String> env =
                Map.of("FIREBREAK_WEBHOOK_AUTH_MODE", "bearer", "MALLOC_ARENA_MAX", ChartJvm.MALLOC_ARENA_MAX);
        try (OperatorProcess operator = OperatorProcess.start(cluster, "large-groups-bench", env, java)) {
            String base = "http://127.0.0.1:" + operator.port();
            Bench.awaitReady(http, operator, Duration.ofSeconds(60));
            long rssAtStart = Bench.vmKiB(operator.pid(), "VmRSS:");
            double etcdBefore = etcdBytes();
            PromText apiBefore = cluster.apiServerMetrics();
            double operatorCpuBefore = Bench.cpuSeconds(operator.pid());
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            Bench.Retries retries = new Bench.Retries();
            ExecutorService pool = Executors.newFixedThreadPool(GROUPS);
            long start = System.nanoTime();
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (String body : bodies) {
                calls.add(CompletableFuture.runAsync(
                        () -> {
                            long t0 = System.nanoTime();
                            Bench.post(http, base, TOKEN, body, retries);
                            latencies.add(System.nanoTime() - t0);
                        },
                        pool));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
            double accepted = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(this::allSettled);
            double settled = (System.nanoTime() - start) / 1e9;
            double etcdBurst = etcdBytes() - etcdBefore;
            PromText apiAfterBurst = cluster.apiServerMetrics();
            double operatorCpu = Bench.cpuSeconds(operator.pid()) - operatorCpuBefore;
            double apiCpu = Bench.apiServerCpu(apiBefore, apiAfterBurst);
            double etcdNext = etcdBytes();
            await().pollDelay(Duration.ofSeconds(60))
                    .atMost(Duration.ofSeconds(70))
                    .until(() -> true);
            double etcdQuiet = etcdBytes() - etcdNext;
            long peakRss = Bench.vmKiB(operator.pid(), "VmHWM:");
            if (profile) {
                Files.writeString(
                        Path.of("target/e2e/large-groups-bench-nmt.txt"),
                        new String(
                                new ProcessBuilder("jcmd", Long.toString(operator.pid()), "VM.native_memory", "summary")
                                        .redirectErrorStream(true)
                                        .start()
                                        .getInputStream()
                                        .readAllBytes(),
                                StandardCharsets.UTF_8));
            }
            assertThat(operator.isAlive())
                    .as("the operator survived the burst within 512 MiB")
                    .isTrue();

            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            double burstPerIncident = (etcdBurst - background * settled) / GROUPS;
            double quietPerIncident = (etcdQuiet - background * 60) / GROUPS;
            report.append("# Large groups: ")
                    .append(GROUPS)
                    .append(" groups of ")
                    .append(ALERTS)
                    .append(" alerts at once\n\n")
                    .append(String.format(
                            Locale.ROOT,
                            "- memory limit: 512 MiB (%s), the image's GC options and the chart's `-XX:MaxRAMPercentage=35`, `MALLOC_ARENA_MAX=2`%n",
                            cgroup.enforced()
                                    ? "a memory cgroup, enforced by the kernel"
                                    : "not enforced here: -XX:MaxRAM=512m"))
                    .append(String.format(
                            Locale.ROOT,
                            "- peak RSS %.0f MiB (%.0f%% of the limit); RSS when ready " + "%.0f MiB%n",
                            peakRss / 1024.0,
                            100.0 * peakRss * 1024 / LIMIT,
                            rssAtStart / 1024.0))
                    .append(String.format(
                            Locale.ROOT,
                            "- all %d notifications answered 200 in %.1f s (%d 503s "
                                    + "retried%s); every incident's alerts recorded by the reconciler %.1f s after the start%n",
                            GROUPS,
                            accepted,
                            retries.unavailable.get(),
                            retries.networkErrors.get() == 0
                                    ? ""
                                    : ", " + retries.networkErrors.get() + " network errors retried",
                            settled))
                    .append(String.format(
                            Locale.ROOT,
                            "- answer latency p50 %.0f ms, max %.0f ms%n",
                            sorted.get(sorted.size() / 2) / 1e6,
                            sorted.get(sorted.size() - 1) / 1e6))
                    .append(String.format(
                            Locale.ROOT,
                            "- etcd bytes received per incident: %.0f KiB during the burst"
                                    + " (physical minimum, one create and one status write of the same incident: %.0f KiB; "
                                    + "ratio %.2f); %.1f KiB in the minute after it (background %.0f B/s subtracted)%n",
                            burstPerIncident / 1024,
                            minimum / 1024,
                            burstPerIncident / minimum,
                            quietPerIncident / 1024,
                            background))
                    .append(String.format(
                            Locale.ROOT,
                            "- CPU until settled: operator %.1f s, API server %.1f s%n",
                            operatorCpu,
                            apiCpu))
                    .append("- API requests during the burst: ")
                    .append(Bench.requests(
                            apiBefore,
                            apiAfterBurst,
                            List.of(
                                    "POST incidents",
                                    "PATCH incidents/status",
                                    "APPLY incidents/status",
                                    "POST events",
                                    "PATCH events",
                                    "LIST incidents",
                                    "GET incidents")))
                    .append('\n');
        } finally {
            cgroup.close();
        }
        Bench.write("large-groups", report);
        System.out.println(report);
    }

    /**
     * Bytes etcd received per incident for the minimum: each of the 40 created and its alerts written once, as the
     * intake stores them (the same notification merged by the same code).
     */
    private double bareWrites() throws IOException, BadPayload {
        String ns = NS + "-bare";
        cluster.freshNamespace(ns, Map.of());
        var client = cluster.client();
        Incident template = client.getKubernetesSerialization().unmarshal("""
                apiVersion: firebreak.dev/v1alpha1
                kind: Incident
                metadata: {name: bare}
                spec: {title: Large group, source: {type: Manual}}
                """, Incident.class);
        WebhookNotification n = PayloadParser.parse(Notifications.group("bench", "Bare", ns)
                .realistic(0, ALERTS, true)
                .json()
                .getBytes(StandardCharsets.UTF_8));
        AlertMerge.Result merged = AlertMerge.merge(List.of(), null, n, 1, Instant.now(), AlertMerge.Budget.DEFAULT);
        String status =
                "{\"status\":{\"alerts\":" + client.getKubernetesSerialization().asJson(merged.alerts())
                        + ",\"alertsRevision\":1,\"alertsSummary\":"
                        + client.getKubernetesSerialization().asJson(merged.summary()) + "}}";
        double before = etcdBytes();
        for (int g = 0; g < GROUPS; g++) {
            template.getMetadata().setName("bare-" + g);
            template.getMetadata().setNamespace(ns);
            Incident created = client.resource(template).create();
            client.resource(created).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), status);
        }
        double bytes = (etcdBytes() - before) / GROUPS;
        cluster.kubectl("delete", "namespace", ns, "--wait=false");
        return bytes;
    }

    private boolean allSettled() {
        List<Incident> incidents = cluster.client()
                .resources(Incident.class)
                .inNamespace(NS)
                .list()
                .getItems();
        return incidents.size() == GROUPS
                && incidents.stream()
                        .allMatch(i -> i.getStatus() != null
                                && i.getStatus().alertsRevision != null
                                && i.getStatus().alertsRevision.equals(i.getStatus().alertsRecorded));
    }

    private double etcdBytes() {
        return cluster.etcdMetrics().sum("etcd_network_client_grpc_received_bytes_total");
    }

    private double etcdBytesPerSecond(Duration over) {
        double before = etcdBytes();
        await().pollDelay(over).atMost(over.plusSeconds(10)).until(() -> true);
        return (etcdBytes() - before) / over.toSeconds();
    }
}
