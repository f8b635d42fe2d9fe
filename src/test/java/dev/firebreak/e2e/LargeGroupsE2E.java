package dev.firebreak.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.testing.Notifications;
import dev.firebreak.testing.PromText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Groups larger than one object can hold, on the real API server (which validates what Firebreak writes) with etcd on
 * a 256 MiB space quota (hack/test.sh), so that a write storm would fail this tier instead of passing unseen:
 * a group of 10,000 realistic alerts (about 12 MB) opens one incident within the alert budget with correct counts
 * and resolves with the group; a group that grows past the budget over several notifications keeps what it stored;
 * a 1,000-alert group keeps its story in the timeline, and once its last notification is recorded nothing more is
 * written to it nor any Event raised on it until 60 s after that notification (counted at the API server: the
 * incident's resourceVersion, which every write moves, and its Events with their counts).
 */
class LargeGroupsE2E {
    private static final String TOKEN = "large-groups-e2e-token";
    private static final String NS = "large-groups";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long OBJECT_LIMIT = 512 * 1024;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void largeGroupsStayWithinTheBudgetResolveAndThenWriteNothing() throws Exception {
        Cluster cluster = Cluster.get();
        Install.ensure(cluster);
        cluster.freshNamespace(NS, Map.of());
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
        try (OperatorProcess operator =
                OperatorProcess.start(cluster, "large-groups-e2e", Map.of("FIREBREAK_WEBHOOK_AUTH_MODE", "bearer"))) {
            String base = "http://127.0.0.1:" + operator.port();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> get(base + "/q/health/ready") == 200);

            // 10,000 alerts in one notification, about 12 MB.
            String huge = Notifications.group("firebreak", "KubePodCrashLooping", NS)
                    .realistic(0, 10_000, true)
                    .json();
            assertThat(huge.length()).isGreaterThan(10_000_000);
            JsonNode answer = post(base, huge);
            String name = answer.get("incident").asText().substring(NS.length() + 1);
            assertThat(answer.get("firing").asInt()).isEqualTo(10_000);
            JsonNode incident = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> raw(cluster, name),
                            i -> i.at("/status/alertsRecorded").asLong()
                                            == i.at("/status/alertsRevision").asLong()
                                    && i.at("/status/alertsRevision").asLong() > 0);
            JsonNode summary = incident.at("/status/alertsSummary");
            assertThat(summary.get("firing").asInt()).isEqualTo(10_000);
            assertThat(summary.get("storedFull").asInt()
                            + summary.get("storedCompact").asInt()
                            + summary.get("notStored").asInt())
                    .isEqualTo(10_000);
            assertThat(summary.get("bytes").asLong()).isLessThanOrEqualTo(256 * 1024);
            assertThat(rawBytes(cluster, name))
                    .as("the whole incident as the API server stores it")
                    .isLessThan(OBJECT_LIMIT);
            assertThat(incident.at("/status/timeline").toString()).contains("alerts firing");
            assertThat(cluster.kubectlOrFail("get", "incidents", "-n", NS, "-o", "name")
                            .lines()
                            .count())
                    .as("one incident for the group")
                    .isEqualTo(1);

            // A group growing past the budget over several notifications keeps what it stored.
            Set<String> storedBefore = Set.of();
            String growingName = null;
            for (int size : new int[] {300, 3000, 8000}) {
                JsonNode grown = post(
                        base,
                        Notifications.group("firebreak", "NodeNotReady", NS)
                                .realistic(0, size, true)
                                .json());
                growingName = grown.get("incident").asText().substring(NS.length() + 1);
                assertThat(grown.get("firing").asInt()).isEqualTo(size);
                JsonNode now = raw(cluster, growingName);
                Set<String> stored = fingerprints(now);
                assertThat(stored).containsAll(storedBefore);
                assertThat(now.at("/status/alertsSummary/bytes").asLong()).isLessThanOrEqualTo(256 * 1024);
                storedBefore = stored;
            }
            assertThat(rawBytes(cluster, growingName)).isLessThan(OBJECT_LIMIT);

            // The 10,000 resolve: the incident resolves with the group, though most of them were only counted.
            post(
                    base,
                    Notifications.group("firebreak", "KubePodCrashLooping", NS)
                            .status("resolved")
                            .realistic(0, 10_000, false)
                            .json());
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(
                                    raw(cluster, name).at("/status/phase").asText())
                            .as("operator log:%n%s", tail(operator))
                            .isEqualTo("Resolved"));

            // A 1,000-alert group: sent twice as Alertmanager repeats it, then nothing more may be written to it.
            String thousand = Notifications.group("firebreak", "TargetDown", NS)
                    .realistic(0, 1000, true)
                    .json();
            String quiet = post(base, thousand).get("incident").asText().substring(NS.length() + 1);
            post(base, thousand);
            Instant last = Instant.now();
            JsonNode settled = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> raw(cluster, quiet),
                            i -> i.at("/status/alertsRecorded").asLong()
                                            == i.at("/status/alertsRevision").asLong()
                                    && i.at("/status/alertsRevision").asLong() > 0);
            assertThat(types(settled))
                    .as("the story stays in the timeline")
                    .contains("Detected", "Classified", "AlertFiring");
            // Let the writes the notifications caused finish, then count for the rest of the minute.
            await().pollDelay(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> true);
            String resourceVersion =
                    raw(cluster, quiet).at("/metadata/resourceVersion").asText();
            String events = events(cluster, quiet);
            double writesBefore = incidentWrites(cluster.apiServerMetrics());
            Instant until = last.plusSeconds(60);
            await().atMost(Duration.ofSeconds(75))
                    .pollInterval(Duration.ofSeconds(5))
                    .until(() -> {
                        assertThat(raw(cluster, quiet)
                                        .at("/metadata/resourceVersion")
                                        .asText())
                                .as("no write to the incident after its last notification was recorded")
                                .isEqualTo(resourceVersion);
                        assertThat(events(cluster, quiet))
                                .as("no Event on it either")
                                .isEqualTo(events);
                        return Instant.now().isAfter(until);
                    });
            // Every incident in the cluster counts here, those of earlier tests included: reported, not asserted.
            double writes = incidentWrites(cluster.apiServerMetrics()) - writesBefore;
            System.out.printf(
                    "large groups: 10,000 alerts stored in %s bytes (%s full, %s compact, %s counted); "
                            + "the 1,000-alert incident: 0 writes and 0 Events in the %d s after it settled; incident writes "
                            + "at the API server in that time, all incidents: %.0f%n",
                    summary.get("bytes"),
                    summary.get("storedFull"),
                    summary.get("storedCompact"),
                    summary.get("notStored"),
                    Duration.between(last, until).toSeconds(),
                    writes);
        }
        PromText etcd = cluster.etcdMetrics();
        assertThat(etcd.sum("etcd_mvcc_db_total_size_in_bytes"))
                .as("etcd's database, of its 256 MiB quota")
                .isLessThan(etcd.sum("etcd_server_quota_backend_bytes") / 2);
    }

    private JsonNode post(String base, String body) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts/alertmanager"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            // As Alertmanager does: a 5xx is retried, after the time it asks for.
            if (response.statusCode() >= 500 && attempt < 10) {
                long wait = response.headers()
                        .firstValue("Retry-After")
                        .map(Long::parseLong)
                        .orElse(1L);
                await().pollDelay(Duration.ofSeconds(wait))
                        .atMost(Duration.ofSeconds(wait + 5))
                        .until(() -> true);
                continue;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
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

    private static String path(String name) {
        return "/apis/firebreak.dev/v1alpha1/namespaces/" + NS + "/incidents/" + name;
    }

    private static JsonNode raw(Cluster cluster, String name) throws IOException {
        return JSON.readTree(cluster.kubectlOrFail("get", "--raw", path(name)));
    }

    private static long rawBytes(Cluster cluster, String name) {
        return cluster.kubectlOrFail("get", "--raw", path(name)).getBytes(StandardCharsets.UTF_8).length;
    }

    private static Set<String> fingerprints(JsonNode incident) {
        return StreamSupport.stream(incident.at("/status/alerts").spliterator(), false)
                .map(a -> a.get("fingerprint").asText())
                .collect(Collectors.toSet());
    }

    private static List<String> types(JsonNode incident) {
        return StreamSupport.stream(incident.at("/status/timeline").spliterator(), false)
                .map(e -> e.get("type").asText())
                .toList();
    }

    /** The incident's Events, each with its count: a new Event or a bumped count changes this. */
    private static String events(Cluster cluster, String name) {
        return cluster.kubectlOrFail(
                "get",
                "events",
                "-n",
                NS,
                "--field-selector",
                "involvedObject.name=" + name,
                "-o",
                "jsonpath={range .items[*]}{.metadata.name}={.count};{end}");
    }

    private static double incidentWrites(PromText metrics) {
        return metrics.sum(
                "apiserver_request_total",
                s -> s.label("resource").equals("incidents")
                        && Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE").contains(s.label("verb")));
    }

    private static String tail(OperatorProcess operator) {
        String log = operator.log();
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
