package dev.firebreak.intake.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firebreak.testing.Notifications;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
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
        assertThat(PayloadParser.parse(fixture("truncated.json")).truncatedAlerts())
                .isEqualTo(41);
    }

    @Test
    void unknownFieldsAreIgnored() throws BadPayload {
        WebhookNotification n = PayloadParser.parse(fixture("unknown-fields.json"));
        assertThat(n.alerts()).extracting(WebhookAlert::fingerprint).containsExactly("u1");
    }

    @Test
    void anEmptyAlertListParsesToNothingToStore() throws BadPayload {
        String ok = new String(fixture("firing.json"), StandardCharsets.UTF_8);
        int from = ok.indexOf("\"alerts\": [");
        int to = ok.indexOf("],\n  \"groupLabels\"");
        WebhookNotification n = PayloadParser.parse(
                (ok.substring(0, from) + "\"alerts\": [" + ok.substring(to)).getBytes(StandardCharsets.UTF_8));
        assertThat(n.empty()).isTrue();
    }

    static Stream<Arguments> times() {
        return Stream.of(
                Arguments.of("2026-11-23T10:00:00.123456789Z", Instant.parse("2026-11-23T10:00:00.123456789Z")),
                Arguments.of("2026-11-23t10:00:00z", Instant.parse("2026-11-23T10:00:00Z")),
                Arguments.of("2026-11-23T12:00:00+02:00", Instant.parse("2026-11-23T10:00:00Z")),
                Arguments.of("0001-01-01T00:00:00Z", null),
                Arguments.of("0001-01-01T00:00:01Z", Instant.parse("0001-01-01T00:00:01Z")),
                Arguments.of("9999-12-31T23:59:59.999Z", Instant.parse("9999-12-31T23:59:59.999Z")),
                Arguments.of("1970-01-01T00:00:00Z", Instant.EPOCH));
    }

    @ParameterizedTest(name = "startsAt {0}")
    @MethodSource("times")
    void timesAreReadAsRfc3339WithinWhatKubernetesCanStore(String startsAt, Instant expected) throws BadPayload {
        String body = new String(fixture("firing.json"), StandardCharsets.UTF_8)
                .replace("2026-11-23T10:00:00.123Z", startsAt);
        assertThat(PayloadParser.parse(body.getBytes(StandardCharsets.UTF_8))
                        .alerts()
                        .get(0)
                        .startsAt())
                .isEqualTo(expected);
    }

    @Test
    void loneSurrogatesBecomeReplacementCharactersAndLongValuesAreCut() throws BadPayload {
        String body = new String(fixture("firing.json"), StandardCharsets.UTF_8)
                .replace(
                        "\"severity\": \"critical\"}",
                        "\"severity\": \"critical\", \"odd\": \"a\\ud800b\", " + "\"long\": \"" + "é".repeat(3000)
                                + "\"}");
        WebhookAlert alert = PayloadParser.parse(body.getBytes(StandardCharsets.UTF_8))
                .alerts()
                .get(0);
        assertThat(alert.labels().get("odd")).isEqualTo("a\uFFFDb");
        assertThat(alert.labels().get("long"))
                .hasSize(PayloadParser.VALUE_LENGTH)
                .endsWith("…");
    }

    @Test
    void anAlertsLabelsAndAnnotationsHaveABudgetAndTheRestIsCounted() throws BadPayload {
        StringBuilder labels = new StringBuilder("{\"alertname\": \"A\"");
        for (int i = 0; i < 500; i++) {
            labels.append(", \"label")
                    .append(i)
                    .append("\": \"")
                    .append("v".repeat(100))
                    .append('"');
        }
        String body = new String(fixture("firing.json"), StandardCharsets.UTF_8)
                .replaceFirst(
                        "\"labels\": \\{[^}]*}",
                        java.util.regex.Matcher.quoteReplacement("\"labels\": " + labels + "}"));
        WebhookAlert alert = PayloadParser.parse(body.getBytes(StandardCharsets.UTF_8))
                .alerts()
                .get(0);
        assertThat(alert.labels()).containsEntry("alertname", "A").hasSizeLessThan(100);
        assertThat(alert.omitted()).isEqualTo(501 - alert.labels().size());
        assertThat(alert.alertname()).isEqualTo("A");
    }

    @Test
    void alertsBeyondTheParsesLimitsAreCountedNotKept() throws Exception {
        String json = dev.firebreak.testing.Notifications.group("r", "A", "shop")
                .realistic(0, 50, true)
                .realistic(50, 60, false)
                .json();
        WebhookNotification n = PayloadParser.parse(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                new PayloadParser.Limits(20, 8 * 1024));
        assertThat(n.alerts()).hasSize(20);
        assertThat(n.untracked()).isEqualTo(new WebhookNotification.Untracked(30, 10));
        assertThat(n.alerts().stream().filter(a -> a.labels() != null).count())
                .as("details within 8 KiB")
                .isBetween(1L, 12L);
        assertThat(n.alerts()).allSatisfy(a -> assertThat(a.alertname()).isEqualTo("A"));
        assertThat(n.earliestStartsAt()).isEqualTo(Notifications.STARTS_AT);
    }

    static Stream<Arguments> malformed() {
        String ok = new String(fixture("firing.json"), StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("{not json", "body", "not valid JSON"),
                Arguments.of("[]", "body", "expected a JSON object"),
                Arguments.of(
                        ok.replace("\"version\": \"4\"", "\"version\": \"3\""), "version", "unsupported version '3'"),
                Arguments.of(ok.replace("\"version\": \"4\"", "\"version\": 4"), "version", "expected a string"),
                Arguments.of(ok.replace("\"version\": \"4\",", ""), "version", "missing"),
                Arguments.of(ok.replace("\"receiver\": \"firebreak\"", "\"receiver\": \"\""), "receiver", "empty"),
                Arguments.of(
                        ok.replace(
                                "\"groupKey\": \"{}:{alertname=\\\"CheckoutErrorRate\\\", namespace=\\\"shop\\\"}\",",
                                ""),
                        "groupKey",
                        "missing"),
                Arguments.of(
                        ok.replace("\"status\": \"firing\",\n  \"alerts\"", "\"status\": \"burning\",\n  \"alerts\""),
                        "status",
                        "'burning' is neither firing nor resolved"),
                Arguments.of(
                        ok.replace("\"fingerprint\": \"a1b2c3d4e5f60718\"", "\"fingerprint\": \"\""),
                        "alerts[0].fingerprint",
                        "missing"),
                Arguments.of(
                        ok.replace("\"startsAt\": \"2026-11-23T10:00:00.123Z\"", "\"startsAt\": \"yesterday\""),
                        "alerts[0].startsAt",
                        "'yesterday' is not an RFC 3339 time"),
                Arguments.of(
                        ok.replace("\"severity\": \"critical\"}", "\"severity\": 1}"),
                        "alerts[0].labels.severity",
                        "expected a string"),
                Arguments.of(
                        ok.replace("\"truncatedAlerts\": 0", "\"truncatedAlerts\": \"none\""),
                        "truncatedAlerts",
                        "expected a number"),
                Arguments.of(
                        ok.replace("\"alerts\": [", "\"alerts\": {\"x\": [")
                                .replace("  ],\n  \"groupLabels\"", "  ]},\n  \"groupLabels\""),
                        "alerts",
                        "expected an array"),
                Arguments.of(
                        ok.replace(
                                "\"startsAt\": \"2026-11-23T10:00:00.123Z\"",
                                "\"startsAt\": \"9999-12-31T23:59:59-01:00\""),
                        "alerts[0].startsAt",
                        "outside the years 0001 to 9999"),
                Arguments.of(
                        ok.replace(
                                "\"startsAt\": \"2026-11-23T10:00:00.123Z\"",
                                "\"startsAt\": \"0001-01-01T00:00:00+01:00\""),
                        "alerts[0].startsAt",
                        "outside the years 0001 to 9999"),
                Arguments.of(
                        ok.replace(
                                "\"startsAt\": \"2026-11-23T10:00:00.123Z\"",
                                "\"startsAt\": \"+10000-01-01T00:00:00Z\""),
                        "alerts[0].startsAt",
                        "outside the years 0001 to 9999"),
                Arguments.of(
                        ok.replace(
                                "\"startsAt\": \"2026-11-23T10:00:00.123Z\"", "\"startsAt\": \"2026-11-23T23:59:60Z\""),
                        "alerts[0].startsAt",
                        "not an RFC 3339 time"),
                Arguments.of(
                        ok.replace(
                                "\"startsAt\": \"2026-11-23T10:00:00.123Z\"", "\"startsAt\": \"2026-11-23T10:00:00\""),
                        "alerts[0].startsAt",
                        "not an RFC 3339 time"),
                Arguments.of(
                        ok.replace("\"truncatedAlerts\": 0", "\"truncatedAlerts\": -3"),
                        "truncatedAlerts",
                        "expected a number of alerts"),
                Arguments.of(ok.replace("\"alerts\": [", "\"alerts\": null, \"x\": ["), "alerts", "missing"),
                Arguments.of(ok + "{}", "body", "unexpected content after the notification"),
                Arguments.of("{\"a\": " + "[".repeat(100), "body", "not valid JSON"));
    }

    @Test
    void invalidUtf8IsNotJson() {
        byte[] body = new String(fixture("firing.json"), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        byte[] bad = Arrays.copyOf(body, body.length);
        int at = new String(body, StandardCharsets.UTF_8).indexOf("Checkout error rate");
        bad[at] = (byte) 0xC3;
        bad[at + 1] = (byte) 0x28;
        assertThatThrownBy(() -> PayloadParser.parse(bad))
                .isInstanceOfSatisfying(
                        BadPayload.class, e -> assertThat(e.field()).isEqualTo("body"));
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
