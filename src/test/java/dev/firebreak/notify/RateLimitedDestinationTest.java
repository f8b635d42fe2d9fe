package dev.firebreak.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.status.Action;
import dev.firebreak.api.v1alpha1.status.NotificationRecord;
import dev.firebreak.api.v1alpha1.status.NotificationResult;
import dev.firebreak.testing.HttpReceiver;
import dev.firebreak.testing.RealApiServer;
import dev.firebreak.testing.SmtpServer;
import dev.firebreak.testing.Yaml;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst of incidents paging one destination that allows one request a second and answers 429 beyond: no page is
 * lost to the rate, every incident is covered by a delivery the destination accepted (its own or a digest naming
 * it), each records which, and the destination gets far fewer requests than there are incidents.
 */
@QuarkusTest
@WithTestResource(RealApiServer.class)
@QuarkusTestResource(value = SmtpServer.class, restrictToAnnotatedClass = false)
class RateLimitedDestinationTest {
    static final String NS = "rate-limited";
    static final int INCIDENTS = 30;
    static final ObjectMapper JSON = new ObjectMapper();
    static HttpReceiver receiver;

    @Inject
    KubernetesClient client;

    @BeforeAll
    static void receivers() throws Exception {
        receiver = new HttpReceiver().limit("/hook", Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void aBurstOverTheDestinationsRateIsDeliveredInDigestsAndNothingIsLost() throws Exception {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .create();
        client.resources(EscalationPolicy.class)
                .inNamespace(NS)
                .resource(Yaml.read("""
                apiVersion: firebreak.dev/v1alpha1
                kind: EscalationPolicy
                metadata: {name: everyone}
                spec:
                  levels:
                  - targets:
                    - webhook: {url: "%s"}
                """.formatted(receiver.url("/hook")), EscalationPolicy.class))
                .create();
        Map<String, String> uids = new HashMap<>();
        for (int i = 0; i < INCIDENTS; i++) {
            Incident created = client.resources(Incident.class)
                    .inNamespace(NS)
                    .resource(Yaml.read("""
                    apiVersion: firebreak.dev/v1alpha1
                    kind: Incident
                    metadata: {name: outage-%d}
                    spec: {title: "Region down, service %d", severity: Critical}
                    """.formatted(i, i), Incident.class))
                    .create();
            uids.put(created.getMetadata().getUid(), created.getMetadata().getName());
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> covered().containsAll(uids.keySet()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> uids.values().stream()
                        .allMatch(name -> trigger(name)
                                .map(r -> r.result == NotificationResult.Sent)
                                .orElse(false)));

        List<HttpReceiver.Request> requests = receiver.requests("/hook");
        long accepted = requests.stream().filter(r -> r.status() == 200).count();
        assertThat(accepted)
                .as("one delivery a second carried them: far fewer than %d", INCIDENTS)
                .isLessThanOrEqualTo(INCIDENTS / 3);
        assertThat(requests.stream().filter(r -> r.status() == 429).count())
                .as("429s are met only until the pace is learned")
                .isLessThanOrEqualTo(INCIDENTS / 3);
        long digested = uids.values().stream()
                .map(this::trigger)
                .filter(r -> r.orElseThrow().digest != null)
                .count();
        assertThat(digested).as("incidents whose page was a digest").isGreaterThan(INCIDENTS / 2);
        NotificationRecord one = uids.values().stream()
                .map(this::trigger)
                .map(Optional::orElseThrow)
                .filter(r -> r.digest != null)
                .findFirst()
                .orElseThrow();
        assertThat(one.digest.incidents).isGreaterThan(1);
        assertThat(one.digest.id).isNotBlank();
        // Each covered incident was named by exactly the deliveries that covered it: no incident paged twice.
        Map<String, Integer> times = new HashMap<>();
        for (HttpReceiver.Request r : requests) {
            if (r.status() == 200) {
                coveredBy(r.body()).forEach(uid -> times.merge(uid, 1, Integer::sum));
            }
        }
        assertThat(times.values()).as("each incident's trigger accepted once").allMatch(n -> n == 1);
    }

    Optional<NotificationRecord> trigger(String name) {
        Incident i =
                client.resources(Incident.class).inNamespace(NS).withName(name).get();
        if (i == null || i.getStatus() == null || i.getStatus().escalation == null) {
            return Optional.empty();
        }
        return i.getStatus().escalation.notifications.stream()
                .filter(r -> r.action == Action.Trigger)
                .findFirst();
    }

    /** The incidents a delivery the destination accepted stood for. */
    Set<String> covered() {
        Set<String> out = new HashSet<>();
        receiver.requests("/hook").stream()
                .filter(r -> r.status() == 200)
                .forEach(r -> out.addAll(coveredBy(r.body())));
        return out;
    }

    static Set<String> coveredBy(String body) {
        try {
            JsonNode page = JSON.readTree(body);
            Set<String> uids = new HashSet<>();
            uids.add(page.path("incident").path("uid").asText());
            page.path("digest")
                    .path("incidents")
                    .forEach(c -> uids.add(c.path("uid").asText()));
            return uids;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
