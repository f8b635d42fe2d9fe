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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
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
    private static final long LIMIT = 512L * 1024 * 1024;
    private static final String TOKEN = "large-groups-bench-token";
    private static final String NS = "large-bench";
    private final Cluster cluster = Cluster.get();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void fortyGroupsOfAThousandAlertsAtOnce() throws Exception {
        Install.ensure(cluster);
        cluster.freshNamespace(NS, Map.of());
        cluster.kubectl("-n", Cluster.OPERATOR_NAMESPACE, "delete", "secret", "firebreak-webhook-auth",
                "--ignore-not-found");
        cluster.kubectlOrFail("-n", Cluster.OPERATOR_NAMESPACE, "create", "secret", "generic",
                "firebreak-webhook-auth", "--from-literal=token=" + TOKEN);
        List<String> bodies = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            bodies.add(Notifications.group("bench", "LargeGroup" + g, NS).realistic(0, ALERTS, true).json());
        }
        double background = etcdBytesPerSecond(Duration.ofSeconds(20));
        double minimum = bareWrites();

        // -Dbench.profile=true: a flight recording and native memory tracking instead of the enforced limit (both take
        // memory of their own, so the RSS figure of such a run is not the one to report).
        boolean profile = Boolean.getBoolean("bench.profile");
        Cgroup cgroup = profile ? new Cgroup(null) : Cgroup.create("firebreak-large-groups-bench", LIMIT);
        List<String> java = new ArrayList<>(cgroup.wrapper());
        // The options the image's run-java.sh (UBI OpenJDK 17 runtime) gives the JVM, then the chart's JAVA_OPTS_APPEND.
        java.addAll(List.of("java", "-XX:+UseParallelGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20",
                "-XX:GCTimeRatio=4", "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError",
                "-XX:MaxRAMPercentage=35",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Xlog:gc:file=target/e2e/large-groups-bench-gc.log"));
        if (profile) {
            java.addAll(List.of("-XX:NativeMemoryTracking=summary",
                    "-XX:StartFlightRecording=filename=target/e2e/large-groups-bench.jfr,settings=profile"));
        }
        if (!cgroup.enforced()) {
            java.add("-XX:MaxRAM=" + LIMIT);
        }
        StringBuilder report = new StringBuilder();
        // As the chart's Deployment sets it.
        Map<String, String> env = Map.of("FIREBREAK_WEBHOOK_AUTH_MODE", "bearer", "MALLOC_ARENA_MAX", "2");
        try (OperatorProcess operator = OperatorProcess.start(cluster, "large-groups-bench", env, java)) {
            String base = "http://127.0.0.1:" + operator.port();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(base + "/q/health/ready") == 200);
            long rssAtStart = vmKiB(operator.pid(), "VmRSS:");
            double etcdBefore = etcdBytes();
            PromText apiBefore = cluster.apiServerMetrics();
            double operatorCpuBefore = cpuSeconds(operator.pid());
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger retried = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(GROUPS);
            long start = System.nanoTime();
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (String body : bodies) {
                calls.add(CompletableFuture.runAsync(() -> {
                    long t0 = System.nanoTime();
                    send(base, body, retried);
                    latencies.add(System.nanoTime() - t0);
                }, pool));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
            double accepted = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(this::allSettled);
            double settled = (System.nanoTime() - start) / 1e9;
            double etcdBurst = etcdBytes() - etcdBefore;
            PromText apiAfterBurst = cluster.apiServerMetrics();
            double operatorCpu = cpuSeconds(operator.pid()) - operatorCpuBefore;
            double apiCpu = apiAfterBurst.sum("process_cpu_seconds_total") - apiBefore.sum("process_cpu_seconds_total");
            double etcdNext = etcdBytes();
            await().pollDelay(Duration.ofSeconds(60)).atMost(Duration.ofSeconds(70)).until(() -> true);
            double etcdQuiet = etcdBytes() - etcdNext;
            long peakRss = vmKiB(operator.pid(), "VmHWM:");
            if (profile) {
                Files.writeString(Path.of("target/e2e/large-groups-bench-nmt.txt"), new String(new ProcessBuilder(
                        "jcmd", Long.toString(operator.pid()), "VM.native_memory", "summary").redirectErrorStream(true)
                        .start().getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            assertThat(operator.isAlive()).as("the operator survived the burst within 512 MiB").isTrue();

            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            double burstPerIncident = (etcdBurst - background * settled) / GROUPS;
            double quietPerIncident = (etcdQuiet - background * 60) / GROUPS;
            report.append("# Large groups: ").append(GROUPS).append(" groups of ").append(ALERTS)
                    .append(" alerts at once\n\n")
                    .append(String.format(Locale.ROOT, "- memory limit: 512 MiB (%s), the image's GC options and the chart's `-XX:MaxRAMPercentage=35`, `MALLOC_ARENA_MAX=2`%n",
                            cgroup.enforced() ? "a memory cgroup, enforced by the kernel"
                                    : "not enforced here: -XX:MaxRAM=512m"))
                    .append(String.format(Locale.ROOT, "- peak RSS %.0f MiB (%.0f%% of the limit); RSS when ready "
                            + "%.0f MiB%n", peakRss / 1024.0, 100.0 * peakRss * 1024 / LIMIT, rssAtStart / 1024.0))
                    .append(String.format(Locale.ROOT, "- all %d notifications answered 200 in %.1f s (%d 503s "
                            + "retried); every incident's alerts recorded by the reconciler %.1f s after the start%n",
                            GROUPS, accepted, retried.get(), settled))
                    .append(String.format(Locale.ROOT, "- answer latency p50 %.0f ms, max %.0f ms%n",
                            sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() - 1) / 1e6))
                    .append(String.format(Locale.ROOT, "- etcd bytes received per incident: %.0f KiB during the burst"
                            + " (physical minimum, one create and one status write of the same incident: %.0f KiB; "
                            + "ratio %.2f); %.1f KiB in the minute after it (background %.0f B/s subtracted)%n",
                            burstPerIncident / 1024, minimum / 1024, burstPerIncident / minimum,
                            quietPerIncident / 1024, background))
                    .append(String.format(Locale.ROOT, "- CPU until settled: operator %.1f s, API server %.1f s%n",
                            operatorCpu, apiCpu))
                    .append("- API requests during the burst: ").append(requests(apiBefore, apiAfterBurst))
                    .append('\n');
        } finally {
            cgroup.close();
        }
        Path out = Files.createDirectories(Path.of("target/bench")).resolve("large-groups.md");
        Files.writeString(out, report.toString());
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
        WebhookNotification n = PayloadParser.parse(Notifications.group("bench", "Bare", ns).realistic(0, ALERTS, true)
                .json().getBytes(StandardCharsets.UTF_8));
        AlertMerge.Result merged = AlertMerge.merge(List.of(), null, n, 1, Instant.now(), AlertMerge.Budget.DEFAULT);
        String status = "{\"status\":{\"alerts\":" + client.getKubernetesSerialization().asJson(merged.alerts())
                + ",\"alertsRevision\":1,\"alertsSummary\":" + client.getKubernetesSerialization()
                        .asJson(merged.summary()) + "}}";
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
        List<Incident> incidents = cluster.client().resources(Incident.class).inNamespace(NS).list().getItems();
        return incidents.size() == GROUPS && incidents.stream().allMatch(i -> i.getStatus() != null
                && i.getStatus().alertsRevision != null && i.getStatus().alertsRevision.equals(i.getStatus().alertsRecorded));
    }

    private void send(String base, String body, AtomicInteger retried) {
        try {
            for (int attempt = 1; attempt <= 20; attempt++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base
                        + "/api/v1/alerts/alertmanager")).header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                if (r.statusCode() < 500) {
                    throw new IllegalStateException("answered " + r.statusCode() + ": " + r.body());
                }
                retried.incrementAndGet();
                long wait = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
                await().pollDelay(Duration.ofSeconds(wait)).atMost(Duration.ofSeconds(wait + 5)).until(() -> true);
            }
            throw new IllegalStateException("still refused after 20 attempts");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private double etcdBytes() {
        return cluster.etcdMetrics().sum("etcd_network_client_grpc_received_bytes_total");
    }

    private double etcdBytesPerSecond(Duration over) {
        double before = etcdBytes();
        await().pollDelay(over).atMost(over.plusSeconds(10)).until(() -> true);
        return (etcdBytes() - before) / over.toSeconds();
    }

    private static String requests(PromText before, PromText after) {
        StringBuilder out = new StringBuilder();
        for (String key : List.of("POST incidents", "PATCH incidents/status", "APPLY incidents/status",
                "POST events", "PATCH events", "LIST incidents", "GET incidents")) {
            String[] parts = key.split("[ /]");
            String verb = parts[0];
            String resource = parts[1];
            String sub = parts.length > 2 ? parts[2] : "";
            Predicate<PromText.Sample> which = s -> s.label("verb").equals(verb)
                    && s.label("resource").equals(resource) && s.label("subresource").equals(sub);
            double n = after.sum("apiserver_request_total", which) - before.sum("apiserver_request_total", which);
            if (n > 0) {
                out.append(out.isEmpty() ? "" : ", ").append(key).append(' ').append(Math.round(n));
            }
        }
        return out.toString();
    }

    /** utime + stime of a process, in seconds (clock ticks of 1/100 s on Linux). */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static long vmKiB(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /**
     * A cgroup-v1 memory cgroup below this process's own, limited to {@code limit} bytes, that the operator is started
     * in: the JVM then sizes its heap from the limit as in a pod, and the kernel enforces it. Where the controller is
     * not writable, nothing is enforced and the JVM is told the size instead.
     */
    private record Cgroup(Path dir) implements AutoCloseable {
        static Cgroup create(String name, long limit) {
            try {
                String own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
                        .filter(l -> l.matches("^[0-9]+:memory:.*")).map(l -> l.substring(l.indexOf(":memory:") + 8))
                        .findFirst().orElse(null);
                if (own == null) {
                    return new Cgroup(null);
                }
                Path dir = Path.of("/sys/fs/cgroup/memory" + own, name);
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(limit));
                return new Cgroup(dir);
            } catch (IOException | RuntimeException e) {
                return new Cgroup(null);
            }
        }

        boolean enforced() {
            return dir != null;
        }

        List<String> wrapper() {
            return dir == null ? List.of() : List.of("sh", "-c", "echo $$ > " + dir.resolve("cgroup.procs")
                    + " && exec \"$@\"", "sh");
        }

        /** Removes the cgroup once its last process is gone (the kernel refuses while one remains). */
        @Override
        public void close() {
            if (dir != null) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> {
                            Files.deleteIfExists(dir);
                            return true;
                        });
            }
        }
    }
}
