package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.intake.alertmanager.AlertGroup;
import dev.firebreak.intake.alertmanager.BadPayload;
import dev.firebreak.intake.alertmanager.PayloadParser;
import dev.firebreak.testing.HttpReceiver;
import dev.firebreak.testing.Notifications;
import dev.firebreak.testing.PromText;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The burst benchmark (docs/benchmarks.md, issue #15): {@code bench.groups} (1,000) Alertmanager groups whose first
 * notifications are all sent within one second, each from its own thread on its own connection (no client-side
 * limit on concurrency; 5xx answers retried after their Retry-After, as Alertmanager does), to the whole packaged
 * operator. An EscalationPolicy in the incidents' namespace pages a local receiver through the generic webhook at
 * level 0. Measured per group: from its first notification sent to its page received. Run 1: a receiver that answers
 * every page at once; no page may be lost (within 120 s) or duplicated. Run 2: a receiver that takes one request per
 * second and answers 429 (Retry-After: 1) beyond: how long until every incident is covered by a page answered 2xx,
 * its own or a digest's ({@code digest.incidents[]}); uncovered incidents are reported, not failed (digests are being
 * built), duplicates fail.
 *
 * <p>Run with {@code ./bench/run.sh burst} ({@code -Dbench.groups=100} for a smaller one); results go to
 * target/bench/burst.md.
 */
class BurstBench {
    private static final int GROUPS = Integer.getInteger("bench.groups", 1000);
    private static final int ALERTS = 5;
    private static final Duration SPREAD = Duration.ofSeconds(1);
    private static final Duration PAGE_DEADLINE = Duration.ofSeconds(Long.getLong("bench.pageDeadline", 120));
    private static final Duration COVER_DEADLINE = Duration.ofSeconds(Long.getLong("bench.coverDeadline", 180));
    private static final String TOKEN = "burst-bench-token";
    private static final Instant STARTS_AT = Instant.now().minusSeconds(300).truncatedTo(ChronoUnit.SECONDS);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESOURCES = Set.of(
            "incidents",
            "escalationpolicies",
            "oncallschedules",
            "postincidentreviews",
            "events",
            "secrets",
            "namespaces",
            "pods");

    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Cluster cluster = Cluster.get();
    /** HTTP/1.1, as Alertmanager speaks it (the JDK client would otherwise upgrade to h2c, one connection). */
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** What one run measured. */
    private record Outcome(
            String title,
            int groups,
            int accepted,
            int unavailable,
            int networkErrors,
            List<Long> answers,
            Map<Integer, Long> pageLatency,
            double lastPagedSeconds,
            int uncovered,
            Pages pages,
            Map<String, Long> requests,
            double apiCpu,
            double operatorCpu,
            long peakRssKiB,
            double windowSeconds,
            String log) {}

    @Test
    void burst() throws Exception {
        Install.ensure(cluster);
        Bench.webhookToken(cluster, TOKEN);
        StringBuilder report = new StringBuilder();
        report.append("# Burst: ")
                .append(GROUPS)
                .append(" Alertmanager groups, first notifications within ")
                .append(SPREAD.toSeconds())
                .append(" s, each on its own connection\n\n")
                .append("| run | groups | answered 200 | 503s retried | network errors retried | last answer s | "
                        + "covered by a page | lost / uncovered | duplicate pages | first sent to page p50 ms | p99 ms "
                        + "| max ms | first sent to last paged s | receiver: requests, 2xx, 429 | digests (largest) | "
                        + "API server CPU s | operator CPU s | peak RSS MiB |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<Outcome> outcomes = new ArrayList<>();
        try (HttpReceiver receiver = new HttpReceiver().limit("/limited", Duration.ofSeconds(1))) {
            outcomes.add(run(receiver, "every page answered at once", "burst", "/pages", PAGE_DEADLINE));
            row(report, outcomes.get(0));
            Bench.write("burst", report);
            outcomes.add(run(
                    receiver, "receiver takes 1 request/s, 429 beyond", "burst-limited", "/limited", COVER_DEADLINE));
            row(report, outcomes.get(1));
        }
        report.append('\n');
        for (Outcome o : outcomes) {
            details(report, o);
        }
        Outcome paged = outcomes.get(0);
        Outcome limited = outcomes.get(1);
        problems.forEach(p -> report.append("\nFELL BEHIND: ").append(p).append('\n'));
        if (limited.uncovered() > 0) {
            report.append(String.format(
                    Locale.ROOT,
                    "%nUNCOVERED (reported, not failed): %d of %d incidents of the "
                            + "rate-limited run had no page answered 2xx within %d s.%n",
                    limited.uncovered(),
                    GROUPS,
                    COVER_DEADLINE.toSeconds()));
        } else {
            report.append(String.format(
                    Locale.ROOT,
                    "%nEvery incident of the rate-limited run was covered by a page "
                            + "%.1f s after the first notification was sent.%n",
                    limited.lastPagedSeconds()));
        }
        Bench.write("burst", report);
        System.out.println(report);
        assertThat(paged.uncovered())
                .as("groups never paged within %s (run '%s')", PAGE_DEADLINE, paged.title())
                .isZero();
        for (Outcome o : outcomes) {
            assertThat(o.pages().duplicates)
                    .as("duplicate pages in run '%s'", o.title())
                    .isZero();
        }
        assertThat(problems).as("runs that fell behind").isEmpty();
    }

    /**
     * One burst into a fresh namespace whose only EscalationPolicy pages {@code path} of the receiver, with a fresh
     * operator; the namespace is deleted afterwards (and gone before this returns), so that the next run's operator
     * does not reconcile it.
     */
    private Outcome run(HttpReceiver receiver, String title, String ns, String path, Duration deadline)
            throws Exception {
        cluster.freshNamespace(ns, Map.of());
        Cluster.Result policy = cluster.kubectlWithInput("""
                apiVersion: firebreak.dev/v1alpha1
                kind: EscalationPolicy
                metadata: {name: page-receiver, namespace: %s}
                spec:
                  levels:
                  - targets:
                    - webhook: {url: "%s"}
                """.formatted(ns, receiver.url(path)), "apply", "-f", "-");
        assertThat(policy.ok()).as(policy.toString()).isTrue();
        List<String> bodies = new ArrayList<>();
        Map<String, Integer> groupOf = new HashMap<>();
        for (int g = 0; g < GROUPS; g++) {
            String body = Notifications.storm(ns, g, ALERTS, true, STARTS_AT);
            bodies.add(body);
            groupOf.put(incidentName(body), g);
        }
        Map<String, String> env =
                Map.of("FIREBREAK_INTAKE_DEFAULT_NAMESPACE", ns, "FIREBREAK_WEBHOOK_AUTH_MODE", "bearer");
        Outcome outcome;
        try (OperatorProcess operator = OperatorProcess.start(cluster, "burst-bench-" + ns, env)) {
            String base = "http://127.0.0.1:" + operator.port();
            Bench.awaitReady(http, operator, Duration.ofSeconds(60));
            // Warm-up outside the measurement, and a check that the policy pages: one group of its own.
            String warmup = Notifications.storm(ns + "-warmup", 0, ALERTS, true, STARTS_AT);
            Pages warm = new Pages(receiver, path, Map.of(incidentName(warmup), -1));
            Bench.post(http, base, TOKEN, warmup, new Bench.Retries());
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> warm.update(receiver) == 1);

            Pages pages = new Pages(receiver, path, groupOf);
            PromText apiBefore = cluster.apiServerMetrics();
            double operatorCpuBefore = Bench.cpuSeconds(operator.pid());
            AtomicLongArray sentAt = new AtomicLongArray(GROUPS);
            AtomicLongArray acceptedAt = new AtomicLongArray(GROUPS);
            Bench.Retries retries = new Bench.Retries();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch ready = new CountDownLatch(GROUPS);
            CountDownLatch go = new CountDownLatch(1);
            long[] start = new long[1];
            List<Thread> senders = new ArrayList<>();
            for (int g = 0; g < GROUPS; g++) {
                int group = g;
                Thread sender = new Thread(
                        () -> {
                            // As Alertmanager's: a client (and so a connection) per group, HTTP/1.1.
                            HttpClient own = HttpClient.newBuilder()
                                    .version(HttpClient.Version.HTTP_1_1)
                                    .connectTimeout(Duration.ofSeconds(5))
                                    .build();
                            ready.countDown();
                            try {
                                go.await();
                                long wait = start[0] + group * SPREAD.toNanos() / GROUPS - System.nanoTime();
                                if (wait > 0) {
                                    TimeUnit.NANOSECONDS.sleep(wait);
                                }
                                sentAt.set(group, System.nanoTime());
                                Bench.post(own, base, TOKEN, bodies.get(group), retries);
                                acceptedAt.set(group, System.nanoTime());
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (RuntimeException e) {
                                failures.add(e);
                            }
                        },
                        "burst-group-" + g);
                sender.setDaemon(true);
                sender.start();
                senders.add(sender);
            }
            ready.await();
            start[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            go.countDown();
            long end = start[0] + deadline.toNanos();
            try {
                await().atMost(Duration.ofNanos(Math.max(1, end - System.nanoTime())))
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> pages.update(receiver) == GROUPS);
            } catch (ConditionTimeoutException e) {
                pages.update(receiver);
            }
            double window = (System.nanoTime() - start[0]) / 1e9;
            PromText apiAfter = cluster.apiServerMetrics();
            double operatorCpu = Bench.cpuSeconds(operator.pid()) - operatorCpuBefore;
            long peakRss = Bench.vmKiB(operator.pid(), "VmHWM:");
            for (Thread sender : senders) {
                sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 10_000));
            }
            assertThat(failures).as("senders that failed").isEmpty();

            List<Long> answers = new ArrayList<>();
            int accepted = 0;
            long firstSent = Long.MAX_VALUE;
            for (int g = 0; g < GROUPS; g++) {
                if (acceptedAt.get(g) != 0) {
                    accepted++;
                    answers.add(acceptedAt.get(g) - sentAt.get(g));
                }
                if (sentAt.get(g) != 0) {
                    firstSent = Math.min(firstSent, sentAt.get(g));
                }
            }
            Map<Integer, Long> latency = new HashMap<>();
            long lastPaged = Long.MIN_VALUE;
            for (Map.Entry<Integer, Long> covered : pages.coveredAt.entrySet()) {
                latency.put(covered.getKey(), covered.getValue() - sentAt.get(covered.getKey()));
                lastPaged = Math.max(lastPaged, covered.getValue());
            }
            Collections.sort(answers);
            outcome = new Outcome(
                    title,
                    GROUPS,
                    accepted,
                    retries.unavailable.get(),
                    retries.networkErrors.get(),
                    answers,
                    latency,
                    lastPaged == Long.MIN_VALUE ? Double.NaN : (lastPaged - firstSent) / 1e9,
                    GROUPS - pages.coveredAt.size(),
                    pages,
                    Bench.requestCounts(apiBefore, apiAfter, RESOURCES),
                    Bench.apiServerCpu(apiBefore, apiAfter),
                    operatorCpu,
                    peakRss,
                    window,
                    Bench.logLevels(operator));
            int incidents = Bench.incidents(cluster, ns).size();
            // Checked once the report is written, so that a run that falls behind still says by how much.
            if (incidents != GROUPS + 1) {
                problems.add(String.format(
                        Locale.ROOT,
                        "run '%s': %d incidents at the end of the run for %d groups " + "and the warm-up",
                        title,
                        incidents,
                        GROUPS));
            }
        }
        // Gone before the next run starts (its operator would reconcile these incidents); kubectl's own wait is
        // bounded by Cluster's 120 s, which a thousand incidents and their Events may take longer than.
        cluster.kubectlOrFail("delete", "namespace", ns, "--wait=false");
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> !cluster.kubectl("get", "namespace", ns).ok());
        return outcome;
    }

    private static String incidentName(String body) throws BadPayload {
        return AlertGroup.incidentName(PayloadParser.parse(body.getBytes(StandardCharsets.UTF_8)), 1);
    }

    private static void row(StringBuilder report, Outcome o) {
        List<Long> sorted = new ArrayList<>(o.pageLatency().values());
        Collections.sort(sorted);
        Pages p = o.pages();
        report.append(String.format(
                Locale.ROOT,
                "| %s | %d | %d | %d | %d | %.1f | %d | %d | %d | %.0f | %.0f | %.0f | %s | %d, %d, %d | %d (%d) | "
                        + "%.1f | %.1f | %.0f |%n",
                o.title(),
                o.groups(),
                o.accepted(),
                o.unavailable(),
                o.networkErrors(),
                o.answers().isEmpty() ? 0 : o.answers().get(o.answers().size() - 1) / 1e9,
                p.coveredAt.size(),
                o.uncovered(),
                p.duplicates,
                Bench.ms(sorted, 0.5),
                Bench.ms(sorted, 0.99),
                Bench.ms(sorted, 1.0),
                Double.isNaN(o.lastPagedSeconds())
                        ? "none paged"
                        : String.format(Locale.ROOT, "%.1f", o.lastPagedSeconds()),
                p.requests,
                p.ok,
                p.tooMany,
                p.digests,
                p.largestDigest,
                o.apiCpu(),
                o.operatorCpu(),
                o.peakRssKiB() / 1024.0));
    }

    private static void details(StringBuilder report, Outcome o) {
        Pages p = o.pages();
        report.append("**")
                .append(o.title())
                .append("** (measured over ")
                .append(String.format(Locale.ROOT, "%.1f", o.windowSeconds()))
                .append(" s from the burst)\n\n")
                .append(String.format(
                        Locale.ROOT,
                        "- answers to the notifications: p50 %.0f ms, max %.0f ms%n",
                        Bench.ms(o.answers(), 0.5),
                        Bench.ms(o.answers(), 1.0)))
                .append("- API requests: ")
                .append(Bench.describe(o.requests()))
                .append('\n')
                .append(String.format(
                        Locale.ROOT,
                        "- pages: %d answered 2xx (%d of them digests), %d other answers, "
                                + "%d with another action than Trigger; %d duplicate (%d of them a repeated "
                                + "X-Firebreak-Delivery)%n",
                        p.ok,
                        p.digests,
                        p.requests - p.ok,
                        p.otherActions,
                        p.duplicates,
                        p.repeatedDeliveries))
                .append("- operator log: ")
                .append(o.log())
                .append("\n\n");
    }

    /**
     * The pages a receiver path got since this was made, read as they come: which group's incident each page answered
     * 2xx covers
     * ({@code incident}, and every one of {@code digest.incidents[]}), first when, and duplicates (an incident covered
     * by a second Trigger answered 2xx).
     */
    private static final class Pages {
        final String path;
        final Map<String, Integer> groupOf;
        final Map<Integer, Long> coveredAt = new HashMap<>();
        final Map<String, Integer> pagesByUid = new HashMap<>();
        final Set<String> deliveries = new HashSet<>();
        int seen;
        int requests;
        int ok;
        int tooMany;
        int digests;
        int largestDigest;
        int otherActions;
        int duplicates;
        int repeatedDeliveries;

        Pages(HttpReceiver receiver, String path, Map<String, Integer> groupOf) {
            this.path = path;
            this.groupOf = groupOf;
            this.seen = receiver.requests(path).size();
        }

        /** Reads the requests that arrived since the last call; the number of groups covered so far. */
        synchronized int update(HttpReceiver receiver) throws IOException {
            List<HttpReceiver.Request> all = receiver.requests(path);
            for (HttpReceiver.Request r : all.subList(seen, all.size())) {
                requests++;
                if (r.status() == 429) {
                    tooMany++;
                }
                if (r.status() / 100 != 2) {
                    continue;
                }
                JsonNode page = JSON.readTree(r.body());
                ok++;
                if (!"Trigger".equals(page.path("action").asText())) {
                    otherActions++;
                    continue;
                }
                if (!deliveries.add(String.valueOf(r.header("X-Firebreak-Delivery")))) {
                    repeatedDeliveries++;
                }
                Map<String, String> covers = new HashMap<>();
                covers.put(
                        page.path("incident").path("uid").asText(),
                        page.path("incident").path("name").asText());
                JsonNode digest = page.path("digest");
                if (digest.isObject()) {
                    digests++;
                    largestDigest =
                            Math.max(largestDigest, digest.path("incidents").size());
                    for (JsonNode i : digest.path("incidents")) {
                        covers.put(i.path("uid").asText(), i.path("name").asText());
                    }
                }
                covers.forEach((uid, name) -> {
                    if (pagesByUid.merge(uid, 1, Integer::sum) > 1) {
                        duplicates++;
                    }
                    Integer group = groupOf.get(name);
                    if (group != null) {
                        coveredAt.putIfAbsent(group, r.receivedNanos());
                    }
                });
            }
            seen = all.size();
            return coveredAt.size();
        }
    }
}
