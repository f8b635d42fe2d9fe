package dev.firebreak.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.EscalationPolicySpec;
import dev.firebreak.testing.Yaml;
import dev.firebreak.validation.Problem;
import dev.firebreak.validation.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EscalationPolicyValidatorTest {
    /** The namespace the policies are validated in: one schedule, three Secrets. */
    private static final Set<String> SCHEDULES = Set.of("primary");

    private static final Map<String, Set<String>> SECRETS = Map.of(
            "slack", Set.of("url"),
            "pagerduty", Set.of("routing-key"),
            "servicenow", Set.of("username", "password"),
            "servicenow-half", Set.of("username"));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("every reference resolves", """
                        levels:
                        - targets:
                          - onCallSchedule: {name: primary}
                          - slack: {webhookURLSecretRef: {name: slack, key: url}}
                        - delay: 10m
                          targets:
                          - pagerDuty: {routingKeySecretRef: {name: pagerduty, key: routing-key}}
                          - serviceNow: {instanceURL: "https://example.service-now.com", credentialsSecretName: servicenow}
                          - email: {to: [oncall@example.com]}
                          - person: {name: alice, email: alice@example.com}
                          - webhook: {url: "https://hooks.example.com/incident"}
                        """, List.of()),
                Arguments.of(
                        "missing schedule",
                        """
                        levels:
                        - targets: [{onCallSchedule: {name: secondary}}]
                        """,
                        List.of(
                                Reason.OnCallScheduleNotFound
                                        + " spec.levels[0].targets[0].onCallSchedule.name: OnCallSchedule secondary not found")),
                Arguments.of(
                        "missing Secret",
                        """
                        levels:
                        - targets: [{slack: {webhookURLSecretRef: {name: nope, key: url}}}]
                        """,
                        List.of(Reason.SecretNotFound
                                + " spec.levels[0].targets[0].slack.webhookURLSecretRef: Secret nope not found")),
                Arguments.of(
                        "Secret without the key",
                        """
                        levels:
                        - targets: [{teams: {webhookURLSecretRef: {name: slack, key: teams-url}}}]
                        """,
                        List.of(
                                Reason.SecretKeyMissing
                                        + " spec.levels[0].targets[0].teams.webhookURLSecretRef: Secret slack has no key 'teams-url'")),
                Arguments.of(
                        "ServiceNow credentials without a password",
                        """
                        levels:
                        - targets: [{serviceNow: {instanceURL: "https://x.service-now.com", credentialsSecretName: servicenow-half}}]
                        """,
                        List.of(
                                Reason.SecretKeyMissing
                                        + " spec.levels[0].targets[0].serviceNow.credentialsSecretName: Secret servicenow-half has no key 'password'")),
                Arguments.of(
                        "bad delay, bad URL, bad email",
                        """
                        levels:
                        - targets: [{email: {to: [not-an-address]}}]
                        - delay: 10 minutes
                          targets: [{webhook: {url: "ftp://example.com/x"}}]
                        """,
                        List.of(
                                Reason.InvalidEmail
                                        + " spec.levels[0].targets[0].email.to[0]: 'not-an-address' is not an email address",
                                Reason.InvalidDuration
                                        + " spec.levels[1].delay: '10 minutes' is not a duration such as 30s, 5m or 1h30m",
                                Reason.InvalidURL
                                        + " spec.levels[1].targets[0].webhook.url: 'ftp://example.com/x' is not an http(s) URL with a host")),
                Arguments.of(
                        "a person without an email, a bad repeatDelay",
                        """
                        repeatDelay: half an hour
                        levels:
                        - targets: [{person: {name: alice}}]
                        """,
                        List.of(
                                Reason.InvalidDuration
                                        + " spec.repeatDelay: 'half an hour' is not a duration such as 30s, 5m or 1h30m",
                                Reason.MissingField
                                        + " spec.levels[0].targets[0].person.email: person alice has no email address to be paged at")),
                Arguments.of(
                        "no levels",
                        "levels: []\n",
                        List.of(Reason.MissingField + " spec.levels: at least one level is required")),
                Arguments.of(
                        "a level without targets",
                        """
                        levels:
                        - delay: 0s
                        """,
                        List.of(Reason.MissingField + " spec.levels[0].targets: at least one target is required")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validates(String name, String yaml, List<String> expected) {
        List<Problem> problems = EscalationPolicyValidator.validate(
                Yaml.read(yaml, EscalationPolicySpec.class),
                SCHEDULES::contains,
                secret -> Optional.ofNullable(SECRETS.get(secret)));

        assertThat(problems).map(p -> p.reason() + " " + p).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void namesTheSchedulesItRefersTo(String name, String yaml, List<String> ignored) {
        EscalationPolicySpec spec = Yaml.read(yaml, EscalationPolicySpec.class);
        assertThat(EscalationPolicyValidator.scheduleNames(spec))
                .isEqualTo(
                        yaml.contains("onCallSchedule: {name: primary}")
                                ? Set.of("primary")
                                : yaml.contains("onCallSchedule: {name: secondary}") ? Set.of("secondary") : Set.of());
    }
}
