package dev.firebreak.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.testing.AlertmanagerProcess;
import dev.firebreak.testing.RealApiServer;
import dev.firebreak.testing.WebhookCredentials;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Debian's Alertmanager 0.25 (installed by hack/cluster.sh build, which .ci/run and hack/test.sh run) delivers to the
 * webhook with bearer auth: the incident opens, takes a second alert, and resolves when the alerts end.
 */
@QuarkusTest
@WithTestResource(RealApiServer.class)
class RealAlertmanagerTest {
    static final String TOKEN = WebhookCredentials.TOKEN;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/api/v1/alerts/alertmanager")
    URL webhook;

    private AlertmanagerProcess alertmanager;

    @AfterEach
    void stop() throws InterruptedException {
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    @Test
    void alertmanagerOpensUpdatesAndResolvesAnIncident() throws Exception {
        RealApiServer.namespace(client, "firebreak-system");
        RealApiServer.namespace(client, "shop-am");
        WebhookCredentials.store(client);
        alertmanager = AlertmanagerProcess.start(
                Files.createTempDirectory("alertmanager"), webhook.toString().replace("localhost", "127.0.0.1"), TOKEN);
        int port = alertmanager.port();
        String api = "http://127.0.0.1:" + port + "/api/v2/alerts";

        push(api, alert("checkout-7d9f-1", Instant.now().minusSeconds(60), null));
        Incident opened =
                awaitIncident(i -> i.getStatus() != null && i.getStatus().alerts.size() == 1);
        assertThat(opened.getMetadata().getName()).startsWith("am-checkoutcrashing-");
        assertThat(opened.getSpec().source.receiver).isEqualTo("firebreak");
        assertThat(opened.getSpec().source.groupKey).contains("alertname=\"CheckoutCrashing\"");
        assertThat(opened.getSpec().source.externalURL).contains(Integer.toString(port));
        assertThat(opened.getSpec().title).isEqualTo("Checkout pods crash-looping");
        assertThat(opened.getSpec().affected).extracting(w -> w.name).containsExactly("checkout");

        push(api, alert("checkout-7d9f-2", Instant.now().minusSeconds(30), null));
        awaitIncident(i -> i.getStatus().alerts.size() == 2);

        Instant now = Instant.now();
        push(
                api,
                alert("checkout-7d9f-1", now.minusSeconds(60), now.minusSeconds(1)),
                alert("checkout-7d9f-2", now.minusSeconds(30), now.minusSeconds(1)));
        Incident resolved = awaitIncident(i -> i.getStatus().phase == Phase.Resolved);
        assertThat(resolved.getStatus().alerts).extracting(a -> a.state).containsOnly(AlertState.Resolved);
        assertThat(client.resources(Incident.class)
                        .inNamespace("shop-am")
                        .list()
                        .getItems())
                .hasSize(1);
    }

    private static String alert(String pod, Instant startsAt, Instant endsAt) {
        return """
                {"labels": {"alertname": "CheckoutCrashing", "namespace": "shop-am", "deployment": "checkout",
                            "pod": "%s", "severity": "critical"},
                 "annotations": {"summary": "Checkout pods crash-looping"},
                 "startsAt": "%s"%s,
                 "generatorURL": "http://prometheus.example/graph"}""".formatted(pod, startsAt, endsAt == null ? "" : ", \"endsAt\": \"" + endsAt + "\"");
    }

    private static void push(String api, String... alerts) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(api))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", alerts) + "]"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private Incident awaitIncident(Predicate<Incident> condition) throws IOException {
        try {
            return await().atMost(Duration.ofSeconds(45))
                    .until(
                            () -> client.resources(Incident.class).inNamespace("shop-am").list().getItems().stream()
                                    .findFirst()
                                    .orElse(null),
                            i -> i != null && condition.test(i));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Alertmanager log:\n" + alertmanager.log(), e);
        }
    }
}
