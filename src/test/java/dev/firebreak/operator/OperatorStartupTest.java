package dev.firebreak.operator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.firebreak.config.FirebreakConfig;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The operator starts on the mock API server with its four controllers, health, metrics and configuration. */
@QuarkusTest
@WithKubernetesTestServer
class OperatorStartupTest {
    @Inject
    FirebreakConfig config;

    @Inject
    LeaderElectionConfiguration leaderElection;

    @Test
    void healthIsUpWithAllFourControllers() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(
                        containsString("incident"),
                        containsString("escalationpolicy"),
                        containsString("oncallschedule"),
                        containsString("postincidentreview"));
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsAreServedForPrometheus() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("# TYPE"));
    }

    @Test
    void configurationDefaultsAreSafe() {
        assertThat(config.webhook().auth().mode()).isEqualTo(FirebreakConfig.AuthMode.BEARER);
        assertThat(config.webhook().auth().secret()).isEqualTo("firebreak-webhook-auth");
        assertThat(config.rollback().enabled()).isTrue();
        assertThat(config.rollback().dryRun()).isFalse();
        assertThat(leaderElection.getLeaseName()).isEqualTo("firebreak-leader");
    }
}
