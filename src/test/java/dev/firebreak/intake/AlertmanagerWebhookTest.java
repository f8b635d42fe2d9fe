package dev.firebreak.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.testing.RealApiServer;
import dev.firebreak.testing.TestWorkloads;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The Alertmanager webhook on a real API server (tier 2): what it persists. The answers to faults a real server
 * cannot give, and the count of writes the mock server records, are in {@link AlertmanagerWebhookMockTest}.
 */
@QuarkusTest
@WithTestResource(RealApiServer.class)
class AlertmanagerWebhookTest extends AlertmanagerWebhookSupport {
    @Test
    void aNotificationOpensOneIncidentAndARepeatChangesNothing() {
        String body = notification("firing.json", "CheckoutErrors", "shop-a");
        String name = post(body)
                .then()
                .statusCode(200)
                .body("opened", equalTo(true))
                .extract()
                .path("incident")
                .toString()
                .substring("shop-a/".length());
        assertThat(name).startsWith("am-checkouterrors-");

        Incident incident = incident("shop-a", name);
        assertThat(incident.getSpec().title).isEqualTo("Checkout error rate above 5%");
        assertThat(incident.getSpec().source.type).isEqualTo(SourceType.Alertmanager);
        assertThat(incident.getSpec().source.receiver).isEqualTo("firebreak");
        assertThat(incident.getSpec().affected).singleElement().satisfies(w -> {
            assertThat(w.kind).isEqualTo(WorkloadKind.Deployment);
            assertThat(w.name).isEqualTo("checkout");
        });
        IncidentStatus status = awaitStatus(
                "shop-a",
                name,
                s -> s.phase == Phase.Triggered
                        && s.timeline.stream().anyMatch(e -> e.type == TimelineType.AlertFiring));
        assertThat(status.alerts)
                .singleElement()
                .satisfies(a -> assertThat(a.state).isEqualTo(AlertState.Firing));
        assertThat(status.severity)
                .as("a critical severity label is a floor, whatever the impact")
                .isEqualTo(Severity.Critical);

        post(body).then().statusCode(200).body("opened", equalTo(false));
        post(body).then().statusCode(200);
        assertThat(client.resources(Incident.class).inNamespace("shop-a").list().getItems())
                .hasSize(1);
        IncidentStatus after = awaitStatus("shop-a", name, s -> true);
        assertThat(after.alerts).hasSize(1);
        assertThat(after.timeline)
                .filteredOn(e -> e.type == TimelineType.AlertFiring)
                .hasSize(1);
    }

    @Test
    void resolvedAlertsResolveTheIncident() {
        String name = post(notification("firing.json", "PaymentsDown", "shop-b"))
                .then()
                .statusCode(200)
                .extract()
                .path("incident")
                .toString()
                .substring("shop-b/".length());
        post(notification("resolved.json", "PaymentsDown", "shop-b")).then().statusCode(200);
        IncidentStatus resolved = awaitStatus("shop-b", name, s -> s.phase == Phase.Resolved);
        assertThat(resolved.alerts).extracting(a -> a.state).containsExactly(AlertState.Resolved);
        assertThat(resolved.timeline)
                .extracting(e -> e.type)
                .contains(TimelineType.AlertFiring, TimelineType.AlertResolved, TimelineType.Resolved);
    }

    @Test
    void aGroupFiringAgainWithinTheWindowReopensItsIncidentAndLaterOpensANewOne() {
        String firing = notification("firing.json", "CartErrors", "shop-c");
        String name = post(firing)
                .then()
                .statusCode(200)
                .extract()
                .path("incident")
                .toString()
                .substring("shop-c/".length());
        post(notification("resolved.json", "CartErrors", "shop-c")).then().statusCode(200);
        awaitStatus("shop-c", name, s -> s.phase == Phase.Resolved);

        clock.advance(Duration.ofMinutes(30));
        post(firing).then().statusCode(200).body("incident", equalTo("shop-c/" + name));
        IncidentStatus reopened = awaitStatus("shop-c", name, s -> s.reopenCount != null && s.reopenCount == 1);
        assertThat(reopened.phase).isEqualTo(Phase.Triggered);

        post(notification("resolved.json", "CartErrors", "shop-c")).then().statusCode(200);
        awaitStatus("shop-c", name, s -> s.phase == Phase.Resolved);
        clock.advance(Duration.ofHours(2));
        post(firing)
                .then()
                .statusCode(200)
                .body("incident", equalTo("shop-c/" + name + "-2"))
                .body("opened", equalTo(true));
        assertThat(incident("shop-c", name).getStatus().phase)
                .as("the old incident stays resolved")
                .isEqualTo(Phase.Resolved);
    }

    @Test
    void aPayloadThatCanNeverSucceedIs400WithTheFieldAndTheReason() {
        given().header("Authorization", "Bearer " + TOKEN)
                .body("{\"version\":\"4\"")
                .post(PATH)
                .then()
                .statusCode(400)
                .body("field", equalTo("body"))
                .body("reason", containsString("not valid JSON"));
        String noFingerprint =
                fixture("firing.json").replace("\"fingerprint\": \"a1b2c3d4e5f60718\"", "\"fingerprint\": \"\"");
        post(noFingerprint).then().statusCode(400).body("field", equalTo("alerts[0].fingerprint"));
        post(fixture("firing.json").replace("\"version\": \"4\"", "\"version\": \"5\""))
                .then()
                .statusCode(400)
                .body("field", equalTo("version"));
    }

    @Test
    void missingOrWrongCredentialsAre401AndRevealNothing() {
        String body = fixture("firing.json");
        given().body(body).post(PATH).then().statusCode(401).body(not(containsString(TOKEN)));
        given().header("Authorization", "Bearer wrong")
                .body(body)
                .post(PATH)
                .then()
                .statusCode(401)
                .body(not(containsString(TOKEN)))
                .header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer " + TOKEN.substring(0, 5))
                .body(body)
                .post(PATH)
                .then()
                .statusCode(401);
    }

    @Test
    void aNotificationAboveTheSizeLimitIs413NamingTheLimit() {
        String huge = fixture("firing.json")
                .replace(
                        "\"summary\": \"Checkout error rate above 5%\"",
                        "\"summary\": \"" + "x".repeat(65 * 1024 * 1024) + "\"");
        post(huge)
                .then()
                .statusCode(413)
                .body("field", equalTo("body"))
                .body("reason", containsString("firebreak.webhook.max-body-size"));
    }

    @Test
    void aHumanAcknowledgingWhileAlertsArriveLosesNeither() throws Exception {
        String first = notification("firing.json", "SearchSlow", "shop-d");
        String name = post(first)
                .then()
                .statusCode(200)
                .extract()
                .path("incident")
                .toString()
                .substring("shop-d/".length());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> alerts = pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    post(first.replace("a1b2c3d4e5f60718", "fp-" + i)).then().statusCode(200);
                }
            });
            Future<?> humans = pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    String who = "responder-" + i;
                    // what 'kubectl firebreak ack' sends: a merge patch of the spec, no resourceVersion
                    client.resources(Incident.class)
                            .inNamespace("shop-d")
                            .withName(name)
                            .patch(
                                    PatchContext.of(PatchType.JSON_MERGE),
                                    "{\"spec\":{\"acknowledgedBy\":\"" + who + "\"}}");
                }
            });
            alerts.get();
            humans.get();
        } finally {
            pool.shutdownNow();
        }
        Incident incident = incident("shop-d", name);
        assertThat(incident.getSpec().acknowledgedBy).isEqualTo("responder-9");
        assertThat(incident.getStatus().alerts).as("every alert persisted").hasSize(11);
        IncidentStatus status = awaitStatus("shop-d", name, s -> s.phase == Phase.Acknowledged);
        assertThat(status.alerts).hasSize(11);
    }

    @Test
    void anAlertNamingOnlyAPodIsTracedToItsDeployment() {
        String ns = "shop-p";
        var deployment = client.apps()
                .deployments()
                .inNamespace(ns)
                .resource(TestWorkloads.deployment(ns, "checkout", 3, 3))
                .create();
        var replicaSet = client.apps()
                .replicaSets()
                .inNamespace(ns)
                .resource(new ReplicaSetBuilder()
                        .withNewMetadata()
                        .withName("checkout-7d9f")
                        .withNamespace(ns)
                        .addNewOwnerReference()
                        .withApiVersion("apps/v1")
                        .withKind("Deployment")
                        .withName("checkout")
                        .withUid(deployment.getMetadata().getUid())
                        .withController(true)
                        .endOwnerReference()
                        .addToLabels("app", "checkout")
                        .endMetadata()
                        .withNewSpec()
                        .withNewSelector()
                        .addToMatchLabels("app", "checkout")
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels("app", "checkout")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("app")
                        .withImage("shop/checkout:1")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        client.pods()
                .inNamespace(ns)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("checkout-7d9f-abcde")
                        .withNamespace(ns)
                        .addNewOwnerReference()
                        .withApiVersion("apps/v1")
                        .withKind("ReplicaSet")
                        .withName("checkout-7d9f")
                        .withUid(replicaSet.getMetadata().getUid())
                        .withController(true)
                        .endOwnerReference()
                        .addToLabels("app", "checkout")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("app")
                        .withImage("shop/checkout:1")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();

        String name = post(notification("truncated.json", "PodCrashLooping", ns))
                .then()
                .statusCode(200)
                .extract()
                .path("incident")
                .toString()
                .substring(ns.length() + 1);
        assertThat(incident(ns, name).getSpec().affected).singleElement().satisfies(w -> {
            assertThat(w.kind).isEqualTo(WorkloadKind.Deployment);
            assertThat(w.name).isEqualTo("checkout");
        });
    }

    @Test
    void metricsCountRequestsAlertsAndOpenedIncidents() {
        post(notification("firing.json", "MetricsGroup", "shop-e")).then().statusCode(200);
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).containsPattern("firebreak_webhook_requests_total\\{code=\"200\"\\} [1-9]");
        assertThat(metrics).containsPattern("firebreak_alerts_received_total\\{status=\"firing\"\\} [1-9]");
        assertThat(metrics).containsPattern("firebreak_incidents_opened_total\\{source=\"Alertmanager\"\\} [1-9]");
        assertThat(metrics).contains("firebreak_webhook_request_seconds_bucket");
    }
}
