package dev.firebreak.intake.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PayloadParserTest {
    static byte[] fixture(String name) {
        try (InputStream in = PayloadParserTest.class.getResourceAsStream("/alertmanager/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFiringNotification() throws BadPayload {
        WebhookNotification n = PayloadParser.parse(fixture("firing.json"));
        assertThat(n.receiver()).isEqualTo("firebreak");
        assertThat(n.groupKey()).isEqualTo("{}:{alertname=\"CheckoutErrorRate\", namespace=\"shop\"}");
        assertThat(n.status()).isEqualTo("firing");
        assertThat(n.commonAnnotations()).containsEntry("summary", "Checkout error rate above 5%");
        assertThat(n.alerts()).singleElement().satisfies(a -> {
            assertThat(a.firing()).isTrue();
            assertThat(a.fingerprint()).isEqualTo("a1b2c3d4e5f60718");
            assertThat(a.startsAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00.123Z"));
            assertThat(a.endsAt()).as("0001-01-01 means not ended").isNull();
            assertThat(a.labels()).containsEntry("deployment", "checkout");
        });
    }

    @Test
    void aResolvedNotification() throws BadPayload {
        WebhookNotification n = PayloadParser.parse(fixture("resolved.json"));
        assertThat(n.alerts()).singleElement().satisfies(a -> {
            assertThat(a.firing()).isFalse();
            assertThat(a.endsAt()).isEqualTo(Instant.parse("2026-11-23T10:42:00Z"));
        });
    }

    @Test
    void aMixedNotification() throws BadPayload {
        WebhookNotification n = PayloadParser.parse(fixture("mixed.json"));
        assertThat(n.alerts()).extracting(WebhookAlert::status).containsExactly("firing", "resolved");
    }

    @Test
    void aTruncatedNotificationSaysHowManyAlertsItLeftOut() throws BadPayload {
        assertThat(PayloadParser.parse(fixture("truncated.json")).truncatedAlerts()).isEqualTo(41);
    }

    @Test
    void unknownFieldsAreIgnored() throws BadPayload {
        WebhookNotification n = PayloadParser.parse(fixture("unknown-fields.json"));
        assertThat(n.alerts()).extracting(WebhookAlert::fingerprint).containsExactly("u1");
    }

    static Stream<Arguments> malformed() {
        String ok = new String(fixture("firing.json"), StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("{not json", "body", "not valid JSON"),
                Arguments.of("[]", "body", "expected a JSON object"),
                Arguments.of(ok.replace("\"version\": \"4\"", "\"version\": \"3\""), "version",
                        "unsupported version '3'"),
                Arguments.of(ok.replace("\"version\": \"4\"", "\"version\": 4"), "version", "expected a string"),
                Arguments.of(ok.replace("\"version\": \"4\",", ""), "version", "missing"),
                Arguments.of(ok.replace("\"receiver\": \"firebreak\"", "\"receiver\": \"\""), "receiver", "empty"),
                Arguments.of(ok.replace("\"groupKey\": \"{}:{alertname=\\\"CheckoutErrorRate\\\", namespace=\\\"shop\\\"}\",", ""),
                        "groupKey", "missing"),
                Arguments.of(ok.replace("\"status\": \"firing\",\n  \"alerts\"", "\"status\": \"burning\",\n  \"alerts\""),
                        "status", "'burning' is neither firing nor resolved"),
                Arguments.of(ok.replace("\"fingerprint\": \"a1b2c3d4e5f60718\"", "\"fingerprint\": \"\""),
                        "alerts[0].fingerprint", "missing"),
                Arguments.of(ok.replace("\"startsAt\": \"2026-11-23T10:00:00.123Z\"", "\"startsAt\": \"yesterday\""),
                        "alerts[0].startsAt", "'yesterday' is not an RFC 3339 time"),
                Arguments.of(ok.replace("\"severity\": \"critical\"}", "\"severity\": 1}"),
                        "alerts[0].labels.severity", "expected a string"),
                Arguments.of(ok.replace("\"truncatedAlerts\": 0", "\"truncatedAlerts\": \"none\""),
                        "truncatedAlerts", "expected a number"),
                Arguments.of(ok.replace("\"alerts\": [", "\"alerts\": {\"x\": [").replace("  ],\n  \"groupLabels\"",
                        "  ]},\n  \"groupLabels\""), "alerts", "expected an array"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("malformed")
    void aBadPayloadNamesTheFieldAndTheReason(String body, String field, String reason) {
        assertThatThrownBy(() -> PayloadParser.parse(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(BadPayload.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.reason()).contains(reason);
                });
    }
}
