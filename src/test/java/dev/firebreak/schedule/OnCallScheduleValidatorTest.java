package dev.firebreak.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.OnCallScheduleSpec;
import dev.firebreak.testing.Yaml;
import dev.firebreak.validation.Reason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OnCallScheduleValidatorTest {
    private static final String LAYER = """
            layers:
            - name: weekly
              participants: [{name: alice}, {name: bob}]
              rotation: {type: Weekly}
              start: "2026-11-02T08:00:00Z"
            """;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("valid", "timeZone: Europe/Berlin\n" + LAYER, List.of()),
                Arguments.of(
                        "unknown time zone",
                        "timeZone: Mars/Olympus\n" + LAYER,
                        List.of(Reason.InvalidTimeZone
                                + " spec.timeZone: 'Mars/Olympus' is not an IANA time zone such as Europe/Berlin")),
                Arguments.of(
                        "empty rotation",
                        """
                        timeZone: UTC
                        layers:
                        - name: nobody
                          participants: []
                          start: "2026-11-02T08:00:00Z"
                        """,
                        List.of(Reason.EmptyRotation
                                + " spec.layers[0].participants: layer 'nobody' has nobody in its rotation")),
                Arguments.of(
                        "custom rotation with a bad length",
                        """
                        timeZone: UTC
                        layers:
                        - name: custom
                          participants: [{name: alice}]
                          rotation: {type: Custom, length: 30s}
                          start: "2026-11-02T08:00:00Z"
                        """,
                        List.of(Reason.InvalidDuration
                                + " spec.layers[0].rotation.length: a shift must last at least 1m")),
                Arguments.of(
                        "empty restriction window",
                        """
                        timeZone: UTC
                        layers:
                        - name: day
                          participants: [{name: alice}]
                          start: "2026-11-02T08:00:00Z"
                          restrictions: [{days: [Monday], from: "09:00", to: "09:00"}]
                        """,
                        List.of(Reason.InvalidRestriction
                                + " spec.layers[0].restrictions[0]: from and to are both 09:00: the window is empty")),
                Arguments.of(
                        "participants' and overrides' emails",
                        """
                        timeZone: UTC
                        layers:
                        - {name: a, participants: [{name: alice, email: alice@localhost}], start: "2026-11-02T08:00:00Z"}
                        overrides:
                        - {who: {name: bob, email: bob.example.com}, from: "2026-12-24T00:00:00Z", to: "2026-12-25T00:00:00Z"}
                        """,
                        List.of(
                                Reason.InvalidEmail
                                        + " spec.layers[0].participants[0].email: 'alice@localhost' is not an email address",
                                Reason.InvalidEmail
                                        + " spec.overrides[0].who.email: 'bob.example.com' is not an email address")),
                Arguments.of(
                        "duplicate layer names",
                        """
                        timeZone: UTC
                        layers:
                        - {name: a, participants: [{name: alice}], start: "2026-11-02T08:00:00Z"}
                        - {name: a, participants: [{name: bob}], start: "2026-11-02T08:00:00Z"}
                        """,
                        List.of(Reason.DuplicateName + " spec.layers[1].name: layer name 'a' is used twice")),
                Arguments.of(
                        "overlapping overrides, listed out of order",
                        "timeZone: UTC\n" + LAYER + """
                        overrides:
                        - {who: {name: carol}, from: "2026-12-24T18:00:00Z", to: "2026-12-26T08:00:00Z"}
                        - {who: {name: dave}, from: "2026-12-20T00:00:00Z", to: "2026-12-21T00:00:00Z"}
                        - {who: {name: erin}, from: "2026-12-25T00:00:00Z", to: "2026-12-25T12:00:00Z"}
                        """,
                        List.of(Reason.OverlappingOverrides + " spec.overrides[2]: overlaps spec.overrides[0] "
                                + "(2026-12-24T18:00:00Z to 2026-12-26T08:00:00Z): who is on call would be ambiguous")),
                Arguments.of("back-to-back overrides do not overlap", "timeZone: UTC\n" + LAYER + """
                        overrides:
                        - {who: {name: carol}, from: "2026-12-24T00:00:00Z", to: "2026-12-25T00:00:00Z"}
                        - {who: {name: dave}, from: "2026-12-25T00:00:00Z", to: "2026-12-26T00:00:00Z"}
                        """, List.of()),
                Arguments.of(
                        "override ending before it starts",
                        "timeZone: UTC\n" + LAYER + """
                        overrides:
                        - {who: {name: carol}, from: "2026-12-25T00:00:00Z", to: "2026-12-24T00:00:00Z"}
                        """,
                        List.of(Reason.InvalidOverride + " spec.overrides[0]: an override must end after it starts")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validates(String name, String yaml, List<String> expected) {
        assertThat(OnCallScheduleValidator.validate(Yaml.read(yaml, OnCallScheduleSpec.class)))
                .map(p -> p.reason() + " " + p)
                .containsExactlyElementsOf(expected);
    }
}
