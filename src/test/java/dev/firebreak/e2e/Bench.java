package dev.firebreak.e2e;

import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.testing.PromText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the benchmarks of docs/benchmarks.md share: delivering a notification as Alertmanager does, the operator's
 * CPU and memory from /proc, the API server's request counts, quantiles, and the report file.
 */
final class Bench {
    static final String WEBHOOK = "/api/v1/alerts/alertmanager";

    private Bench() {}

    /** The webhook's bearer token, as the chart's Secret holds it. */
    static void webhookToken(Cluster cluster, String token) {
        cluster.kubectl(
                "-n", Cluster.OPERATOR_NAMESPACE, "delete", "secret", "firebreak-webhook-auth", "--ignore-not-found");
        cluster.kubectlOrFail(
                "-n",
                Cluster.OPERATOR_NAMESPACE,
                "create",
                "secret",
                "generic",
                "firebreak-webhook-auth",
                "--from-literal=token=" + token);
    }

    /**
     * The incidents of a namespace, read once the API server answers: right after a run it may still be writing
     * that run's records, and a LIST of a thousand incidents can take longer than the client's 10 s.
     */
    static List<Incident> incidents(Cluster cluster, String namespace) {
        return await().atMost(Duration.ofMinutes(2))
                .ignoreExceptions()
                .until(
                        () -> cluster.client()
                                .resources(Incident.class)
                                .inNamespace(namespace)
                                .list()
                                .getItems(),
                        items -> true);
    }

    /** Waits until the operator answers its readiness probe. */
    static void awaitReady(HttpClient http, OperatorProcess operator, Duration atMost) {
        String url = "http://127.0.0.1:" + operator.port() + "/q/health/ready";
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> status(http, url) == 200);
    }

    /** The status a GET of {@code url} is answered with; -1 when it is not answered at all. */
    static int status(HttpClient http, String url) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The answers a sender got before its notification was accepted: 5xx, and network errors. */
    static final class Retries {
        final AtomicInteger unavailable = new AtomicInteger();
        final AtomicInteger networkErrors = new AtomicInteger();
    }

    /**
     * Posts a notification to the webhook as Alertmanager does, until it is answered 200: a 5xx is retried after its
     * Retry-After (1 s without one), a network error after a second; any other answer fails. At most 20 attempts.
     */
    static void post(HttpClient http, String base, String token, String body, Retries retries) {
        try {
            for (int attempt = 1; attempt <= 20; attempt++) {
                long wait;
                try {
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(base + WEBHOOK))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(60))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                    if (r.statusCode() < 500) {
                        throw new IllegalStateException("answered " + r.statusCode() + ": " + r.body());
                    }
                    retries.unavailable.incrementAndGet();
                    wait = r.headers()
                            .firstValue("Retry-After")
                            .map(Long::parseLong)
                            .orElse(1L);
                } catch (IOException e) {
                    retries.networkErrors.incrementAndGet();
                    wait = 1;
                }
                await().pollDelay(Duration.ofSeconds(wait))
                        .atMost(Duration.ofSeconds(wait + 5))
                        .until(() -> true);
            }
            throw new IllegalStateException("still refused after 20 attempts");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** utime + stime of a process, in seconds (clock ticks of 1/100 s on Linux). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** A memory figure of /proc/<pid>/status in KiB ({@code VmHWM:} the peak RSS, {@code VmRSS:} the current). */
    static long vmKiB(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** The {@code q} quantile of sorted nanoseconds, in milliseconds (nearest rank); 0 when there are none. */
    static double ms(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }

    /** The API server's CPU seconds between two scrapes. */
    static double apiServerCpu(PromText before, PromText after) {
        return after.sum("process_cpu_seconds_total") - before.sum("process_cpu_seconds_total");
    }

    /** The heap in use right after a full collection (jcmd GC.run, then GC.heap_info): what the process keeps, MiB. */
    static double liveHeapMiB(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        // G1 has one "heap total …K, used …K" line, the parallel collector one per generation.
        Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
        long kib = 0;
        boolean found = false;
        while (used.find()) {
            kib += Long.parseLong(used.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("jcmd GC.heap_info of " + pid + " names no heap in use");
        }
        return kib / 1024.0;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), command)
                .redirectErrorStream(true)
                .start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + ": " + out);
        }
        return out;
    }

    /** The JVM's stop-the-world pauses in a {@code -Xlog:gc} file: how many, their sum, the longest, the full ones. */
    static String gcPauses(Path gcLog) throws IOException {
        if (!Files.isRegularFile(gcLog)) {
            return "no GC log";
        }
        Matcher pause = Pattern.compile("Pause (\\w+).* (\\d+\\.\\d+)ms$").matcher("");
        int count = 0;
        int full = 0;
        double sum = 0;
        double max = 0;
        for (String line : Files.readAllLines(gcLog)) {
            if (pause.reset(line).find()) {
                double ms = Double.parseDouble(pause.group(2));
                count++;
                full += pause.group(1).equals("Full") ? 1 : 0;
                sum += ms;
                max = Math.max(max, ms);
            }
        }
        return String.format(
                Locale.ROOT, "GC %d pauses (%d full), %.1f s in all, longest %.0f ms", count, full, sum / 1000, max);
    }

    /**
     * Between two scrapes: the API server's CPU, the mean time requests waited in its priority-and-fairness queues
     * per priority level (those that waited), and how long the Lease requests took (mean, and how many over 5 s).
     */
    static String apiServerWaits(PromText before, PromText after) {
        StringBuilder out =
                new StringBuilder(String.format(Locale.ROOT, "API server CPU %.0f s", apiServerCpu(before, after)));
        String wait = "apiserver_flowcontrol_request_wait_duration_seconds";
        Set<String> levels = new TreeSet<>();
        after.samples().stream()
                .filter(s -> s.name().equals(wait + "_count"))
                .forEach(s -> levels.add(s.label("priority_level")));
        for (String level : levels) {
            Predicate<PromText.Sample> which = s -> s.label("priority_level").equals(level);
            double n = after.sum(wait + "_count", which) - before.sum(wait + "_count", which);
            double seconds = after.sum(wait + "_sum", which) - before.sum(wait + "_sum", which);
            if (n > 0) {
                out.append(String.format(
                        Locale.ROOT, ", queued in %s: %.0f requests, mean wait %.0f ms", level, n, seconds * 1000 / n));
            }
        }
        String duration = "apiserver_request_duration_seconds";
        Predicate<PromText.Sample> leases = s -> s.label("resource").equals("leases");
        Predicate<PromText.Sample> leasesUpTo5 =
                s -> leases.test(s) && s.label("le").equals("5");
        double n = after.sum(duration + "_count", leases) - before.sum(duration + "_count", leases);
        double seconds = after.sum(duration + "_sum", leases) - before.sum(duration + "_sum", leases);
        double upTo5 = after.sum(duration + "_bucket", leasesUpTo5) - before.sum(duration + "_bucket", leasesUpTo5);
        out.append(String.format(
                Locale.ROOT,
                "; Lease requests %.0f, mean %.0f ms, %.0f over 5 s",
                n,
                n == 0 ? 0 : seconds * 1000 / n,
                n - upTo5));
        return out.toString();
    }

    /** apiserver_request_total between two scrapes for these "VERB resource[/subresource]" keys, those above 0. */
    static String requests(PromText before, PromText after, List<String> keys) {
        StringBuilder out = new StringBuilder();
        for (String key : keys) {
            String[] parts = key.split("[ /]");
            String verb = parts[0];
            String resource = parts[1];
            String sub = parts.length > 2 ? parts[2] : "";
            Predicate<PromText.Sample> which = s -> s.label("verb").equals(verb)
                    && s.label("resource").equals(resource)
                    && s.label("subresource").equals(sub);
            double n = after.sum("apiserver_request_total", which) - before.sum("apiserver_request_total", which);
            if (n > 0) {
                out.append(out.isEmpty() ? "" : ", ").append(key).append(' ').append(Math.round(n));
            }
        }
        return out.toString();
    }

    /**
     * Every request to these resources between two scrapes, by "VERB resource[/subresource]" (WATCH left out: a
     * watch is counted when it starts, not per event), most first.
     */
    static Map<String, Long> requestCounts(PromText before, PromText after, Set<String> resources) {
        Map<String, Double> delta = new TreeMap<>();
        for (PromText.Sample s : after.samples()) {
            if (s.name().equals("apiserver_request_total")
                    && resources.contains(s.label("resource"))
                    && !s.label("verb").equals("WATCH")) {
                delta.merge(key(s), s.value(), Double::sum);
            }
        }
        for (PromText.Sample s : before.samples()) {
            if (s.name().equals("apiserver_request_total") && delta.containsKey(key(s))) {
                delta.merge(key(s), -s.value(), Double::sum);
            }
        }
        return delta.entrySet().stream()
                .filter(e -> Math.round(e.getValue()) > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .collect(Collectors.toMap(
                        Map.Entry::getKey, e -> Math.round(e.getValue()), (a, b) -> a, LinkedHashMap::new));
    }

    /** "PATCH incidents/status 1200, POST incidents 200" */
    static String describe(Map<String, Long> counts) {
        return counts.isEmpty()
                ? "none"
                : counts.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "));
    }

    private static String key(PromText.Sample s) {
        String sub = s.label("subresource");
        return s.label("verb") + " " + s.label("resource") + (sub.isEmpty() ? "" : "/" + sub);
    }

    /** Lines of the operator's log at WARN and at ERROR. */
    static String logLevels(OperatorProcess operator) {
        long warn = 0;
        long error = 0;
        for (String line : operator.log().split("\n")) {
            if (line.matches("^\\S+ \\S+ +WARN .*")) {
                warn++;
            } else if (line.matches("^\\S+ \\S+ +ERROR .*")) {
                error++;
            }
        }
        return warn + " WARN and " + error + " ERROR lines in target/e2e/" + operator.name() + ".log";
    }

    /** Writes target/bench/{@code name}.md. */
    static Path write(String name, CharSequence report) throws IOException {
        Path out = Files.createDirectories(Path.of("target/bench")).resolve(name + ".md");
        Files.writeString(out, report);
        return out;
    }
}
