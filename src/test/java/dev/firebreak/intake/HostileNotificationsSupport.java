package dev.firebreak.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.intake.alertmanager.AlertGroup;
import dev.firebreak.intake.alertmanager.BadPayload;
import dev.firebreak.intake.alertmanager.PayloadParser;
import dev.firebreak.testing.CrdValidator;
import dev.firebreak.testing.WebhookCredentials;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;

/** What the hostile-notification tests share: the credentials, the post, and the read of what was stored. */
abstract class HostileNotificationsSupport {
    static final String PATH = "/api/v1/alerts/alertmanager";
    static final String TOKEN = WebhookCredentials.TOKEN;
    static final String INCIDENTS = "/apis/firebreak.dev/v1alpha1/namespaces/%s/incidents";
    static final String INVALID = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Incident.firebreak.dev \\"x\\" \
            is invalid: [spec.title: Too long: may not be more than 256 bytes]","reason":"Invalid","details":{"name":"x",\
            "group":"firebreak.dev","kind":"Incident","causes":[{"reason":"FieldValueTooLong","message":"Too long: may \
            not be more than 256 bytes","field":"spec.title"}]},"code":422}""";
    static final String PATCH_TEST_FAILED = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server rejected our \
            request due to an error in our request","reason":"Invalid","details":{},"code":422}""";
    static final String ETCD_TOO_LARGE = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"etcdserver: request is too \
            large","code":500}""";

    @Inject
    KubernetesClient client;

    @BeforeEach
    void credentials() {
        WebhookCredentials.store(client);
    }

    Response post(String body) {
        return given().header("Authorization", "Bearer " + TOKEN)
                .contentType("application/json")
                .body(body)
                .post(PATH);
    }

    Incident stored(Response answer) {
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

    static String incidentName(String json) {
        try {
            return AlertGroup.incidentName(PayloadParser.parse(json.getBytes(StandardCharsets.UTF_8)), 1);
        } catch (BadPayload e) {
            throw new AssertionError(e);
        }
    }
}
