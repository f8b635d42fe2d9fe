package dev.firebreak.operator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.testing.RealApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The operator starts on a real API server (tier 2: kube-apiserver and etcd) with its four controllers, health,
 * metrics and configuration.
 */
@QuarkusTest
@WithTestResource(RealApiServer.class)
class OperatorStartupTest {
    @Inject
    FirebreakConfig config;

    @Inject
    LeaderElectionConfiguration leaderElection;

    @Inject
    KubernetesClient client;

    /** Tier 2 is what it says: the classes using RealApiServer talk to kube-apiserver, not to the mock. */
    @Test
    void theApiServerIsTheRealOne() {
        assertThat(client.getMasterUrl().getPort()).isEqualTo(25443);
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.34.4");
        assertThat(client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName("incidents.firebreak.dev")
                        .get())
                .as("the CRDs the operator applied at start")
                .isNotNull();
    }

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
