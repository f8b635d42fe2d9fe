package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rollback benchmark (docs/benchmarks.md): how long from Firebreak seeing a failing rollout to the API server
 * accepting the rollback patch. Waves of Deployments on the real control plane (kwok nodes) each roll out a healthy
 * revision 1, then a crash-looping revision 2; the operator's log gives, per Deployment, when it opened the incident
 * (the failure seen: the detector has just listed the crash-looping pods) and when the patch was accepted, to the
 * millisecond. The circuit breaker is raised for the run: it would otherwise stop after 3 rollbacks, as it should.
 *
 * <p>Run with {@code ./bench/run.sh rollback-latency}; results go to target/bench/rollback-latency.md.
 */
class RollbackLatencyBench {
    private static final String NS = "bench-rollback";
    private static final int WAVES = 3;
    private static final int PER_WAVE = 10;
    private static final Pattern LINE = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) .*(opened incident " + NS
                    + "/rollout-deploy-(d\\d+)-2|rolled back Deployment " + NS + "/(d\\d+) )",
            Pattern.MULTILINE);

    @Test
    void detectionToPatch() throws Exception {
        Cluster cluster = Cluster.get();
        Install.ensure(cluster);
        cluster.freshNamespace(
                NS, Map.of("firebreak.dev/detect-rollouts", "true", "firebreak.dev/auto-rollback", "true"));
        try (OperatorProcess operator = OperatorProcess.start(
                cluster,
                "rollback-bench",
                Map.of("FIREBREAK_ROLLBACK_BREAKER_MAX", "1000", "FIREBREAK_ROLLOUTS_RECHECK", "2s"))) {
            for (int wave = 0; wave < WAVES; wave++) {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < PER_WAVE; i++) {
                    names.add("d" + (wave * PER_WAVE + i));
                }
                StringBuilder v1 = new StringBuilder();
                names.forEach(n -> v1.append(deployment(n, "1.0", false)));
                cluster.kubectlWithInput(v1.toString(), "apply", "-f", "-");
                for (String n : names) {
                    cluster.kubectlOrFail("-n", NS, "rollout", "status", "deployment/" + n, "--timeout=120s");
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> !cluster.kubectl(
                                            "-n",
                                            NS,
                                            "get",
                                            "rs",
                                            "-l",
                                            "app=" + n,
                                            "-o",
                                            "jsonpath={.items[*].metadata.annotations.firebreak\\.dev/observed-healthy-at}")
                                    .stdout()
                                    .isBlank());
                }
                StringBuilder v2 = new StringBuilder();
                names.forEach(n -> v2.append(deployment(n, "2.0", true)));
                cluster.kubectlWithInput(v2.toString(), "apply", "-f", "-");
                for (String n : names) {
                    await().atMost(Duration.ofSeconds(120))
                            .until(() -> cluster.kubectl(
                                            "-n",
                                            NS,
                                            "get",
                                            "incident",
                                            "rollout-deploy-" + n + "-2",
                                            "-o",
                                            "jsonpath={.status.rollback.state} {.status.rollback.startedAt}")
                                    .stdout()
                                    .matches("(InProgress|Succeeded) .+"));
                }
            }
            List<Long> millis = latencies(operator.log());
            assertThat(millis).as("one measurement per Deployment").hasSize(WAVES * PER_WAVE);
            Collections.sort(millis);
            String report = String.format(
                    Locale.ROOT,
                    "# Rollback: failure seen -> patch accepted%n%n"
                            + "| rollbacks | p50 ms | p90 ms | p99 ms | max ms |%n|---|---|---|---|---|%n"
                            + "| %d | %d | %d | %d | %d |%n",
                    millis.size(),
                    q(millis, 0.5),
                    q(millis, 0.9),
                    q(millis, 0.99),
                    millis.get(millis.size() - 1));
            Files.writeString(Files.createDirectories(Path.of("target/bench")).resolve("rollback-latency.md"), report);
            System.out.println(report);
        }
    }

    private static List<Long> latencies(String log) {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
        Map<String, LocalDateTime> opened = new HashMap<>();
        List<Long> result = new ArrayList<>();
        Matcher m = LINE.matcher(log);
        while (m.find()) {
            LocalDateTime t = LocalDateTime.parse(m.group(1), f);
            if (m.group(3) != null) {
                opened.put(m.group(3), t);
            } else if (opened.containsKey(m.group(4))) {
                result.add(Duration.between(opened.get(m.group(4)), t).toMillis());
            }
        }
        return result;
    }

    private static long q(List<Long> sorted, double q) {
        return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static String deployment(String name, String version, boolean crash) {
        return """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata:
                      labels: {app: %1$s, firebreak.dev/e2e-crash: "%3$s"}
                    spec:
                      nodeSelector: {type: kwok}
                      containers: [{name: app, image: "shop/%1$s:%4$s"}]
                """.formatted(name, NS, crash, version);
    }
}
