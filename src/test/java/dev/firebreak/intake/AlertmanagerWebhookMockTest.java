package dev.firebreak.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Alertmanager webhook on the mock API server, for what a real one cannot give: an injected 500 from the create,
 * and every request recorded (the writes of a stream of notifications counted).
 */
@QuarkusTest
@WithKubernetesTestServer
class AlertmanagerWebhookMockTest extends AlertmanagerWebhookSupport {
    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void aStreamOfAlertChangesIsNarratedInOneWriteNotOnePerNotification() throws InterruptedException {
        String ns = "shop-n";
        String name = post(withAlerts("NarrationStorm", ns, 1))
                .then()
                .statusCode(200)
                .extract()
                .path("incident")
                .toString()
                .substring((ns + "/").length());
        awaitStatus(
                ns,
                name,
                s -> s.alertsRevision != null
                        && s.alertsRevision.equals(s.alertsRecorded)
                        && s.timeline.stream().anyMatch(e -> e.type == TimelineType.AlertFiring));
        List<RecordedRequest> before = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.getKubernetesMockServer().takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            before.add(r);
        }

        for (int n = 2; n <= 12; n++) {
            post(withAlerts("NarrationStorm", ns, n)).then().statusCode(200);
        }
        IncidentStatus settled =
                awaitStatus(ns, name, s -> s.alerts.size() == 12 && s.alertsRevision.equals(s.alertsRecorded));
        List<RecordedRequest> requests = new ArrayList<>();
        while ((r = server.getKubernetesMockServer().takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            requests.add(r);
        }
        assertThat(statusWrites(requests, name))
                .as("11 notifications within the narration interval: the intake's 11 writes, and one by the "
                        + "reconciler for all of them, not 11 (two if the posts took longer than the interval)")
                .isBetween(12L, 13L);
        assertThat(settled.timeline)
                .filteredOn(e -> e.type == TimelineType.AlertFiring)
                .as("the first alert as it came, the other 11 in one entry")
                .hasSize(2)
                .last()
                .satisfies(e -> assertThat(e.message).contains("11"));
        assertThat(settled.alerts)
                .as("every alert stored by the intake, at once")
                .hasSize(12);
    }

    @Test
    void whenTheApiServerFailsTheAnswerIs503SoAlertmanagerRetries() {
        String body = notification("firing.json", "BrokenGroup", "broken");
        server.expect()
                .post()
                .withPath("/apis/firebreak.dev/v1alpha1/namespaces/broken/incidents")
                .andReturn(500, "etcd is having a bad day")
                .always();
        post(body).then().statusCode(503).header("Retry-After", "5");
        assertThat(client.resources(Incident.class).inNamespace("broken").list().getItems())
                .isEmpty();
    }
}
