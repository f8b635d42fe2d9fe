package dev.firebreak.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.OnCallSchedule;
import dev.firebreak.api.v1alpha1.status.Action;
import dev.firebreak.api.v1alpha1.status.Channel;
import dev.firebreak.api.v1alpha1.status.EscalationStatus;
import dev.firebreak.api.v1alpha1.status.NotificationRecord;
import dev.firebreak.api.v1alpha1.status.NotificationResult;
import dev.firebreak.api.v1alpha1.status.TargetRef;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.incident.IncidentReconciler;
import dev.firebreak.testing.FaultSwitches;
import dev.firebreak.testing.HttpReceiver;
import dev.firebreak.testing.KubectlFirebreak;
import dev.firebreak.testing.RealApiServer;
import dev.firebreak.testing.SmtpServer;
import dev.firebreak.testing.Yaml;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Escalation on a real API server (tier 2) with real HTTP receivers and a real SMTP server: a Critical incident pages level 0
 * at once (PagerDuty + whoever is on call, by email), escalates to level 1 (Slack, which answers 500 then 200, and a
 * webhook that answers 400) when nobody acknowledges, stops on 'kubectl firebreak ack', sends resolves on resolution;
 * a restart between levels neither skips nor repeats one; no credential reaches status, Events or the log.
 */
@QuarkusTest
@WithTestResource(RealApiServer.class)
@QuarkusTestResource(value = SmtpServer.class, restrictToAnnotatedClass = false)
class EscalationOperatorTest {
    static final String NS = "paging";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String PD_KEY = "PDROUTINGKEYSECRET00000000000001";
    static final String SLACK_PATH = "/slack/T000/B000/SLACKHOOKSECRET42";
    static final String SIGNING_KEY = "WEBHOOKSIGNINGSECRET77";
    static HttpReceiver receiver;

    @Inject
    KubernetesClient client;

    @Inject
    FaultSwitches faults;

    @BeforeAll
    static void receivers() throws Exception {
        receiver = new HttpReceiver()
                .answer("/slack", 200, null, 500)
                .answer("/hook", 400, "{\"error\":\"unknown incident type\"}")
                .answer("/pd", 202, "{\"status\":\"success\",\"message\":\"Event processed\"}");
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    void setUp(String policyName, String level1Delay) {
        if (client.resources(EscalationPolicy.class)
                        .inNamespace(NS)
                        .withName(policyName)
                        .get()
                != null) {
            return;
        }
        if (client.namespaces().withName(NS).get() == null) {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(NS)
                            .endMetadata()
                            .build())
                    .create();
            client.secrets()
                    .inNamespace(NS)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("paging")
                            .endMetadata()
                            .withStringData(
                                    Map.of("pd", PD_KEY, "slack", receiver.url(SLACK_PATH), "hook", SIGNING_KEY))
                            .build())
                    .create();
            client.resources(OnCallSchedule.class)
                    .inNamespace(NS)
                    .resource(Yaml.read("""
                    apiVersion: firebreak.dev/v1alpha1
                    kind: OnCallSchedule
                    metadata: {name: primary}
                    spec:
                      timeZone: Europe/Berlin
                      layers:
                      - name: week
                        participants: [{name: ann, email: ann@example.com}]
                        start: "2026-01-05T08:00:00Z"
                    """, OnCallSchedule.class))
                    .create();
        }
        client.resources(EscalationPolicy.class)
                .inNamespace(NS)
                .resource(Yaml.read(
                        """
                apiVersion: firebreak.dev/v1alpha1
                kind: EscalationPolicy
                metadata: {name: %s}
                spec:
                  match: {selector: {matchLabels: {policy: %s}}}
                  levels:
                  - targets:
                    - pagerDuty: {routingKeySecretRef: {name: paging, key: pd}, url: "%s"}
                    - onCallSchedule: {name: primary}
                  - delay: %s
                    targets:
                    - slack: {webhookURLSecretRef: {name: paging, key: slack}, channel: "#payments"}
                    - webhook: {url: "%s", signingSecretRef: {name: paging, key: hook}}
                """.formatted(policyName, policyName, receiver.url("/pd"), level1Delay, receiver.url("/hook")),
                        EscalationPolicy.class))
                .create();
    }

    Incident incident(String name, String policy) {
        return Yaml.read("""
                apiVersion: firebreak.dev/v1alpha1
                kind: Incident
                metadata: {name: %s, labels: {policy: %s}}
                spec: {title: "Checkout returns 500s", severity: Critical}
                """.formatted(name, policy), Incident.class);
    }

    @Test
    void pagesEscalatesStopsOnAckAndResolvesEverywhere() throws Exception {
        setUp("payments", "3s");
        receiver.answer("/slack", 200, null, 500);
        Incident created = client.resources(Incident.class)
                .inNamespace(NS)
                .resource(incident("checkout", "payments"))
                .create();
        String uid = created.getMetadata().getUid();

        // Level 0 at once: PagerDuty trigger with the incident's UID as dedup key, and an email to ann.
        await().atMost(WAIT).until(() -> pd(uid, "trigger").size() == 1);
        JsonNode trigger = pd(uid, "trigger").get(0);
        assertThat(trigger.path("routing_key").asText()).isEqualTo(PD_KEY);
        assertThat(trigger.path("payload").path("severity").asText()).isEqualTo("critical");
        await().atMost(WAIT).until(() -> mailsTo("ann@example.com", "Trigger").size() == 1);
        IncidentStatus paged = awaitStatus("checkout", s -> s.escalation != null && s.escalation.level != null);
        assertThat(paged.escalation.policy).isEqualTo("payments");
        assertThat(paged.escalation.reason).startsWith("best match for severity Critical");
        assertThat(paged.timeline)
                .extracting(e -> e.message)
                .anyMatch(m -> m.startsWith("bound to escalation policy payments"));

        // Level 1 after its delay: Slack fails with 500 once and is retried; the webhook's 400 is final and blocks
        // nothing.
        IncidentStatus escalated = awaitStatus(
                "checkout",
                s -> record(s, "Slack", "Trigger", NotificationResult.Sent)
                        && record(s, "Webhook", "Trigger", NotificationResult.Failed));
        NotificationRecord slack = find(escalated.escalation, "Slack", "Trigger");
        assertThat(slack.attempts).isEqualTo(2);
        assertThat(slack.level).isEqualTo(1);
        NotificationRecord hook = find(escalated.escalation, "Webhook", "Trigger");
        assertThat(hook.attempts).isEqualTo(1);
        assertThat(hook.error).isEqualTo("Webhook answered HTTP 400: {\"error\":\"unknown incident type\"}");
        assertThat(Duration.between(escalated.detectedAt, find(escalated.escalation, "Slack", "Trigger").time))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        HttpReceiver.Request signed = receiver.requests("/hook").get(0);
        assertThat(signed.header("X-Firebreak-Signature"))
                .isEqualTo("v1="
                        + WebhookNotifier.sign(SIGNING_KEY, signed.header("X-Firebreak-Timestamp"), signed.body()));
        assertThat(escalated.timeline).extracting(e -> e.type).contains(TimelineType.Escalated, TimelineType.Notified);

        // Acknowledged: escalation stops, PagerDuty hears it.
        KubectlFirebreak.against(client, NS, "ack", "checkout", "--by", "alice");
        await().atMost(WAIT).until(() -> pd(uid, "acknowledge").size() == 1);
        IncidentStatus acked =
                awaitStatus("checkout", s -> s.escalation.nextEscalationAt == null && s.acknowledgedAt != null);
        assertThat(acked.escalation.level).isEqualTo(1);

        // Resolved: every destination that was notified gets a resolve; the refused webhook does not.
        KubectlFirebreak.against(client, NS, "resolve", "checkout", "--by", "alice", "--note", "rolled back");
        await().atMost(WAIT).until(() -> pd(uid, "resolve").size() == 1);
        IncidentStatus resolved = awaitStatus(
                "checkout",
                s -> record(s, "Slack", "Resolve", NotificationResult.Sent)
                        && record(s, "Email", "Resolve", NotificationResult.Sent));
        assertThat(resolved.escalation.notifications)
                .filteredOn(r -> r.channel == Channel.Webhook)
                .hasSize(1);
        assertThat(receiver.requests(SLACK_PATH)).hasSizeGreaterThanOrEqualTo(4); // 500, trigger, ack, resolve
        assertThat(mailsTo("ann@example.com", "Resolve")).hasSize(1);

        String metrics = RestAssured.get("/q/metrics").asString();
        // Attempts and notifications apart: Slack's 500 is an attempt retried, its three messages three notifications.
        assertThat(metrics)
                .containsPattern("firebreak_notification_attempts_total\\{channel=\"Slack\",outcome=\"retry\"} [1-9]");
        assertThat(metrics)
                .containsPattern(
                        "firebreak_notifications_total\\{channel=\"Slack\",result=\"sent\"} ([3-9]|[1-9][0-9]+)\\.");
        assertThat(metrics).doesNotContainPattern("firebreak_notifications_total\\{[^}]*result=\"retry\"");
        assertThat(metrics)
                .containsPattern("firebreak_notifications_total\\{channel=\"Webhook\",result=\"failed\"} [1-9]");
        assertThat(metrics).containsPattern("firebreak_escalations_total\\{level=\"1\"} [1-9]");

        // No credential in status, Events or the operator's log.
        String status = client.resources(Incident.class)
                        .inNamespace(NS)
                        .withName("checkout")
                        .get()
                        .getStatus()
                        .toString()
                + Serialization.asJson(resolved);
        String events =
                Serialization.asJson(client.v1().events().inNamespace(NS).list());
        String log = Files.exists(Path.of("target/quarkus-test.log"))
                ? Files.readString(Path.of("target/quarkus-test.log"))
                : "";
        assertThat(log).as("the test log exists and has the operator's lines").contains("firebreak");
        for (String secret : List.of(PD_KEY, "SLACKHOOKSECRET42", SIGNING_KEY)) {
            assertThat(status).doesNotContain(secret);
            assertThat(events).doesNotContain(secret);
            assertThat(log).doesNotContain(secret);
        }
    }

    @Test
    void aRestartBetweenLevelsNeitherSkipsNorRepeatsALevel() {
        setUp("payments", "3s");
        // The incident names a policy that does not exist yet, so this operator pages nobody for it...
        Incident created = client.resources(Incident.class)
                .inNamespace(NS)
                .resource(incident("restarted", "restart"))
                .create();
        awaitStatus("restarted", s -> s.escalation != null && s.escalation.reason != null);
        // ...then, while this operator does not escalate it (as if it were stopped), the policy appears and the status
        // says what a previous operator did before it stopped: level 0 fired and was delivered a minute ago, level 1
        // is overdue.
        faults.fail(IncidentReconciler.ESCALATION, "restarted");
        setUp("restart", "2s");
        Instant firedAt = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        EscalationStatus before = new EscalationStatus();
        before.policy = "restart";
        before.reason = "best match for severity Critical and the incident's labels";
        before.level = 0;
        before.repetition = 0;
        before.startedAt = firedAt;
        before.nextEscalationAt = firedAt.plusSeconds(2);
        NotificationRecord pd = new NotificationRecord();
        pd.id = 0;
        pd.level = 0;
        pd.channel = Channel.PagerDuty;
        pd.target = "pagerDuty levels[0].targets[0]";
        pd.targetRef = new TargetRef(0, 0);
        pd.action = Action.Trigger;
        pd.attempts = 1;
        pd.result = NotificationResult.Sent;
        pd.time = firedAt;
        before.notifications.add(pd);
        receiver.answer("/slack", 200, null);
        int slackBefore = receiver.requests(SLACK_PATH).size();
        // The operator writes the Degraded condition meanwhile: retry on its conflicts.
        await().atMost(WAIT)
                .ignoreExceptionsInstanceOf(KubernetesClientException.class)
                .until(() -> client.resources(Incident.class)
                                .inNamespace(NS)
                                .withName("restarted")
                                .editStatus(i -> {
                                    i.getStatus().escalation = before;
                                    return i;
                                })
                        != null);
        faults.clear(IncidentReconciler.ESCALATION, "restarted");

        IncidentStatus after = awaitStatus("restarted", s -> record(s, "Slack", "Trigger", NotificationResult.Sent));
        assertThat(after.escalation.level).isEqualTo(1);
        assertThat(after.escalation.notifications)
                .filteredOn(r -> r.action == Action.Trigger)
                .extracting(r -> r.level + " " + r.channel)
                .containsExactly("0 PagerDuty", "1 Slack", "1 Webhook");
        assertThat(pd(created.getMetadata().getUid(), "trigger"))
                .as("level 0 is not paged again")
                .isEmpty();
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> receiver.requests(SLACK_PATH).size() - slackBefore == 1);
    }

    // --- helpers ------------------------------------------------------------------------------------------

    List<JsonNode> pd(String uid, String action) {
        return receiver.requests("/pd/v2/enqueue").stream()
                .map(r -> {
                    try {
                        return HttpChannel.JSON.readTree(r.body());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .filter(j -> uid.equals(j.path("dedup_key").asText())
                        && action.equals(j.path("event_action").asText()))
                .toList();
    }

    static List<MimeMessage> mailsTo(String address, String action) throws Exception {
        return Arrays.stream(SmtpServer.mail().getReceivedMessages())
                .filter(m -> {
                    try {
                        return m.getAllRecipients()[0].toString().equals(address)
                                && m.getSubject().contains(action + ":");
                    } catch (Exception e) {
                        return false;
                    }
                })
                .toList();
    }

    static boolean record(IncidentStatus s, String channel, String action, NotificationResult result) {
        return s.escalation != null
                && s.escalation.notifications.stream()
                        .anyMatch(r -> channel.equals(String.valueOf(r.channel))
                                && action.equals(String.valueOf(r.action))
                                && r.result == result);
    }

    static NotificationRecord find(EscalationStatus s, String channel, String action) {
        return s.notifications.stream()
                .filter(r -> channel.equals(String.valueOf(r.channel)) && action.equals(String.valueOf(r.action)))
                .findFirst()
                .orElseThrow();
    }

    IncidentStatus awaitStatus(String name, Predicate<IncidentStatus> condition) {
        try {
            return await().atMost(WAIT).until(() -> status(name), s -> s != null && condition.test(s));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "incident " + name + " never got there; its status: " + Serialization.asJson(status(name)), e);
        }
    }

    IncidentStatus status(String name) {
        Incident i =
                client.resources(Incident.class).inNamespace(NS).withName(name).get();
        return i == null ? null : i.getStatus();
    }
}
