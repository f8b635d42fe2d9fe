package dev.firebreak.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.intake.alertmanager.AlertGroup;
import dev.firebreak.testing.Notifications;
import dev.firebreak.testing.RealApiServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile but plausible notifications on the operator tier: each asserts the answer (2xx stored, 4xx naming the
 * field, 5xx only when a retry can succeed) and what was stored, which must also pass the CRD's schema and CEL rules
 * (as the API server checks them too). On a real API server (tier 2): what it stores is what kube-apiserver and
 * etcd accepted; the answers a real server does not give on demand (422s, a failed patch test, etcd's "request is
 * too large", 503s) are injected on the mock in {@link HostileNotificationsMockTest}.
 */
@QuarkusTest
@WithTestResource(RealApiServer.class)
class HostileNotificationsTest extends HostileNotificationsSupport {
    /** The namespaces the notifications name ("ghost" stays missing: that test is about a namespace that is not). */
    private static final List<String> NAMESPACES = List.of(
            "hostile-a",
            "hostile-b",
            "hostile-c",
            "hostile-d",
            "hostile-e",
            "hostile-f",
            "hostile-g",
            "hostile-h",
            "hostile-i",
            "hostile-j",
            "hostile-q");

    @BeforeEach
    void namespaces() {
        NAMESPACES.forEach(ns -> RealApiServer.namespace(client, ns));
    }

    @Test
    void aNamespaceThatDoesNotExistOpensTheIncidentInTheDefaultNamespaceWithANote() {
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
