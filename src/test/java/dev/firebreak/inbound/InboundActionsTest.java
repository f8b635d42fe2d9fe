package dev.firebreak.inbound;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.OnCallSchedule;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.notify.HttpChannel;
import dev.firebreak.secrets.Hmac;
import dev.firebreak.testing.HttpReceiver;
import dev.firebreak.testing.RealApiServer;
import dev.firebreak.testing.SmtpServer;
import dev.firebreak.testing.Yaml;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Incidents driven from the outside, on a real API server (tier 2), with local stand-ins speaking each vendor's wire
 * format: page → acknowledge in PagerDuty → escalation stops and Slack shows who → resolve from a Slack button →
 * the incident is resolved → PagerDuty resolved; the same through Opsgenie's outgoing webhook; and every inbound
 * endpoint against forged, replayed, echoed and malformed requests, asserting the answer and that nothing was written.
 */
@QuarkusTest
@WithTestResource(RealApiServer.class)
@QuarkusTestResource(value = SmtpServer.class, restrictToAnnotatedClass = false)
class InboundActionsTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String PD_OLD = "whsec_old_subscription_secret";
    static final String PD_NEW = "whsec_new_subscription_secret";
    static final String SLACK_SIGNING = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String OG_SECRET = "opsgenie-shared-header-value";
    static final String SLACK_PATH = "/slack/T000/B000/INBOUNDHOOK";
    static HttpReceiver receiver;
    static String ns;

    @Inject
    KubernetesClient client;

    @BeforeAll
    static void receivers() throws Exception {
        receiver = new HttpReceiver()
                .answer("/pd", 202, "{\"status\":\"success\",\"message\":\"Event processed\"}")
                .answer("/og", 202, "{\"result\":\"Request will be processed\",\"requestId\":\"r-1\"}");
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    /** The namespace once, and a policy per test, each with its own Slack destination (no digest across tests). */
    void setUp(String policy) {
        if (ns == null) {
            namespace();
        }
        if (client.resources(EscalationPolicy.class)
                        .inNamespace(ns)
                        .withName(policy)
                        .get()
                == null) {
            policy(policy);
        }
    }

    void namespace() {
        ns = RealApiServer.freshNamespace(client, "inbound");
        client.secrets()
                .inNamespace(ns)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("paging")
                        .endMetadata()
                        .withStringData(Map.of(
                                "pd",
                                "PDROUTINGKEYSECRET00000000000001",
                                // Two while the subscription's secret is rotated, as written with 'echo'.
                                "pd-webhook",
                                PD_OLD + "\n" + PD_NEW + "\n",
                                "slack-checkout",
                                receiver.url(SLACK_PATH + "/checkout"),
                                "slack-cart",
                                receiver.url(SLACK_PATH + "/cart"),
                                "slack-forged",
                                receiver.url(SLACK_PATH + "/forged"),
                                "slack-signing",
                                SLACK_SIGNING,
                                "og",
                                "opsgenie-api-key",
                                "og-webhook",
                                OG_SECRET))
                        .build())
                .create();
        client.resources(OnCallSchedule.class)
                .inNamespace(ns)
                .resource(Yaml.read("""
                    apiVersion: firebreak.dev/v1alpha1
                    kind: OnCallSchedule
                    metadata: {name: primary}
                    spec:
                      timeZone: Europe/Berlin
                      layers:
                      - name: week
                        participants: [{name: Ann Example, email: ann.example@inbound.example, slackUserId: U024BE7LH}]
                        start: "2026-01-05T08:00:00Z"
                    """, OnCallSchedule.class))
                .create();
    }

    void policy(String name) {
        client.resources(EscalationPolicy.class)
                .inNamespace(ns)
                .resource(Yaml.read(
                        """
                apiVersion: firebreak.dev/v1alpha1
                kind: EscalationPolicy
                metadata: {name: %s}
                spec:
                  match: {selector: {matchLabels: {policy: %s}}}
                  levels:
                  - targets:
                    - pagerDuty:
                        routingKeySecretRef: {name: paging, key: pd}
                        url: "%s"
                        webhookSecretRef: {name: paging, key: pd-webhook}
                    - opsgenie:
                        apiKeySecretRef: {name: paging, key: og}
                        url: "%s"
                        webhookSecretRef: {name: paging, key: og-webhook}
                    - slack:
                        webhookURLSecretRef: {name: paging, key: slack-%s}
                        signingSecretRef: {name: paging, key: slack-signing}
                    - onCallSchedule: {name: primary}
                  - delay: 4s
                    targets:
                    - webhook: {url: "%s"}
                """.formatted(
                                        name,
                                        name,
                                        receiver.url("/pd"),
                                        receiver.url("/og"),
                                        name,
                                        receiver.url("/level1/" + name)),
                        EscalationPolicy.class))
                .create();
        await().atMost(WAIT).untilAsserted(() -> {
            EscalationPolicy p = client.resources(EscalationPolicy.class)
                    .inNamespace(ns)
                    .withName(name)
                    .get();
            assertThat(p.getStatus()).isNotNull();
            assertThat(p.getStatus().conditions)
                    .anySatisfy(c -> assertThat(c.type + "=" + c.status).isEqualTo("Ready=True"));
        });
    }

    /** An incident bound to the policy of the same name. */
    Incident open(String name) {
        setUp(name);
        return client.resources(Incident.class)
                .inNamespace(ns)
                .resource(Yaml.read("""
                apiVersion: firebreak.dev/v1alpha1
                kind: Incident
                metadata: {name: %s, labels: {policy: %s}}
                spec: {title: "Checkout returns 500s", severity: Critical}
                """.formatted(name, name), Incident.class))
                .create();
    }

    Incident get(String name) {
        return client.resources(Incident.class).inNamespace(ns).withName(name).get();
    }

    static List<JsonNode> pd(String uid, String action) {
        return receiver.requests("/pd").stream()
                .map(r -> read(r.body()))
                .filter(b -> b.path("dedup_key").asText().equals(uid)
                        && b.path("event_action").asText().equals(action))
                .toList();
    }

    static JsonNode read(String body) {
        try {
            return HttpChannel.JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    static String pdEvent(String type, String uid, String agentType, String agentName, Instant at) {
        return """
                {"event":{"id":"01EVENT%s","event_type":"%s","resource_type":"incident","occurred_at":"%s",
                "agent":{"html_url":"https://acme.pagerduty.com/users/PLH1HKV","id":"PLH1HKV","self":"https://api.pagerduty.com/users/PLH1HKV","summary":"%s","type":"%s"},
                "client":null,
                "data":{"id":"PGR0VU2","type":"incident","number":2,"status":"acknowledged","incident_key":"%s","title":"Checkout returns 500s",
                "html_url":"https://acme.pagerduty.com/incidents/PGR0VU2","service":{"id":"PF9KMXH","type":"service_reference"}}}}
                """.formatted(Long.toString(System.nanoTime(), 36), type, at, agentName, agentType, uid);
    }

    Response postPd(String body, String signature, String webhookId, String policy) {
        var request = given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8));
        if (signature != null) {
            request.header("X-PagerDuty-Signature", signature);
        }
        if (webhookId != null) {
            request.header("X-Webhook-Id", webhookId);
        }
        return request.post("/api/v1/inbound/pagerduty/" + ns + "/" + policy);
    }

    static String pdSign(String body, String... secrets) {
        StringBuilder header = new StringBuilder();
        for (String s : secrets) {
            header.append(header.length() == 0 ? "" : ",")
                    .append("v1=")
                    .append(Hmac.sha256Hex(s.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8)));
        }
        return header.toString();
    }

    static String slackClick(String actionId, String uid, String userId, String responsePath) {
        String payload = """
                {"type":"block_actions","user":{"id":"%s","username":"ann.e","name":"ann.e","team_id":"T000"},
                "api_app_id":"A000","container":{"type":"message","message_ts":"1548261231.000200","channel_id":"C000"},
                "channel":{"id":"C000","name":"payments"},"response_url":"%s",
                "message":{"type":"message","text":"Critical: Checkout returns 500s","blocks":[
                  {"type":"header","block_id":"h","text":{"type":"plain_text","text":"Critical: Checkout returns 500s"}},
                  {"type":"actions","block_id":"firebreak_buttons","elements":[]}]},
                "actions":[{"action_id":"%s","block_id":"firebreak_buttons","value":"%s","type":"button","action_ts":"%s.000100"}]}
                """.formatted(
                userId, receiver.url(responsePath), actionId, uid, Instant.now().getEpochSecond());
        return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
    }

    Response postSlack(String policy, String form, String secret, long timestamp) {
        String ts = Long.toString(timestamp);
        String signature = "v0="
                + Hmac.sha256Hex(
                        secret.getBytes(StandardCharsets.UTF_8),
                        ("v0:" + ts + ":" + form).getBytes(StandardCharsets.UTF_8));
        return given().config(RestAssured.config()
                        .encoderConfig(EncoderConfig.encoderConfig()
                                .encodeContentTypeAs("application/x-www-form-urlencoded", ContentType.TEXT)))
                .contentType("application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", signature)
                .body(form.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/inbound/slack/" + ns + "/" + policy);
    }

    Response postOpsgenie(
            String policy,
            String action,
            String alias,
            String username,
            String sourceType,
            String note,
            String secret) {
        String body = """
                {"action":"%s","alert":{"alertId":"a-1","alias":"%s","tinyId":"7","message":"Checkout returns 500s",
                "username":"%s","userId":"u-1","source":"Firebreak","entity":"x","tags":["firebreak"],"teams":[],
                "createdAt":1733130000000,"updatedAt":%d%s},
                "source":{"name":"","type":"%s"},"integrationId":"i-1","integrationName":"Firebreak back"}
                """.formatted(
                        action,
                        alias,
                        username,
                        Instant.now().toEpochMilli() * 1_000_000L,
                        note == null ? "" : ",\"note\":\"" + note + "\"",
                        sourceType);
        var request = given().contentType("application/json").body(body);
        if (secret != null) {
            request.header("X-Firebreak-Webhook-Secret", secret);
        }
        return request.post("/api/v1/inbound/opsgenie/" + ns + "/" + policy);
    }

    @Test
    void acknowledgedInPagerDutyStopsEscalationAndResolvedFromASlackButtonResolvesEverywhere() {
        Incident created = open("checkout");
        String uid = created.getMetadata().getUid();
        await().atMost(WAIT).until(() -> pd(uid, "trigger").size() == 1);
        // The Slack message carries the buttons, valued with the incident's UID.
        await().atMost(WAIT)
                .until(() -> !receiver.bodies(SLACK_PATH + "/checkout", "firebreak_acknowledge", uid)
                        .isEmpty());

        String ack = pdEvent("incident.acknowledged", uid, "user_reference", "Jane Doe", Instant.now());
        Response answer = postPd(ack, pdSign(ack, "whsec_not_yet_rotated_in", PD_NEW), "wh-ack-1", "checkout");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.jsonPath().getBoolean("changed")).isTrue();
        assertThat(answer.jsonPath().getString("incident")).isEqualTo(ns + "/checkout");
        assertThat(get("checkout").getSpec().acknowledgedBy).isEqualTo("Jane Doe via PagerDuty");

        // Escalation stops: level 1 (after 4 s) never fires; Slack says who acknowledged.
        await().atMost(WAIT).until(() -> {
            Incident i = get("checkout");
            return i.getStatus().phase == Phase.Acknowledged && i.getStatus().escalation.nextEscalationAt == null;
        });
        await().atMost(WAIT)
                .until(() -> !receiver.bodies(SLACK_PATH + "/checkout", "Acknowledged by Jane Doe via PagerDuty")
                        .isEmpty());
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(8))
                .until(() -> receiver.requests("/level1/checkout").isEmpty());
        assertThat(get("checkout").getStatus().escalation.level).isZero();

        // Firebreak tells PagerDuty; PagerDuty's echo (done by the integration), a replay of the same webhook, and a
        // second person's acknowledgement change nothing and write nothing.
        await().atMost(WAIT).until(() -> pd(uid, "acknowledge").size() == 1);
        Long version = get("checkout").getMetadata().getGeneration();
        String echo = pdEvent("incident.acknowledged", uid, "service_reference", "Firebreak events", Instant.now());
        assertThat(postPd(echo, pdSign(echo, PD_OLD), "wh-echo", "checkout")
                        .jsonPath()
                        .getBoolean("changed"))
                .isFalse();
        Response replay = postPd(ack, pdSign(ack, PD_NEW), "wh-ack-1", "checkout");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.jsonPath().getString("outcome")).contains("already handled");
        String other = pdEvent("incident.acknowledged", uid, "user_reference", "Bob", Instant.now());
        Response second = postPd(other, pdSign(other, PD_OLD), "wh-ack-2", "checkout");
        assertThat(second.jsonPath().getString("outcome")).startsWith("already acknowledged by Jane Doe via PagerDuty");
        assertThat(get("checkout").getMetadata().getGeneration()).isEqualTo(version);
        assertThat(pd(uid, "acknowledge")).hasSize(1);

        // Resolve from the Slack button, clicked by a person Firebreak knows by Slack member ID.
        Response click = postSlack(
                "checkout",
                slackClick("firebreak_resolve", uid, "U024BE7LH", "/slack-response/1"),
                SLACK_SIGNING,
                Instant.now().getEpochSecond());
        assertThat(click.statusCode()).isEqualTo(200);
        assertThat(click.jsonPath().getString("outcome")).isEqualTo("resolved by Ann Example");
        assertThat(get("checkout").getSpec().resolution.by).isEqualTo("Ann Example");
        assertThat(get("checkout").getSpec().resolution.note).isEqualTo("resolved in Slack");
        await().atMost(WAIT).until(() -> get("checkout").getStatus().phase == Phase.Resolved);
        await().atMost(WAIT).until(() -> pd(uid, "resolve").size() == 1);
        // The clicked message is replaced in place: the outcome, no buttons left.
        await().atMost(WAIT).until(() -> !receiver.requests("/slack-response/1").isEmpty());
        JsonNode replaced = read(receiver.requests("/slack-response/1").get(0).body());
        assertThat(replaced.path("replace_original").asBoolean()).isTrue();
        assertThat(replaced.toString()).contains("resolved by Ann Example").doesNotContain("firebreak_buttons");

        // PagerDuty reports Firebreak's resolve back: nothing.
        Long version2 = get("checkout").getMetadata().getGeneration();
        String resolvedEcho = pdEvent("incident.resolved", uid, "user_reference", "Jane Doe", Instant.now());
        assertThat(postPd(resolvedEcho, pdSign(resolvedEcho, PD_NEW), "wh-res", "checkout")
                        .jsonPath()
                        .getString("outcome"))
                .startsWith("already resolved");
        assertThat(get("checkout").getMetadata().getGeneration()).isEqualTo(version2);
        assertThat(pd(uid, "resolve")).hasSize(1);
    }

    @Test
    void opsgenieAcknowledgesAddsAnUpdateWithdrawsAndClosesWithoutEchoes() {
        Incident created = open("cart");
        String uid = created.getMetadata().getUid();
        await().atMost(WAIT).until(() -> receiver.bodies("/og", uid).size() >= 1);

        Response ack = postOpsgenie("cart", "Acknowledge", uid, "ann.example@inbound.example", "web", null, OG_SECRET);
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(get("cart").getSpec().acknowledgedBy).isEqualTo("Ann Example");

        Response note = postOpsgenie(
                "cart", "AddNote", uid, "bob@example.com", "mobile", "Rolling back v2.3.1, ETA 10 minutes", OG_SECRET);
        assertThat(note.jsonPath().getBoolean("changed")).isTrue();
        assertThat(get("cart").getSpec().updates).singleElement().satisfies(u -> {
            assertThat(u.message).isEqualTo("Rolling back v2.3.1, ETA 10 minutes");
            assertThat(u.author).isEqualTo("bob@example.com via Opsgenie");
        });
        // Firebreak sends the update to Opsgenie as a note; Opsgenie reports it back twice (through the API, and as
        // if typed): neither adds a second update.
        await().atMost(WAIT)
                .until(() -> !receiver.bodies("/og", "Rolling back v2.3.1").isEmpty());
        Long version = get("cart").getMetadata().getGeneration();
        assertThat(postOpsgenie(
                                "cart",
                                "AddNote",
                                uid,
                                "System",
                                "API",
                                "Rolling back v2.3.1, ETA 10 minutes",
                                OG_SECRET)
                        .jsonPath()
                        .getBoolean("changed"))
                .isFalse();
        assertThat(postOpsgenie(
                                "cart",
                                "AddNote",
                                uid,
                                "bob@example.com",
                                "web",
                                "Update: Rolling back v2.3.1, ETA 10 minutes",
                                OG_SECRET)
                        .jsonPath()
                        .getBoolean("changed"))
                .isFalse();
        assertThat(get("cart").getMetadata().getGeneration()).isEqualTo(version);

        assertThat(postOpsgenie("cart", "UnAcknowledge", uid, "ann.example@inbound.example", "web", null, OG_SECRET)
                        .jsonPath()
                        .getBoolean("changed"))
                .isTrue();
        assertThat(get("cart").getSpec().acknowledgedBy).isNull();
        assertThat(postOpsgenie("cart", "Close", uid, "ann.example@inbound.example", "web", null, OG_SECRET)
                        .statusCode())
                .isEqualTo(200);
        assertThat(get("cart").getSpec().resolution.by).isEqualTo("Ann Example");
        await().atMost(WAIT).until(() -> get("cart").getStatus().phase == Phase.Resolved);
    }

    @Test
    void forgedMalformedAndUnknownRequestsAreAnsweredAndChangeNothing() {
        Incident created = open("forged");
        String uid = created.getMetadata().getUid();
        await().atMost(WAIT).until(() -> pd(uid, "trigger").size() == 1);
        Long version = get("forged").getMetadata().getGeneration();
        String ack = pdEvent("incident.acknowledged", uid, "user_reference", "Mallory", Instant.now());

        // Not authenticated: 401, whatever is wrong (and an unknown policy answers the same).
        assertThat(postPd(ack, null, "f1", "forged").statusCode()).isEqualTo(401);
        assertThat(postPd(ack, pdSign(ack, "whsec_guess"), "f2", "forged").statusCode())
                .isEqualTo(401);
        assertThat(postPd(ack, pdSign(ack.replace("Mallory", "Jane"), PD_OLD), "f3", "forged")
                        .statusCode())
                .as("signature of another body")
                .isEqualTo(401);
        assertThat(postPd(ack, pdSign(ack, PD_OLD), "f4", "no-such-policy").statusCode())
                .isEqualTo(401);
        assertThat(postOpsgenie("forged", "Acknowledge", uid, "m@example.com", "web", null, null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(postOpsgenie("forged", "Acknowledge", uid, "m@example.com", "web", null, OG_SECRET + "x")
                        .statusCode())
                .isEqualTo(401);
        String click = slackClick("firebreak_acknowledge", uid, "U999", "/slack-response/forged");
        assertThat(postSlack(
                                "forged",
                                click,
                                "wrong-signing-secret",
                                Instant.now().getEpochSecond())
                        .statusCode())
                .isEqualTo(401);
        Response stale = postSlack(
                "forged", click, SLACK_SIGNING, Instant.now().minusSeconds(301).getEpochSecond());
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(stale.jsonPath().getString("field")).isEqualTo("X-Slack-Request-Timestamp");

        // Malformed but authentic: 400 naming the field.
        String notJson = "{\"event\":";
        Response bad = postPd(notJson, pdSign(notJson, PD_OLD), "f5", "forged");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.jsonPath().getString("field")).isEqualTo("body");
        String noEvent = "{\"messages\":[]}";
        assertThat(postPd(noEvent, pdSign(noEvent, PD_OLD), "f6", "forged")
                        .jsonPath()
                        .getString("field"))
                .isEqualTo("event");
        String badTime = ack.replaceFirst("\"occurred_at\":\"[^\"]+\"", "\"occurred_at\":\"yesterday\"");
        assertThat(postPd(badTime, pdSign(badTime, PD_OLD), "f7", "forged")
                        .jsonPath()
                        .getString("field"))
                .isEqualTo("event.occurred_at");
        String numberType = ack.replace("\"event_type\":\"incident.acknowledged\"", "\"event_type\":42");
        assertThat(postPd(numberType, pdSign(numberType, PD_OLD), "f8", "forged")
                        .jsonPath()
                        .getString("field"))
                .isEqualTo("event.event_type");
        Response noPayload = postSlack(
                "forged", "token=x&team_id=T1", SLACK_SIGNING, Instant.now().getEpochSecond());
        assertThat(noPayload.statusCode()).isEqualTo(400);
        assertThat(noPayload.jsonPath().getString("field")).isEqualTo("payload");
        String huge = "{\"event\":{\"pad\":\"" + "x".repeat(300 * 1024) + "\"}}";
        assertThat(postPd(huge, pdSign(huge, PD_OLD), "f9", "forged").statusCode())
                .isEqualTo(413);

        // Authentic, about nothing Firebreak knows: 2xx, nothing changed.
        String unknown =
                pdEvent("incident.acknowledged", "not-a-firebreak-key", "user_reference", "Jane", Instant.now());
        Response u = postPd(unknown, pdSign(unknown, PD_OLD), "f10", "forged");
        assertThat(u.statusCode()).isEqualTo(200);
        assertThat(u.jsonPath().getString("outcome")).startsWith("no incident here has this key");
        String ping =
                "{\"event\":{\"id\":\"p\",\"event_type\":\"pagey.ping\",\"resource_type\":\"pagey\",\"agent\":null,\"data\":{\"message\":\"Hello from your friend Pagey!\",\"type\":\"ping\"}}}";
        assertThat(postPd(ping, pdSign(ping, PD_OLD), "f11", "forged").statusCode())
                .isEqualTo(200);
        assertThat(postOpsgenie("forged", "AssignOwnership", uid, "m@example.com", "web", null, OG_SECRET)
                        .statusCode())
                .isEqualTo(200);

        // More malformed but authentic bodies, each naming its field.
        Response noAlert = given().contentType("application/json")
                .header("X-Firebreak-Webhook-Secret", OG_SECRET)
                .body("{\"action\":\"Acknowledge\"}")
                .post("/api/v1/inbound/opsgenie/" + ns + "/forged");
        assertThat(noAlert.statusCode()).isEqualTo(400);
        assertThat(noAlert.jsonPath().getString("field")).isEqualTo("alert");
        String badActions = "payload="
                + URLEncoder.encode(
                        "{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"actions\":\"acknowledge\"}",
                        StandardCharsets.UTF_8);
        Response actions =
                postSlack("forged", badActions, SLACK_SIGNING, Instant.now().getEpochSecond());
        assertThat(actions.statusCode()).isEqualTo(400);
        assertThat(actions.jsonPath().getString("field")).isEqualTo("actions");
        String badEncoding = "payload=%ZZ%7B";
        assertThat(postSlack("forged", badEncoding, SLACK_SIGNING, Instant.now().getEpochSecond())
                        .jsonPath()
                        .getString("field"))
                .isEqualTo("payload");
        // A click on someone else's button, or on a button whose value was altered: the value is only a key, and an
        // unknown one changes nothing.
        String altered = slackClick("firebreak_acknowledge", uid + "-x", "U999", "/slack-response/forged");
        assertThat(postSlack("forged", altered, SLACK_SIGNING, Instant.now().getEpochSecond())
                        .jsonPath()
                        .getString("outcome"))
                .startsWith("no incident here has this key");

        assertThat(get("forged").getMetadata().getGeneration()).isEqualTo(version);
        assertThat(get("forged").getSpec().acknowledgedBy).isNull();
        assertThat(receiver.requests("/slack-response/forged")).isEmpty();
    }
}
