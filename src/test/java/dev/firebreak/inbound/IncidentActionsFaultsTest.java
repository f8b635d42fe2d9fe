package dev.firebreak.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.inbound.OutsideAction.Kind;
import dev.firebreak.inbound.OutsideAction.Tool;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The inbound write under API faults a real server cannot be made to give on demand: a conflict (someone wrote
 * first), a conflict that never ends, a 5xx, an invalid object. Asserts what is answered and every request made.
 */
class IncidentActionsFaultsTest {
    static final String PATH = "/apis/firebreak.dev/v1alpha1/namespaces/shop/incidents/checkout";
    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(false);
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    static Incident incident(String resourceVersion, String acknowledgedBy) {
        Incident i = new Incident();
        i.setMetadata(new ObjectMetaBuilder()
                .withName("checkout")
                .withNamespace("shop")
                .withUid("uid-1")
                .withResourceVersion(resourceVersion)
                .build());
        i.setSpec(new IncidentSpec());
        i.getSpec().title = "Checkout returns 500s";
        i.getSpec().acknowledgedBy = acknowledgedBy;
        i.setStatus(new IncidentStatus());
        i.getStatus().phase = acknowledgedBy == null ? Phase.Triggered : Phase.Acknowledged;
        return i;
    }

    IncidentActions actions(Incident cached) {
        return new IncidentActions(client, (ns, uid) -> Optional.of(cached), Clock.systemUTC());
    }

    static OutsideAction ack(String by) {
        return new OutsideAction(Kind.ACKNOWLEDGE, Tool.PagerDuty, "uid-1", by, null, null);
    }

    List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

    static Object status(int code, String reason) {
        return new StatusBuilder()
                .withCode(code)
                .withReason(reason)
                .withMessage(reason)
                .build();
    }

    @Test
    void aConflictIsDecidedAgainOnAFreshReadAndTheFirstAcknowledgementStands() throws Exception {
        server.expect()
                .patch()
                .withPath(PATH)
                .andReturn(409, status(409, "Conflict"))
                .once();
        // Meanwhile alice acknowledged with kubectl: the fresh read says so, and nothing more is written.
        server.expect()
                .get()
                .withPath(PATH)
                .andReturn(200, incident("8", "alice"))
                .once();
        IncidentActions.Applied applied = actions(incident("7", null)).apply("shop", ack("Jane via PagerDuty"));
        assertThat(applied.changed()).isFalse();
        assertThat(applied.outcome()).startsWith("already acknowledged by alice");
        List<RecordedRequest> requests = requests();
        assertThat(requests).extracting(RecordedRequest::getMethod).containsExactly("PATCH", "GET");
        assertThat(requests.get(0).getBody().readUtf8())
                .contains("{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"7\"}")
                .contains("{\"op\":\"add\",\"path\":\"/spec/acknowledgedBy\",\"value\":\"Jane via PagerDuty\"}");
    }

    @Test
    void anActionTheIncidentAlreadyShowsMakesNoRequestAtAll() throws Exception {
        // Echoes and replays are decided on the cached incident: the API server hears nothing of them.
        IncidentActions actions = actions(incident("7", "alice"));
        for (int i = 0; i < 100; i++) {
            assertThat(actions.apply("shop", ack("Firebreak via PagerDuty")).changed())
                    .isFalse();
        }
        assertThat(requests()).isEmpty();
    }

    @Test
    void aConflictThenSuccessWritesOnceMore() throws Exception {
        server.expect()
                .patch()
                .withPath(PATH)
                .andReturn(409, status(409, "Conflict"))
                .once();
        server.expect().get().withPath(PATH).andReturn(200, incident("8", null)).once();
        server.expect()
                .patch()
                .withPath(PATH)
                .andReturn(200, incident("9", "Jane via PagerDuty"))
                .once();
        IncidentActions.Applied applied = actions(incident("7", null)).apply("shop", ack("Jane via PagerDuty"));
        assertThat(applied.changed()).isTrue();
        List<RecordedRequest> requests = requests();
        assertThat(requests).extracting(RecordedRequest::getMethod).containsExactly("PATCH", "GET", "PATCH");
        assertThat(requests.get(2).getBody().readUtf8()).contains("\"value\":\"8\"");
    }

    @Test
    void conflictsWithoutEndGiveUpAfterThreeWritesAndAskForARetry() throws Exception {
        server.expect()
                .patch()
                .withPath(PATH)
                .andReturn(409, status(409, "Conflict"))
                .always();
        server.expect().get().withPath(PATH).andReturn(200, incident("8", null)).always();
        assertThatThrownBy(() -> actions(incident("7", null)).apply("shop", ack("Jane")))
                .isInstanceOf(IncidentActions.NotNow.class);
        assertThat(requests())
                .extracting(RecordedRequest::getMethod)
                .containsExactly("PATCH", "GET", "PATCH", "GET", "PATCH");
    }

    @Test
    void anUnavailableApiServerAsksForARetryAndAnInvalidChangeIsRefusedForGood() throws Exception {
        server.expect()
                .patch()
                .withPath(PATH)
                .andReturn(503, status(503, "ServiceUnavailable"))
                .once();
        assertThatThrownBy(() -> actions(incident("7", null)).apply("shop", ack("Jane")))
                .isInstanceOf(IncidentActions.NotNow.class);
        server.expect()
                .patch()
                .withPath(PATH)
                .andReturn(422, status(422, "Invalid"))
                .once();
        assertThatThrownBy(() -> actions(incident("7", null)).apply("shop", ack("Jane")))
                .isInstanceOf(IncidentActions.Refused.class);
        assertThat(requests()).extracting(RecordedRequest::getMethod).containsExactly("PATCH", "PATCH");
    }

    @Test
    void theIncidentGoneMeanwhileChangesNothing() throws Exception {
        server.expect()
                .patch()
                .withPath(PATH)
                .andReturn(404, status(404, "NotFound"))
                .once();
        server.expect()
                .get()
                .withPath(PATH)
                .andReturn(404, status(404, "NotFound"))
                .once();
        IncidentActions.Applied applied = actions(incident("7", null)).apply("shop", ack("Jane"));
        assertThat(applied.changed()).isFalse();
        assertThat(applied.outcome()).startsWith("no incident here has this key");
    }
}
