package dev.firebreak.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.intake.alertmanager.AlertGroup;
import dev.firebreak.intake.alertmanager.BadPayload;
import dev.firebreak.intake.alertmanager.PayloadParser;
import dev.firebreak.testing.CrdValidator;
import dev.firebreak.testing.Notifications;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile but plausible notifications on the operator tier: each asserts the answer (2xx stored, 4xx naming the
 * field, 5xx only when a retry can succeed) and what was stored, which must also pass the CRD's schema and CEL rules
 * (the mock API server does not validate). API failures are injected with the bodies a real kube-apiserver 1.34 and
 * etcd 3.6 give, as the mock server cannot produce them.
 */
@QuarkusTest
@WithKubernetesTestServer
class HostileNotificationsTest {
    private static final String PATH = "/api/v1/alerts/alertmanager";
    private static final String TOKEN = "s3cr3t-webhook-token";
    private static final String INCIDENTS = "/apis/firebreak.dev/v1alpha1/namespaces/%s/incidents";
    private static final String INVALID = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Incident.firebreak.dev \\"x\\" \
            is invalid: [spec.title: Too long: may not be more than 256 bytes]","reason":"Invalid","details":{"name":"x",\
            "group":"firebreak.dev","kind":"Incident","causes":[{"reason":"FieldValueTooLong","message":"Too long: may \
            not be more than 256 bytes","field":"spec.title"}]},"code":422}""";
    private static final String PATCH_TEST_FAILED = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server rejected our \
            request due to an error in our request","reason":"Invalid","details":{},"code":422}""";
    private static final String ETCD_TOO_LARGE = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"etcdserver: request is too \
            large","code":500}""";

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer server;

    @BeforeEach
    void credentials() {
        client.secrets()
                .inNamespace("firebreak-system")
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("firebreak-webhook-auth")
                        .endMetadata()
                        .addToStringData("token", TOKEN)
                        .build())
                .createOr(existing -> existing.update());
    }

    private Response post(String body) {
        return given().header("Authorization", "Bearer " + TOKEN)
                .contentType("application/json")
                .body(body)
                .post(PATH);
    }

    private Incident stored(Response answer) {
        String ref = answer.then()
                .statusCode(200)
                .body("stored", equalTo(true))
                .extract()
                .path("incident");
        Incident incident = client.resources(Incident.class)
                .inNamespace(ref.substring(0, ref.indexOf('/')))
                .withName(ref.substring(ref.indexOf('/') + 1))
                .get();
        assertThat(CrdValidator.incident(incident))
                .as("what was stored passes the CRD's validation")
                .isEmpty();
        return incident;
    }

    private static String incidentName(String json) {
        try {
            return AlertGroup.incidentName(PayloadParser.parse(json.getBytes(StandardCharsets.UTF_8)), 1);
        } catch (BadPayload e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDescriptionOverTheSchemasLimitIsCutWithANote() {
        Incident i = stored(post(Notifications.group("r", "LongDescription", "hostile-a")
                .commonAnnotation("description", "d".repeat(20_000))
                .realistic(0, true)
                .json()));
        assertThat(i.getSpec().description).hasSize(16384).endsWith("…");
        assertThat(i.getSpec().source.notes).extracting(n -> n.field).contains("commonAnnotations.description");
    }

    @Test
    void aGroupKeyOver4KiBIsKeptWhereTheSchemaAllowsAndTheIdentityIsTheWholeKey() {
        String key = "{}:{alertname=\"LongKey\", instance=\"" + "k&".repeat(4000) + "\"}";
        String json = Notifications.group("r", "LongKey", "hostile-b")
                .groupKey(key)
                .realistic(0, true)
                .json();
        Incident i = stored(post(json));
        assertThat(i.getSpec().source.groupKey).hasSize(4096);
        assertThat(i.getMetadata().getLabels()).containsEntry(AlertGroup.GROUP_LABEL, AlertGroup.hash("r", key));
        post(json).then().statusCode(200).body("opened", equalTo(false));
        assertThat(client.resources(Incident.class)
                        .inNamespace("hostile-b")
                        .list()
                        .getItems())
                .hasSize(1);
    }

    @Test
    void anEmptyAlertnameGivesATitleFromTheOtherLabels() {
        Incident i = stored(post(Notifications.group("r", "", "hostile-c")
                .commonAnnotation("summary", "")
                .groupLabel("job", "api")
                .realistic(0, true)
                .json()));
        assertThat(i.getSpec().title).isEqualTo("Alert group {namespace=hostile-c, job=api}");
        assertThat(i.getSpec().source.notes).extracting(n -> n.field).contains("commonLabels.alertname");
    }

    @Test
    void aNamespaceThatDoesNotExistOpensTheIncidentInTheDefaultNamespaceWithANote() {
        server.expect()
                .post()
                .withPath(String.format(INCIDENTS, "ghost"))
                .andReturn(404, """
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"namespaces \\"ghost\\" \
                not found","reason":"NotFound","details":{"name":"ghost","kind":"namespaces"},"code":404}""")
                .always();
        String json = Notifications.group("r", "GhostNamespace", "ghost")
                .realistic(0, true)
                .json();
        Incident i = stored(post(json));
        assertThat(i.getMetadata().getNamespace()).isEqualTo("firebreak-system");
        assertThat(i.getSpec().source.notes).singleElement().satisfies(n -> {
            assertThat(n.field).isEqualTo("commonLabels.namespace");
            assertThat(n.message).contains("ghost").contains("does not exist").contains("firebreak-system");
        });
        post(json)
                .then()
                .statusCode(200)
                .body("incident", equalTo("firebreak-system/" + i.getMetadata().getName()))
                .body("opened", equalTo(false));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(client.resources(Incident.class)
                                .inNamespace("firebreak-system")
                                .withName(i.getMetadata().getName())
                                .get()
                                .getStatus()
                                .timeline)
                        .extracting(e -> e.message)
                        .anyMatch(m -> m.startsWith("intake: commonLabels.namespace: ")));
    }

    @Test
    void workloadAndPodLabelsThatAreNotNamesAreLeftOutWithNotes() {
        Incident i = stored(post(Notifications.group("r", "BadNames", "hostile-d")
                .alert(
                        "1",
                        "firing",
                        Map.of("alertname", "BadNames", "namespace", "hostile-d", "deployment", "Checkout V2"),
                        Map.of(),
                        Notifications.STARTS_AT,
                        null)
                .alert(
                        "2",
                        "firing",
                        Map.of("alertname", "BadNames", "namespace", "hostile-d", "pod", ""),
                        Map.of(),
                        Notifications.STARTS_AT,
                        null)
                .json()));
        assertThat(i.getSpec().affected).isEmpty();
        assertThat(i.getSpec().source.notes)
                .extracting(n -> n.field)
                .containsExactly("alerts[0].labels.deployment", "alerts[1].labels.pod");
        assertThat(i.getStatus().alerts).hasSize(2);
    }

    @Test
    void aTimeNoApiServerCanStoreIs400NamingTheFieldAndStoresNothing() {
        String json = Notifications.group("r", "FarFuture", "hostile-e")
                .realistic(0, true)
                .json()
                .replace("\"startsAt\":\"2026-11-30T09:00:00Z\"", "\"startsAt\":\"9999-12-31T23:59:59-01:00\"");
        post(json)
                .then()
                .statusCode(400)
                .body("field", equalTo("alerts[0].startsAt"))
                .body("reason", containsString("0001 to 9999"));
        assertThat(client.resources(Incident.class)
                        .inNamespace("hostile-e")
                        .list()
                        .getItems())
                .isEmpty();
    }

    @Test
    void aGroupGrowingPastWhatOneObjectHoldsStaysWithinTheBudgetWithCorrectCounts() {
        Incident last = null;
        for (int size : new int[] {500, 2000, 6000}) {
            last = stored(post(Notifications.group("r", "Growing", "hostile-f")
                    .realistic(0, size, true)
                    .json()));
            assertThat(last.getStatus().alertsSummary.firing).isEqualTo(size);
            assertThat(last.getStatus().alertsSummary.bytes)
                    .as("the test profile's alert budget")
                    .isLessThanOrEqualTo(24 * 1024);
        }
        var s = last.getStatus().alertsSummary;
        assertThat(s.storedFull + s.storedCompact + s.notStored).isEqualTo(6000);
        assertThat(s.storedFull).isPositive();
        Incident resolved = stored(post(Notifications.group("r", "Growing", "hostile-f")
                .status("resolved")
                .realistic(0, 6000, false)
                .json()));
        assertThat(resolved.getStatus().alertsSummary.firing).isZero();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(client.resources(Incident.class)
                                .inNamespace("hostile-f")
                                .withName(resolved.getMetadata().getName())
                                .get()
                                .getStatus()
                                .phase)
                        .hasToString("Resolved"));
    }

    @Test
    void htmlControlAndBidirectionalCharactersAreStoredAsGivenAndShownSafely() {
        Incident i = stored(post(Notifications.group("r", "Markup", "hostile-g")
                .commonAnnotation("summary", "\u202Edanger\u202C <b>&amp;</b>\u0007")
                .alert(
                        "m1",
                        "firing",
                        Map.of("alertname", "Markup", "query", "<>&".repeat(2000), "ctl", "a\u0000b\u001Bc\u200Fd"),
                        Map.of(),
                        Notifications.STARTS_AT,
                        null)
                .json()));
        assertThat(i.getSpec().title).isEqualTo("\uFFFDdanger\uFFFD <b>&amp;</b>\uFFFD");
        assertThat(i.getStatus().alerts).singleElement().satisfies(a -> {
            assertThat(a.labels.get("ctl")).isEqualTo("a\u0000b\u001Bc\u200Fd");
            assertThat(a.labels.get("query")).hasSize(1024).endsWith("…");
        });
        assertThat(i.getStatus().alertsSummary.bytes)
                .as("each <, > and & counted as the six bytes stored")
                .isGreaterThan(1023 * 6);
    }

    @Test
    void duplicateFingerprintsInOneNotificationAreOneAlert() {
        Incident i = stored(post(Notifications.group("r", "Dupes", "hostile-h")
                .alert(
                        "same",
                        "firing",
                        Map.of("alertname", "Dupes", "n", "1"),
                        Map.of(),
                        Notifications.STARTS_AT,
                        null)
                .alert(
                        "same",
                        "resolved",
                        Map.of("alertname", "Dupes", "n", "1"),
                        Map.of(),
                        Notifications.STARTS_AT,
                        Notifications.STARTS_AT.plusSeconds(60))
                .json()));
        assertThat(i.getStatus().alerts)
                .singleElement()
                .satisfies(a -> assertThat(a.state).isEqualTo(AlertState.Resolved));
    }

    @Test
    void timesAtTheExtremesAreKeptAsGivenAndNeverDateTheIncident() {
        Incident i = stored(post(Notifications.group("r", "Epoch", "hostile-i")
                .alert("old", "firing", Map.of("alertname", "Epoch"), Map.of(), Instant.EPOCH, null)
                .alert(
                        "first",
                        "firing",
                        Map.of("alertname", "Epoch"),
                        Map.of(),
                        Instant.parse("0001-01-01T00:00:01Z"),
                        null)
                .alert(
                        "last",
                        "resolved",
                        Map.of("alertname", "Epoch"),
                        Map.of(),
                        Instant.parse("9999-12-31T23:59:59Z"),
                        Instant.parse("9999-12-31T23:59:59Z"))
                .json()));
        assertThat(i.getStatus().alertsSummary.earliestStartsAt).isEqualTo(Instant.parse("0001-01-01T00:00:01Z"));
        Instant detected = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> client.resources(Incident.class)
                                .inNamespace("hostile-i")
                                .withName(i.getMetadata().getName())
                                .get()
                                .getStatus()
                                .detectedAt,
                        Objects::nonNull);
        assertThat(detected).isAfter(Instant.now().minus(Duration.ofMinutes(5)));
    }

    @Test
    void aNotificationWithoutAlertsStoresAndOpensNothing() {
        String json = Notifications.group("r", "Empty", "hostile-j").json();
        post(json).then().statusCode(200).body("stored", equalTo(false));
        assertThat(client.resources(Incident.class)
                        .inNamespace("hostile-j")
                        .list()
                        .getItems())
                .isEmpty();
    }

    @Test
    void anIncidentTheApiServerRefusesIsCreatedInItsSmallestFormOnce() {
        server.expect()
                .post()
                .withPath(String.format(INCIDENTS, "hostile-k"))
                .andReturn(422, INVALID)
                .once();
        Incident i = stored(post(Notifications.group("r", "Refused", "hostile-k")
                .realistic(0, true)
                .json()));
        assertThat(i.getSpec().title).startsWith("Alert group ");
        assertThat(i.getSpec().source.notes).extracting(n -> n.field).contains("spec.title");
        assertThat(i.getStatus().alerts).hasSize(1);
    }

    @Test
    void anIncidentRefusedEvenInItsSmallestFormIs422NamingTheField() {
        server.expect()
                .post()
                .withPath(String.format(INCIDENTS, "hostile-l"))
                .andReturn(422, INVALID)
                .times(2);
        post(Notifications.group("r", "RefusedTwice", "hostile-l")
                        .realistic(0, true)
                        .json())
                .then()
                .statusCode(422)
                .body("field", equalTo("spec.title"))
                .body("reason", containsString("invalid"));
    }

    @Test
    void alertsEtcdFindsTooLargeAreWrittenCompactly() {
        String json = Notifications.group("r", "TooLarge", "hostile-m")
                .realistic(0, 20, true)
                .json();
        server.expect()
                .patch()
                .withPath(String.format(INCIDENTS, "hostile-m") + "/" + incidentName(json) + "/status")
                .andReturn(500, ETCD_TOO_LARGE)
                .once();
        Incident i = stored(post(json));
        assertThat(i.getStatus().alerts)
                .hasSize(20)
                .allSatisfy(a -> assertThat(a.compact()).isTrue());
    }

    @Test
    void aFailedPatchTestIsAConflictRetriedOnFreshState() {
        String first = Notifications.group("r", "Raced", "hostile-n")
                .realistic(0, true)
                .json();
        Incident i = stored(post(first));
        server.expect()
                .patch()
                .withPath(String.format(INCIDENTS, "hostile-n") + "/"
                        + i.getMetadata().getName() + "/status")
                .andReturn(422, PATCH_TEST_FAILED)
                .once();
        Incident after = stored(post(Notifications.group("r", "Raced", "hostile-n")
                .realistic(0, 3, true)
                .json()));
        assertThat(after.getStatus().alerts).hasSize(3);
    }

    @Test
    void anIncidentWhoseFirstAlertsWriteConflictsIsStillAnsweredAsOpenedByThisNotification() {
        String json = Notifications.group("r", "OpenedThenRaced", "hostile-q")
                .realistic(0, 2, true)
                .json();
        server.expect()
                .patch()
                .withPath(String.format(INCIDENTS, "hostile-q") + "/" + incidentName(json) + "/status")
                .andReturn(422, PATCH_TEST_FAILED)
                .once();
        Response answer = post(json);
        answer.then()
                .statusCode(200)
                .body("opened", equalTo(true))
                .body("incident", equalTo("hostile-q/" + incidentName(json)));
        assertThat(stored(answer).getStatus().alerts).hasSize(2);
        assertThat(client.resources(Incident.class)
                        .inNamespace("hostile-q")
                        .list()
                        .getItems())
                .hasSize(1);
    }

    @Test
    void failuresARetryCanFixAre503WithRetryAfter() {
        server.expect()
                .post()
                .withPath(String.format(INCIDENTS, "hostile-o"))
                .andReturn(429, """
                {"kind":"Status","apiVersion":"v1","status":"Failure","message":"too many requests","reason":\
                "TooManyRequests","code":429}""")
                .always();
        post(Notifications.group("r", "Throttled", "hostile-o")
                        .realistic(0, true)
                        .json())
                .then()
                .statusCode(503)
                .header("Retry-After", "5");
        String json = Notifications.group("r", "Forbidden", "hostile-p")
                .realistic(0, true)
                .json();
        Incident i = stored(post(json));
        server.expect()
                .patch()
                .withPath(String.format(INCIDENTS, "hostile-p") + "/"
                        + i.getMetadata().getName() + "/status")
                .andReturn(403, """
                {"kind":"Status","apiVersion":"v1","status":"Failure","message":"incidents.firebreak.dev is forbidden",\
                "reason":"Forbidden","code":403}""")
                .always();
        post(Notifications.group("r", "Forbidden", "hostile-p")
                        .realistic(0, 2, true)
                        .json())
                .then()
                .statusCode(503)
                .header("Retry-After", "5");
    }

    /**
     * A sender that changes a group faster than anyone could read it is slowed to the incident's write budget (4 MiB a
     * minute, each write charged its alerts plus 192 KiB): the excess is 503 with the time to wait, never dropped.
     */
    @Test
    void aGroupThatNeverStopsChangingIsSlowedToItsWriteBudget() {
        String name = null;
        int written = 0;
        Response refused = null;
        for (int n = 1; n <= 200 && refused == null; n++) {
            Response r = post(Notifications.group("r", "Flapping", "hostile-q")
                    .realistic(0, n, true)
                    .json());
            if (r.statusCode() == 503) {
                refused = r;
            } else {
                r.then().statusCode(200);
                written++;
                name = r.path("incident");
            }
        }
        assertThat(refused).as("refused within 200 changing notifications").isNotNull();
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        assertThat(written).as("about 4 MiB / (192 KiB + the alerts)").isBetween(12, 22);
        assertThat(name).isNotNull();
    }
}
