package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.api.v1alpha1.status.AlertsSummary;
import dev.firebreak.intake.alertmanager.AlertGroup;
import dev.firebreak.intake.alertmanager.AlertMerge;
import dev.firebreak.intake.alertmanager.PayloadParser;
import dev.firebreak.intake.alertmanager.WebhookNotification;
import dev.firebreak.kubeapi.Clients;
import dev.firebreak.testing.Notifications;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert-storm benchmark (docs/benchmarks.md): 10,000 distinct alerts in 200 groups, delivered as Alertmanager
 * delivers them (each notification carries the whole group; five growing firing notifications, then one resolving
 * them all), to the packaged operator on the real control plane. Runs paced at 50 and 200 calls/s (the target rate),
 * and as fast as Firebreak accepts them (32 in flight), with the incident reconciler out of the way (a standby replica,
 * whose Lease another holder keeps, serves the webhook) so that the API server's request counts are the webhook's alone; then paced at 50
 * calls/s with the whole operator, to show what the reconciler adds. 5xx answers are retried as
 * Alertmanager would, and counted. Nothing may be lost: every alert must end on its incident, resolved.
 *
 * <p>Run with {@code ./bench/run.sh alert-storm}; results go to target/bench/alert-storm.md.
 */
class AlertStormBench {
    private static final int GROUPS = 200;
    private static final int ALERTS_PER_GROUP = 50;
    private static final int ROUNDS = 5;
    private static final String TOKEN = "storm-bench-token";
    private static final String NS = "storm";
    /** The chart's Lease (its Role names it), held during the webhook-only runs by a leader that never comes. */
    private static final String LEASE = "firebreak-leader";

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Instant STARTS_AT = Instant.now().minusSeconds(900).truncatedTo(ChronoUnit.SECONDS);
    private static final Pattern REQUESTS =
            Pattern.compile("^apiserver_request_total\\{(.*)} ([0-9.e+]+)$", Pattern.MULTILINE);

    private static final Pattern DURATION_SUM =
            Pattern.compile("^apiserver_request_duration_seconds_sum\\{(.*)} ([0-9.e+]+)$", Pattern.MULTILINE);

    private final Cluster cluster = Cluster.get();
    /** HTTP/1.1, as Alertmanager speaks it (the JDK client would otherwise upgrade to h2c, one connection). */
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final StringBuilder report = new StringBuilder();
    /** Whether the runs now are the standby's: it must not lead. */
    private boolean standby;

    @Test
    void alertStorm() throws Exception {
        Install.ensure(cluster);
        cluster.kubectl("create", "namespace", NS);
        Bench.webhookToken(cluster, TOKEN);
        report.append("# Alert storm: ")
                .append(GROUPS)
                .append(" groups x ")
                .append(ALERTS_PER_GROUP)
                .append(" alerts, ")
                .append(ROUNDS + 1)
                .append(" notifications per group\n\n")
                .append(
                        "| run | calls | 5xx retried | wall s | calls/s | alerts/s | p50 ms | p90 ms | p99 ms | max ms | "
                                + "API reads/call | API writes/call | requests (verb resource) | API server: mean ms per "
                                + "intake PATCH | API server CPU ms/call | etcd CPU ms/call | operator CPU ms/call | peak RSS MiB "
                                + "| writes ended, s "
                                + "after the last call | lost |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");

        // Intake alone: a standby replica. Its informers run (the intake reads the incident controller's cache, as on
        // the leader) but it reconciles nothing while the Lease it waits for is held, here by a leader that never
        // comes: so the API server's request counts are the webhook's alone.
        cluster.kubectlWithInput(
                """
                apiVersion: coordination.k8s.io/v1
                kind: Lease
                metadata: {name: %s, namespace: %s}
                spec: {holderIdentity: absent-leader, leaseDurationSeconds: 86400, renewTime: "%s"}
                """.formatted(LEASE, Cluster.OPERATOR_NAMESPACE, MICROS.format(Instant.now())), "apply", "-f", "-");
        standby = true;
        Map<String, String> intakeOnly =
                Map.of("FIREBREAK_INTAKE_DEFAULT_NAMESPACE", NS, "FIREBREAK_WEBHOOK_AUTH_MODE", "bearer");
        run("webhook only, paced 50 calls/s", "paced50", intakeOnly, 50);
        run("webhook only, paced 200 calls/s", "paced200", intakeOnly, 200);
        double fastest = run("webhook only, as fast as accepted (32 in flight)", "burst", intakeOnly, 0);
        double limit = physicalLimit(
                "physical limit: the intake's API requests alone, from the bench's JVM " + "(32 in flight)",
                "physical");
        standby = false;
        cluster.kubectlOrFail("-n", Cluster.OPERATOR_NAMESPACE, "delete", "lease", LEASE);
        Map<String, String> whole =
                Map.of("FIREBREAK_INTAKE_DEFAULT_NAMESPACE", NS, "FIREBREAK_WEBHOOK_AUTH_MODE", "bearer");
        run("whole operator, paced 50 calls/s", "whole50", whole, 50);
        report.append(String.format(
                Locale.ROOT,
                "%nWebhook only, as fast as accepted: %.0f calls/s, %.0f%% of the "
                        + "physical limit (%.0f calls/s: the same API requests for the same 1,200 notifications, 32 in flight, "
                        + "sent directly by one fabric8 client).%n",
                fastest,
                100 * fastest / limit,
                limit));
        Bench.write("alert-storm", report);
        System.out.println(report);
    }

    /**
     * One storm from fresh groups (receiver {@code name}); ratePerSecond 0 means closed loop, 32 in flight. The calls
     * per second it reached.
     */
    private double run(String title, String receiver, Map<String, String> env, int ratePerSecond) throws Exception {
        cluster.kubectl("-n", NS, "delete", "incidents", "--all", "--wait=true");
        try (OperatorProcess operator = OperatorProcess.start(cluster, "bench-" + receiver, env)) {
            String base = "http://127.0.0.1:" + operator.port();
            Bench.awaitReady(http, operator, Duration.ofSeconds(60));
            // Warm-up outside the measurement: one group of its own, JIT and connection pool.
            for (int i = 0; i < 20; i++) {
                send(base, Notifications.storm(receiver + "-warmup", 0, 1, true, STARTS_AT));
            }
            Map<String, Double> before = apiRequests();
            double operatorCpuBefore = Bench.cpuSeconds(operator.pid());
            AtomicInteger retried = new AtomicInteger();
            List<String> bodies = storm(receiver);
            long alertsSent = alerts(bodies.size());
            Driven driven = drive(bodies.size(), ratePerSecond, i -> {
                int code;
                while ((code = send(base, bodies.get(i))) >= 500) {
                    retried.incrementAndGet();
                }
                if (code != 200) {
                    throw new IllegalStateException("webhook answered " + code);
                }
            });
            // Every write the storm caused counts, those after its last call too (a reconciler behind the intake,
            // the narration of the last alerts): the requests are read once the writes have ended.
            double settled = settle();
            Map<String, Double> after = apiRequests();
            double operatorCpu = Bench.cpuSeconds(operator.pid()) - operatorCpuBefore;
            long rss = Bench.vmKiB(operator.pid(), "VmHWM:");
            int lost = lost(receiver);

            double callsPerSecond = row(
                    title,
                    bodies.size(),
                    retried.get(),
                    driven,
                    alertsSent,
                    before,
                    after,
                    operatorCpu,
                    rss,
                    settled,
                    lost);
            Bench.write("alert-storm", report);
            assertThat(lost).as("alerts lost in run '%s'", title).isZero();
            if (standby) {
                assertThat(operator.log())
                        .as("the standby of run '%s' led", title)
                        .doesNotContain("leading as");
            }
            return callsPerSecond;
        }
    }

    /** The storm's notifications, round by round: five growing firing ones per group, then one resolving them all. */
    private static List<String> storm(String receiver) {
        List<String> bodies = new ArrayList<>();
        for (int round = 1; round <= ROUNDS + 1; round++) {
            int alerts = Math.min(round, ROUNDS) * ALERTS_PER_GROUP / ROUNDS;
            for (int g = 0; g < GROUPS; g++) {
                bodies.add(Notifications.storm(receiver, g, alerts, round <= ROUNDS, STARTS_AT));
            }
        }
        return bodies;
    }

    /** Alerts in the first {@code calls} notifications of {@link #storm}. */
    private static long alerts(int calls) {
        long alerts = 0;
        for (int i = 0; i < calls; i++) {
            alerts += Math.min(i / GROUPS + 1, ROUNDS) * ALERTS_PER_GROUP / ROUNDS;
        }
        return alerts;
    }

    /** Call {@code i} of a storm (its group is {@code i % GROUPS}), until it is accepted. */
    @FunctionalInterface
    private interface Call {
        void run(int i) throws Exception;
    }

    /** How long each call took to be accepted, and the whole storm. */
    private record Driven(List<Long> latencies, double wall) {}

    /**
     * Runs {@code calls} calls paced at {@code ratePerSecond} (open loop, 128 threads), or as fast as they are accepted
     * (0: closed loop, 32 in flight). As Alertmanager does, a group's next call waits until its previous one was
     * accepted (an aggregation group flushes, retries included, before it flushes again); groups run side by side.
     */
    private static Driven drive(int calls, int ratePerSecond, Call call) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(ratePerSecond > 0 ? 128 : 32);
        List<CompletableFuture<Void>> groups =
                new ArrayList<>(Collections.nCopies(GROUPS, CompletableFuture.<Void>completedFuture(null)));
        for (int i = 0; i < calls; i++) {
            if (ratePerSecond > 0) {
                long wait = start + i * 1_000_000_000L / ratePerSecond - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            int n = i;
            int g = i % GROUPS;
            groups.set(
                    g,
                    groups.get(g)
                            .thenRunAsync(
                                    () -> {
                                        try {
                                            long t0 = System.nanoTime();
                                            call.run(n);
                                            latencies.add(System.nanoTime() - t0);
                                        } catch (RuntimeException e) {
                                            throw e;
                                        } catch (Exception e) {
                                            throw new IllegalStateException(e);
                                        }
                                    },
                                    pool));
        }
        CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        double wall = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Driven(sorted, wall);
    }

    /**
     * The physical limit of the webhook's storm: the API requests the intake makes for it, and nothing else, from
     * this JVM through a fabric8 client as the chart's ServiceAccount (as the operator's, without fabric8's retries),
     * 32 in flight, each group in order. Per call as the intake does it: a notification that opens its group's
     * incident is its create and a merge patch of the first alerts under the resourceVersion created; every other one
     * JSON Patch of incidents/status testing status.alertsRevision and replacing alerts, alertsRevision and
     * alertsSummary. The alerts are merged by the intake's own code, before the clock starts: only the requests are
     * timed. No operator runs.
     */
    private double physicalLimit(String title, String receiver) throws Exception {
        cluster.kubectl("-n", NS, "delete", "incidents", "--all", "--wait=true");
        Path kubeconfig = OperatorProcess.serviceAccountKubeconfig(
                cluster,
                Files.createDirectories(Path.of("target/e2e")).resolve("bench-" + receiver + ".kubeconfig"),
                Cluster.OPERATOR_NAMESPACE,
                "firebreak");
        try (KubernetesClient sa = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
                .build()) {
            KubernetesClient client = Clients.withoutRetries(sa);
            // Warm-up outside the measurement: a group of its own, 20 writes (JIT, connections).
            List<IntakeWrite> warmup = writes(client, receiver + "-warmup", 1, 20);
            for (IntakeWrite w : warmup) {
                w.run();
            }
            List<IntakeWrite> writes = writes(client, receiver, GROUPS, ROUNDS + 1);
            Map<String, Double> before = apiRequests();
            Driven driven = drive(writes.size(), 0, i -> writes.get(i).run());
            Map<String, Double> after = apiRequests();
            int lost = lost(receiver);
            double callsPerSecond =
                    row(title, writes.size(), 0, driven, alerts(writes.size()), before, after, null, null, 0, lost);
            Bench.write("alert-storm", report);
            assertThat(lost).as("alerts lost in run '%s'", title).isZero();
            return callsPerSecond;
        }
    }

    /** What the intake writes for one notification, ready to send; each knows its group's previous write. */
    private interface IntakeWrite {
        void run();
    }

    /**
     * The intake's writes for {@code rounds} notifications of {@code groups} groups, round by round (the storm's, or
     * for the warm-up one group growing by one alert per round), alerts merged beforehand by {@link AlertMerge}.
     */
    @SuppressWarnings("unchecked")
    private static List<IntakeWrite> writes(KubernetesClient client, String receiver, int groups, int rounds)
            throws Exception {
        var json = client.getKubernetesSerialization();
        Incident[] last = new Incident[groups];
        List<AlertRecord>[] alerts = new List[groups];
        AlertsSummary[] summaries = new AlertsSummary[groups];
        List<IntakeWrite> writes = new ArrayList<>();
        List<String> storm = groups == GROUPS ? storm(receiver) : List.of();
        for (int round = 1; round <= rounds; round++) {
            for (int g = 0; g < groups; g++) {
                int group = g;
                String body = groups == GROUPS
                        ? storm.get((round - 1) * GROUPS + g)
                        : Notifications.storm(receiver, g, round, true, STARTS_AT);
                WebhookNotification n = PayloadParser.parse(body.getBytes(StandardCharsets.UTF_8));
                AlertMerge.Result merged = AlertMerge.merge(
                        round == 1 ? List.of() : alerts[g],
                        summaries[g],
                        n,
                        round,
                        Instant.now(),
                        AlertMerge.Budget.DEFAULT);
                alerts[g] = merged.alerts();
                summaries[g] = merged.summary();
                String status = "\"alerts\":" + json.asJson(merged.alerts()) + ",\"alertsRevision\":" + round
                        + ",\"alertsSummary\":" + json.asJson(merged.summary());
                if (round == 1) {
                    Incident incident = AlertGroup.incident(
                            n,
                            AlertGroup.hash(n.receiver(), n.groupKey()),
                            1,
                            NS,
                            new AlertGroup.Notes(),
                            false,
                            pod -> Optional.empty());
                    writes.add(() -> {
                        Incident created = client.resource(incident).create();
                        last[group] = client.resource(created)
                                .subresource("status")
                                .patch(
                                        PatchContext.of(PatchType.JSON_MERGE),
                                        "{\"metadata\":{\"resourceVersion\":"
                                                + json.asJson(
                                                        created.getMetadata().getResourceVersion()) + "},\"status\":{"
                                                + status + "}}");
                    });
                } else {
                    String patch = "[{\"op\":\"test\",\"path\":\"/status/alertsRevision\",\"value\":" + (round - 1)
                            + "},{\"op\":\"add\",\"path\":\"/status/alerts\",\"value\":"
                            + json.asJson(merged.alerts()) + "},{\"op\":\"add\",\"path\":\"/status/alertsRevision\","
                            + "\"value\":" + round + "},{\"op\":\"add\",\"path\":\"/status/alertsSummary\",\"value\":"
                            + json.asJson(merged.summary()) + "}]";
                    writes.add(() -> last[group] = client.resource(last[group])
                            .subresource("status")
                            .patch(PatchContext.of(PatchType.JSON), patch));
                }
            }
        }
        return writes;
    }

    /** A row of the table; the calls per second. Without an operator, its CPU and RSS are null. */
    private double row(
            String title,
            int calls,
            int retried,
            Driven driven,
            long alertsSent,
            Map<String, Double> before,
            Map<String, Double> after,
            Double operatorCpu,
            Long rss,
            double settled,
            int lost) {
        List<Long> sorted = driven.latencies();
        double wall = driven.wall();
        Map<String, Double> delta = new TreeMap<>();
        after.forEach((k, v) -> {
            double d = v - before.getOrDefault(k, 0.0);
            if (k.startsWith("seconds ")) {
                return;
            }
            if (d > 0) {
                delta.put(k, d);
            }
        });
        double reads = delta.entrySet().stream()
                .filter(e -> e.getKey().matches("(GET|LIST|WATCH) .*"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        double writes = delta.entrySet().stream()
                .filter(e -> e.getKey().matches("(POST|PATCH|PUT|APPLY|DELETE) .*"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        report.append(String.format(
                Locale.ROOT,
                "| %s | %d | %d | %.1f | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %s | %.1f | %.1f | %.1f "
                        + "| %s | %s | %.0f | %d |%n",
                title,
                calls,
                retried,
                wall,
                calls / wall,
                alertsSent / wall,
                Bench.ms(sorted, 0.50),
                Bench.ms(sorted, 0.90),
                Bench.ms(sorted, 0.99),
                Bench.ms(sorted, 1.0),
                reads / calls,
                writes / calls,
                delta.entrySet().stream()
                        .filter(e -> !e.getKey().endsWith("cpu"))
                        .map(e -> String.format(Locale.ROOT, "%s: %.0f", e.getKey(), e.getValue()))
                        .reduce((a, b) -> a + "; " + b)
                        .orElse("none"),
                1000
                        * (after.getOrDefault("seconds PATCH incidents/status", 0.0)
                                - before.getOrDefault("seconds PATCH incidents/status", 0.0))
                        / Math.max(1, delta.getOrDefault("PATCH incidents/status", 0.0)),
                1000 * delta.getOrDefault("cpu", 0.0) / calls,
                1000 * delta.getOrDefault("etcd cpu", 0.0) / calls,
                operatorCpu == null ? "n/a" : String.format(Locale.ROOT, "%.1f", 1000 * operatorCpu / calls),
                rss == null ? "n/a" : String.format(Locale.ROOT, "%.0f", rss / 1024.0),
                settled,
                lost));
        return calls / wall;
    }

    private int send(String base, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts/alertmanager"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Every group of the run has one incident holding all its alerts, resolved; the count of those missing. */
    private int lost(String receiver) {
        List<Incident> incidents = Bench.incidents(cluster, NS).stream()
                .filter(i -> receiver.equals(i.getSpec().source.receiver))
                .toList();
        int found = 0;
        for (Incident incident : incidents) {
            if (incident.getStatus() == null) {
                continue;
            }
            for (AlertRecord alert : incident.getStatus().alerts) {
                if (alert.state == AlertState.Resolved) {
                    found++;
                }
            }
        }
        assertThat(incidents).as("one incident per group").hasSize(GROUPS);
        return GROUPS * ALERTS_PER_GROUP - found;
    }

    /**
     * Waits until the writes to incidents and Events have ended (none for {@value #QUIET_SECONDS} s, at most three
     * minutes: a loop would show as the timeout): the seconds from now until the last write seen.
     */
    private double settle() {
        long start = System.nanoTime();
        double[] last = {writes(apiRequests())};
        long[] lastChange = {start};
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    double now = writes(apiRequests());
                    if (now != last[0]) {
                        last[0] = now;
                        lastChange[0] = System.nanoTime();
                    }
                    return System.nanoTime() - lastChange[0] >= QUIET_SECONDS * 1_000_000_000L;
                });
        return (lastChange[0] - start) / 1e9;
    }

    private static final int QUIET_SECONDS = 10;

    private static double writes(Map<String, Double> requests) {
        return requests.entrySet().stream()
                .filter(e -> e.getKey().matches("(POST|PATCH|PUT|APPLY|DELETE) " + "(incidents|events).*"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** apiserver_request_total by "VERB resource[/subresource]" for Firebreak's kinds and Events. */
    private Map<String, Double> apiRequests() {
        String metrics = cluster.kubectlOrFail("get", "--raw", "/metrics");
        Map<String, Double> counts = new TreeMap<>();
        Matcher m = REQUESTS.matcher(metrics);
        while (m.find()) {
            Map<String, String> labels = new TreeMap<>();
            for (String pair : m.group(1).split(",(?=[a-z_]+=)")) {
                int eq = pair.indexOf('=');
                labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
            }
            String resource = labels.getOrDefault("resource", "");
            if (!List.of("incidents", "events", "namespaces", "pods", "secrets").contains(resource)) {
                continue;
            }
            String sub = labels.getOrDefault("subresource", "");
            String key = labels.get("verb") + " " + resource + (sub.isEmpty() ? "" : "/" + sub);
            counts.merge(key, Double.parseDouble(m.group(2)), Double::sum);
        }
        Matcher seconds = DURATION_SUM.matcher(metrics);
        while (seconds.find()) {
            if (seconds.group(1).contains("resource=\"incidents\"")
                    && seconds.group(1).contains("subresource=\"status\"")
                    && seconds.group(1).contains("verb=\"PATCH\"")) {
                counts.merge("seconds PATCH incidents/status", Double.parseDouble(seconds.group(2)), Double::sum);
            }
        }
        Matcher cpu = Pattern.compile("^process_cpu_seconds_total ([0-9.e+]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        if (cpu.find()) {
            counts.put("cpu", Double.parseDouble(cpu.group(1)));
        }
        counts.put("etcd cpu", cluster.etcdMetrics().sum("process_cpu_seconds_total"));
        return counts;
    }
}
