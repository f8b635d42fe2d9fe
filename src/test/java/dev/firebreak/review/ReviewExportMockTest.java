package dev.firebreak.review;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The review export when the API server cannot review a token (a 500 a real one does not give on demand): 503 with
 * Retry-After, never a 401 that would tell a reader the token is bad. The rest of the export's authentication runs
 * against a real API server, with real tokens and RBAC, in {@link ReviewOperatorTest}.
 */
@QuarkusTest
@WithKubernetesTestServer
class ReviewExportMockTest {
    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void aTokenReviewTheApiServerFailsIs503WithRetryAfter() throws Exception {
        server.expect()
                .post()
                .withPath("/apis/authentication.k8s.io/v1/tokenreviews")
                .andReturn(500, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":500}")
                .always();
        while (server.getKubernetesMockServer().takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // earlier requests (the operator's start) are not this test's
        }
        given().header("Authorization", "Bearer token-while-the-api-server-fails")
                .get("/api/v1/reviews/reviews/search-down.md")
                .then()
                .statusCode(503)
                .header("Retry-After", "5");
        boolean asked = false;
        var request = server.getKubernetesMockServer().takeRequest(1, TimeUnit.SECONDS);
        while (request != null) {
            asked |= request.getPath().startsWith("/apis/authentication.k8s.io/v1/tokenreviews");
            request = server.getKubernetesMockServer().takeRequest(100, TimeUnit.MILLISECONDS);
        }
        assertThat(asked)
                .as("the token was sent to the API server's TokenReview")
                .isTrue();
    }
}
