package dev.firebreak.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.testing.Notifications;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * Hostile notifications meeting the API server's refusals, injected on the mock server as kube-apiserver 1.34 and
 * etcd 3.6 give them (a real server does not give them on demand): a 422 for a field, a failed JSON Patch test,
 * etcd's "request is too large", 503s. The rest is on a real API server in {@link HostileNotificationsTest}.
 */
@QuarkusTest
@WithKubernetesTestServer
class HostileNotificationsMockTest extends HostileNotificationsSupport {
    @KubernetesTestServer
    KubernetesServer server;

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
}
