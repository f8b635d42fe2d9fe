package dev.firebreak.intake.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.spec.IntakeNote;
import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.testing.Notifications;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlertGroupTest {
    private static WebhookNotification parse(String fixture) {
        return parseJson(new String(PayloadParserTest.fixture(fixture), StandardCharsets.UTF_8));
    }

    static WebhookNotification parseJson(String json) {
        try {
            return PayloadParser.parse(json.getBytes(StandardCharsets.UTF_8));
        } catch (BadPayload e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theIncidentNameIsDeterministicReadableAndShort() {
        WebhookNotification n = parse("firing.json");
        String name = AlertGroup.incidentName(n, 1);
        assertThat(name)
                .isEqualTo(AlertGroup.incidentName(parse("resolved.json"), 1))
                .startsWith("am-checkouterrorrate-")
                .hasSize("am-checkouterrorrate-".length() + 12)
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(AlertGroup.incidentName(n, 2)).isEqualTo(name + "-2");
        WebhookNotification otherReceiver = new WebhookNotification(
                "pager",
                n.status(),
                n.groupKey(),
                0,
                n.groupLabels(),
                n.commonLabels(),
                n.commonAnnotations(),
                n.externalURL(),
                n.alerts());
        assertThat(AlertGroup.incidentName(otherReceiver, 1))
                .as("receiver + groupKey is the identity")
                .isNotEqualTo(name);
        assertThat(AlertGroup.hash("firebreak", n.groupKey())).hasSize(12);
        WebhookNotification nameless = parseJson(
                Notifications.group("r", "", "shop").realistic(0, true).json());
        assertThat(AlertGroup.incidentName(nameless, 1)).matches("am-[0-9a-f]{12}");
    }

    static Stream<Arguments> namespaces() {
        return Stream.of(
                Arguments.of("shop", Set.of("shop"), "shop", null),
                Arguments.of("shop", Set.of("payments"), "firebreak-system", "Firebreak does not watch namespace shop"),
                Arguments.of("Shop Prod!", Set.of("Shop Prod!"), "firebreak-system", "is not a namespace name"),
                Arguments.of("a".repeat(64), Set.of("a".repeat(64)), "firebreak-system", "is not a namespace name"),
                Arguments.of("", Set.of(""), "firebreak-system", "is not a namespace name"));
    }

    @ParameterizedTest(name = "namespace label ''{0}''")
    @MethodSource("namespaces")
    void theIncidentGoesToTheAlertsNamespaceWhenItCanElseTheDefaultWithANote(
            String label, Set<String> watched, String expected, String note) {
        WebhookNotification n = parseJson(Notifications.group("r", "A", "x")
                .commonLabel("namespace", label)
                .realistic(0, true)
                .json());
        AlertGroup.Notes notes = new AlertGroup.Notes();
        assertThat(AlertGroup.namespace(n, watched::contains, "firebreak-system", notes))
                .isEqualTo(expected);
        if (note == null) {
            assertThat(notes.list()).isEmpty();
        } else {
            assertThat(notes.list()).singleElement().satisfies(x -> {
                assertThat(x.field).isEqualTo("commonLabels.namespace");
                assertThat(x.message).contains(note).contains("opened in firebreak-system");
            });
        }
        AlertGroup.Notes none = new AlertGroup.Notes();
        assertThat(AlertGroup.namespace(parse("mixed.json"), ns -> true, "firebreak-system", none))
                .as("an alert with only an instance label")
                .isEqualTo("firebreak-system");
        assertThat(none.list()).isEmpty();
    }

    static Stream<Arguments> titles() {
        String emoji = "🔥";
        return Stream.of(
                Arguments.of(
                        Map.of("summary", "Checkout error rate above 5%"),
                        Map.of("alertname", "A"),
                        "Checkout error rate above 5%",
                        false),
                Arguments.of(
                        Map.of("summary", "  \u202Eevil\u202C\nsecond line\u0007 "),
                        Map.of("alertname", "A"),
                        "\uFFFDevil\uFFFD second line\uFFFD",
                        false),
                Arguments.of(
                        Map.of("summary", emoji.repeat(300)), Map.of("alertname", "A"), emoji.repeat(255) + "…", false),
                Arguments.of(
                        Map.of("summary", " \n\t "),
                        Map.of("alertname", "HighCpu", "instance", "10.0.0.1"),
                        "HighCpu (10.0.0.1)",
                        false),
                Arguments.of(Map.of(), Map.of("alertname", "", "job", "api"), "Alert group {job=api}", true),
                Arguments.of(Map.of(), Map.of("alertname", "   "), null, true));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("titles")
    void theTitleIsOneNonEmptyLineWithinTheSchemaLimit(
            Map<String, String> annotations, Map<String, String> labels, String expected, boolean noted) {
        WebhookNotification n =
                new WebhookNotification("r", "firing", "gk", 0, labels, labels, annotations, null, java.util.List.of());
        AlertGroup.Notes notes = new AlertGroup.Notes();
        String title = AlertGroup.title(n, notes);
        assertThat(title).isNotBlank();
        assertThat(title.codePointCount(0, title.length())).isLessThanOrEqualTo(AlertGroup.TITLE_LENGTH);
        if (expected != null) {
            assertThat(title).isEqualTo(expected);
        } else {
            assertThat(title).isEqualTo("Alert group " + AlertGroup.hash("r", "gk"));
        }
        assertThat(notes.list()).hasSize(noted ? 1 : 0);
    }

    @Test
    void workloadLabelsThatAreNotKubernetesNamesAreLeftOutWithANote() {
        WebhookNotification n = parseJson(Notifications.group("r", "A", "shop")
                .alert(
                        "1",
                        "firing",
                        Map.of("alertname", "A", "namespace", "shop", "deployment", "checkout"),
                        Map.of(),
                        Notifications.STARTS_AT,
                        null)
                .alert(
                        "2",
                        "firing",
                        Map.of("alertname", "A", "namespace", "shop", "deployment", "Checkout_V2"),
                        Map.of(),
                        Notifications.STARTS_AT,
                        null)
                .alert(
                        "3",
                        "firing",
                        Map.of("alertname", "A", "namespace", "other", "deployment", "elsewhere"),
                        Map.of(),
                        Notifications.STARTS_AT,
                        null)
                .alert(
                        "4",
                        "firing",
                        Map.of("alertname", "A", "namespace", "shop", "pod", ""),
                        Map.of(),
                        Notifications.STARTS_AT,
                        null)
                .alert(
                        "5",
                        "firing",
                        Map.of("alertname", "A", "namespace", "shop", "pod", "db-0"),
                        Map.of(),
                        Notifications.STARTS_AT,
                        null)
                .json());
        AlertGroup.Notes notes = new AlertGroup.Notes();
        IncidentSpec spec = AlertGroup.spec(n, "shop", notes);
        assertThat(spec.affected).containsExactly(new WorkloadRef(WorkloadKind.Deployment, "checkout"));
        assertThat(AlertGroup.pods(n, "shop", notes)).containsExactly("db-0");
        assertThat(notes.list())
                .extracting(x -> x.field)
                .containsExactly("alerts[1].labels.deployment", "alerts[3].labels.pod");
        assertThat(notes.list().get(0).message).contains("'Checkout_V2' is not a Kubernetes name");
    }

    @Test
    void aLongGroupKeyAndDescriptionAreCutWhereTheSchemaSaysWithTheIdentityFromTheWholeKey() {
        String key = "{}:{alertname=\"A\", instance=\"" + "x".repeat(6000) + "\"}";
        String description = "d".repeat(20_000);
        WebhookNotification n = parseJson(Notifications.group("r", "A", "shop")
                .groupKey(key)
                .commonAnnotation("description", description)
                .realistic(0, true)
                .json());
        AlertGroup.Notes notes = new AlertGroup.Notes();
        IncidentSpec spec = AlertGroup.spec(n, "shop", notes);
        assertThat(spec.source.groupKey).hasSize(AlertGroup.GROUP_KEY_LENGTH).endsWith("…");
        assertThat(spec.description).hasSize(AlertGroup.DESCRIPTION_LENGTH).endsWith("…");
        assertThat(AlertGroup.hash("r", n.groupKey())).isEqualTo(AlertGroup.hash("r", key));
        assertThat(notes.list()).extracting(x -> x.field).containsExactly("commonAnnotations.description", "groupKey");
    }

    @Test
    void notesAreBoundedAndEachSaidOnce() {
        AlertGroup.Notes notes = new AlertGroup.Notes();
        for (int i = 0; i < 20; i++) {
            notes.add("f" + (i % 10), "same");
            notes.add("f" + (i % 10), "same");
        }
        assertThat(notes.list()).hasSize(AlertGroup.Notes.MAX).doesNotHaveDuplicates();
        notes = new AlertGroup.Notes();
        notes.add("f", "m".repeat(2000));
        assertThat(notes.list())
                .singleElement()
                .extracting((IntakeNote x) -> x.message.length())
                .isEqualTo(512);
    }
}
