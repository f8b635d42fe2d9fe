package dev.firebreak.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firebreak.api.v1alpha1.Impact;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.Urgency;
import dev.firebreak.api.v1alpha1.spec.OpsgenieTarget;
import dev.firebreak.api.v1alpha1.spec.ServiceNowTarget;
import dev.firebreak.api.v1alpha1.status.Action;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.testing.Golden;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact bytes each channel receives, against golden files in src/test/resources/notify (review a change there
 * like code). {@code -Dgolden.update=true} rewrites them.
 */
class PayloadsTest {
    static Message message(Action action, boolean drill) {
        return new Message(
                action,
                drill,
                "shop",
                "checkout-errors",
                "5f1c2a8e-0000-4000-8000-000000000001",
                "Checkout returns 500s",
                "Error rate 23% on checkout",
                Severity.Critical,
                Impact.AllUsers,
                Urgency.Immediate,
                "AllUsers x Immediate: 3 of 3 replicas unavailable",
                Phase.Triggered,
                List.of("Deployment checkout"),
                List.of(
                        new Message.Link("Runbook", "https://runbooks.example.com/checkout"),
                        new Message.Link("Alert source", "http://prometheus:9090/graph?g0.expr=rate&x=1")),
                action == Action.Acknowledge ? "alice" : null,
                switch (action) {
                    case Trigger -> "Error rate 23% on checkout";
                    case Acknowledge -> "Acknowledged by alice.";
                    case Update -> "Rolled back to 1.4.1; error rate falling (ETA 15m) — bob";
                    case Resolve -> "Resolved after 42m: bad release rolled back";
                },
                action == Action.Trigger ? 0 : null,
                null,
                Instant.parse("2026-11-24T03:00:00Z"),
                "Alertmanager",
                List.of());
    }

    static OpsgenieTarget opsgenie() {
        OpsgenieTarget t = new OpsgenieTarget();
        t.teams = List.of("payments");
        return t;
    }

    static ServiceNowTarget serviceNow() {
        ServiceNowTarget t = new ServiceNowTarget();
        t.instanceURL = "https://example.service-now.com";
        t.assignmentGroup = "Payments SRE";
        t.callerId = "firebreak";
        return t;
    }

    static Stream<Arguments> payloads() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Action action : Action.values()) {
            String a = action.name().toLowerCase();
            cases.add(Arguments.of("slack-" + a, (Function<Message, JsonNode>) SlackNotifier::payload, action));
            cases.add(Arguments.of("teams-" + a, (Function<Message, JsonNode>) TeamsNotifier::payload, action));
            cases.add(Arguments.of(
                    "pagerduty-" + a,
                    (Function<Message, JsonNode>) m -> PagerDutyNotifier.payload(m, "R0UT1NGKEY0000000000000000000000"),
                    action));
            cases.add(Arguments.of(
                    "opsgenie-" + a,
                    (Function<Message, JsonNode>) m -> OpsgenieNotifier.payload(m, opsgenie()),
                    action));
            cases.add(Arguments.of(
                    "servicenow-" + a,
                    (Function<Message, JsonNode>) m -> ServiceNowNotifier.payload(m, serviceNow()),
                    action));
            cases.add(Arguments.of("webhook-" + a, (Function<Message, JsonNode>) WebhookNotifier::payload, action));
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void exactJson(String name, Function<Message, JsonNode> payload, Action action) throws IOException {
        golden(
                name + ".json",
                HttpChannel.JSON
                                .writerWithDefaultPrettyPrinter()
                                .writeValueAsString(payload.apply(message(action, false)))
                        + "\n");
    }

    @Test
    void emailTextAndHtml() throws IOException {
        Message m = message(Action.Trigger, false);
        assertThat(EmailNotifier.subject(m))
                .isEqualTo("[Critical] Trigger: Checkout returns 500s (shop/checkout-errors)");
        golden("email-trigger.txt", EmailNotifier.text(m));
        golden("email-trigger.html", EmailNotifier.html(m));
    }

    @Test
    void drillsAreMarkedOnEveryChannel() {
        Message drill = message(Action.Trigger, true);
        assertThat(SlackNotifier.payload(drill).path("text").asText()).startsWith("[DRILL] ");
        assertThat(TeamsNotifier.payload(drill).toString()).contains("[DRILL] Critical incident triggered");
        assertThat(PagerDutyNotifier.payload(drill, "k")
                        .path("payload")
                        .path("summary")
                        .asText())
                .startsWith("[DRILL] ");
        assertThat(OpsgenieNotifier.payload(drill, opsgenie()).path("message").asText())
                .startsWith("[DRILL] ");
        assertThat(ServiceNowNotifier.payload(drill, serviceNow())
                        .path("short_description")
                        .asText())
                .startsWith("[DRILL] ");
        assertThat(WebhookNotifier.payload(drill).path("incident").path("title").asText())
                .startsWith("[DRILL] ");
        assertThat(EmailNotifier.subject(drill)).startsWith("[DRILL] ");
        assertThat(EmailNotifier.text(drill)).startsWith("[DRILL] ");
    }

    @Test
    void severityMappings() {
        assertThat(Stream.of(Severity.values()).map(PagerDutyNotifier::severity))
                .containsExactly("critical", "error", "warning", "info");
        assertThat(Stream.of(Severity.values()).map(OpsgenieNotifier::priority))
                .containsExactly("P1", "P2", "P3", "P4");
        assertThat(Stream.of(Impact.values()).map(ServiceNowNotifier::impact)).containsExactly("1", "2", "3", "3");
        assertThat(Stream.of(Urgency.values()).map(ServiceNowNotifier::urgency)).containsExactly("1", "2", "3", "3");
    }

    @Test
    void webhookSignatureIsHmacSha256OverTimestampDotBody() {
        // echo -n '1764000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret
        assertThat(WebhookNotifier.sign("s3cret", "1764000000", "{\"a\":1}"))
                .isEqualTo("ece4ac47663d3ad88bb0892d55cacbb8177c0af8203f4a4e2e1e25c47ec628d5");
    }

    static void golden(String file, String actual) {
        Golden.assertMatches("notify", file, actual);
    }
}
