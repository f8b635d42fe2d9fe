package dev.firebreak.intake;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.testing.MovableClock;
import dev.firebreak.testing.RealApiServer;
import dev.firebreak.testing.WebhookCredentials;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What the Alertmanager webhook tests share: credentials, namespaces, fixtures, the post and the reads. */
abstract class AlertmanagerWebhookSupport {
    /** The namespaces the tests' notifications name (a real API server opens nothing in one that does not exist). */
    private static final List<String> NAMESPACES =
            List.of("firebreak-system", "broken", "shop-a", "shop-b", "shop-c", "shop-d", "shop-e", "shop-n", "shop-p");

    static final String PATH = "/api/v1/alerts/alertmanager";
    static final String TOKEN = WebhookCredentials.TOKEN;
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesClient client;

    @Inject
    MovableClock clock;

    @BeforeEach
    void credentials() {
        for (String namespace : NAMESPACES) {
            RealApiServer.namespace(client, namespace);
        }
        WebhookCredentials.store(client);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static String fixture(String name) {
        try (InputStream in = AlertmanagerWebhookSupport.class.getResourceAsStream("/alertmanager/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fixture moved to its own group and namespace, so tests do not share incidents. */
    static String notification(String fixture, String group, String namespace) {
        return fixture(fixture).replace("CheckoutErrorRate", group).replace("\"shop\"", "\"" + namespace + "\"");
    }

    Response post(String body) {
        return given().header("Authorization", "Bearer " + TOKEN)
                .contentType("application/json")
                .body(body)
                .post(PATH);
    }

    Incident incident(String namespace, String name) {
        return client.resources(Incident.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    IncidentStatus awaitStatus(String namespace, String name, Predicate<IncidentStatus> condition) {
        return await().atMost(WAIT)
                .until(
                        () -> {
                            Incident i = incident(namespace, name);
                            return i == null ? null : i.getStatus();
                        },
                        s -> s != null && condition.test(s));
    }

    /** The fixture with {@code n} alerts, each its own pod and fingerprint. */
    static String withAlerts(String group, String namespace, int n) {
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(notification("firing.json", group, namespace));
            ArrayNode alerts = (ArrayNode) body.get("alerts");
            ObjectNode first = (ObjectNode) alerts.get(0);
            alerts.removeAll();
            for (int i = 0; i < n; i++) {
                ObjectNode alert = first.deepCopy();
                alert.put("fingerprint", String.format("%016x", i + 1));
                ((ObjectNode) alert.get("labels")).put("pod", "checkout-" + i);
                alerts.add(alert);
            }
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status writes among the requests (the mock server keeps no PATCH bodies to tell whose they are). */
    static long statusWrites(List<RecordedRequest> requests, String name) {
        return requests.stream()
                .filter(r -> "PATCH".equals(r.getMethod()) && r.getPath().endsWith("/incidents/" + name + "/status"))
                .count();
    }
}
