package dev.firebreak.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.Condition;
import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.HasConditions;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.OnCallSchedule;
import dev.firebreak.api.v1alpha1.OnCallScheduleStatus;
import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator running against the mock API server: valid and invalid resources of each kind get the right Ready
 * condition, message and Events, and references resolve when the referenced object appears later.
 */
@QuarkusTest
@WithKubernetesTestServer
class ReconcilersTest {
    static final String NS = "shop";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer server;

    // --- EscalationPolicy ---------------------------------------------------------------------------

    @Test
    void aPolicyBecomesReadyWhenItsScheduleAppears() {
        secret("slack-a", Map.of("url", "https://hooks.slack.com/services/T0/B0/X"));
        EscalationPolicy policy = create(EscalationPolicy.class, """
                apiVersion: firebreak.dev/v1alpha1
                kind: EscalationPolicy
                metadata: {name: payments-a}
                spec:
                  levels:
                  - targets:
                    - onCallSchedule: {name: primary-a}
                    - slack: {webhookURLSecretRef: {name: slack-a, key: url}}
                """);

        Condition invalid = awaitReady(policy, ConditionStatus.False);
        assertThat(invalid.reason).isEqualTo("OnCallScheduleNotFound");
        assertThat(invalid.message)
                .isEqualTo("spec.levels[0].targets[0].onCallSchedule.name: OnCallSchedule primary-a not found");
        assertThat(invalid.observedGeneration).isEqualTo(1L);
        awaitEvent(policy, "Warning", "Invalid", invalid.message);

        create(OnCallSchedule.class, schedule("primary-a", "UTC"));

        Condition valid = awaitReady(policy, ConditionStatus.True);
        assertThat(valid.reason).isEqualTo("Valid");
        assertThat(valid.lastTransitionTime).isAfterOrEqualTo(invalid.lastTransitionTime);
        awaitEvent(policy, "Normal", "Valid", "all referenced schedules and Secrets exist");
        assertThat(fresh(policy).getStatus().observedGeneration).isEqualTo(1L);
    }

    @Test
    void aPolicyNamesTheMissingSecretAndKey() {
        secret("pd-b", Map.of("token", "x"));
        EscalationPolicy policy = create(EscalationPolicy.class, """
                apiVersion: firebreak.dev/v1alpha1
                kind: EscalationPolicy
                metadata: {name: payments-b}
                spec:
                  levels:
                  - targets:
                    - pagerDuty: {routingKeySecretRef: {name: pd-b, key: routing-key}}
                    - opsgenie: {apiKeySecretRef: {name: opsgenie-b, key: key}}
                """);

        Condition invalid = awaitReady(policy, ConditionStatus.False);
        assertThat(invalid.reason).isEqualTo("SecretKeyMissing");
        assertThat(invalid.message)
                .isEqualTo(
                        "spec.levels[0].targets[0].pagerDuty.routingKeySecretRef: Secret pd-b has no key 'routing-key'; "
                                + "spec.levels[0].targets[1].opsgenie.apiKeySecretRef: Secret opsgenie-b not found");
        awaitEvent(policy, "Warning", "Invalid", invalid.message);
    }

    @Test
    void statusIsWrittenOnlyWhenItChanges() throws InterruptedException {
        create(OnCallSchedule.class, schedule("primary-c", "UTC"));
        EscalationPolicy policy = create(EscalationPolicy.class, """
                apiVersion: firebreak.dev/v1alpha1
                kind: EscalationPolicy
                metadata: {name: payments-c}
                spec:
                  levels:
                  - targets: [{onCallSchedule: {name: primary-c}}]
                """);
        awaitReady(policy, ConditionStatus.True);
        drainRequests();

        // A change to the referenced schedule reconciles the policy, but its status stays the same: no write.
        client.resources(OnCallSchedule.class)
                .inNamespace(NS)
                .withName("primary-c")
                .edit(s -> {
                    s.getMetadata().setLabels(Map.of("touched", "yes"));
                    return s;
                });
        // A spec change does change the status: exactly one write, for generation 2.
        client.resources(EscalationPolicy.class)
                .inNamespace(NS)
                .withName("payments-c")
                .edit(p -> {
                    p.getSpec().levels.get(0).targets.get(0).onCallSchedule.name = "missing-c";
                    return p;
                });
        Condition invalid = awaitReady(policy, ConditionStatus.False);
        assertThat(invalid.observedGeneration).isEqualTo(2L);

        List<RecordedRequest> writes = drainRequests().stream()
                .filter(r -> r.getPath().contains("/escalationpolicies/payments-c/status"))
                .toList();
        assertThat(writes)
                .as("status writes after the schedule label change and the spec change")
                .hasSize(1);
    }

    // --- OnCallSchedule -----------------------------------------------------------------------------

    @Test
    void aScheduleWithAnUnknownTimeZoneEmptyRotationAndOverlappingOverridesIsInvalid() {
        OnCallSchedule schedule = create(OnCallSchedule.class, """
                apiVersion: firebreak.dev/v1alpha1
                kind: OnCallSchedule
                metadata: {name: broken-d}
                spec:
                  timeZone: Europe/Atlantis
                  layers:
                  - {name: weekly, participants: [], start: "2026-11-02T08:00:00Z"}
                  overrides:
                  - {who: {name: carol}, from: "2026-12-24T00:00:00Z", to: "2026-12-26T00:00:00Z"}
                  - {who: {name: dave}, from: "2026-12-25T00:00:00Z", to: "2026-12-27T00:00:00Z"}
                """);

        Condition invalid = awaitReady(schedule, ConditionStatus.False);
        assertThat(invalid.reason).isEqualTo("InvalidTimeZone");
        assertThat(invalid.message)
                .isEqualTo("spec.timeZone: 'Europe/Atlantis' is not an IANA time zone such as Europe/Berlin; "
                        + "spec.layers[0].participants: layer 'weekly' has nobody in its rotation; "
                        + "spec.overrides[1]: overlaps spec.overrides[0] (2026-12-24T00:00:00Z to 2026-12-26T00:00:00Z): "
                        + "who is on call would be ambiguous");
        awaitEvent(schedule, "Warning", "Invalid", invalid.message);
    }

    @Test
    void aValidScheduleIsReady() {
        OnCallSchedule schedule = create(OnCallSchedule.class, schedule("primary-e", "America/New_York"));
        Condition ready = awaitReady(schedule, ConditionStatus.True);
        assertThat(ready.message).isEqualTo("schedule is valid");
        assertThat(events(schedule))
                .as("no Invalid/Valid Event for a resource that was never invalid")
                .noneMatch(e -> e.getReason().equals("Invalid") || e.getReason().equals("Valid"));
        OnCallScheduleStatus status = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> client.resources(OnCallSchedule.class)
                                .inNamespace(NS)
                                .withName("primary-e")
                                .get()
                                .getStatus(),
                        s -> s != null && s.onCallNow != null);
        assertThat(status.onCallNow).isIn("alice", "bob");
        assertThat(status.layers)
                .extracting(l -> l.layer + "=" + l.person)
                .containsExactly("weekly=" + status.onCallNow);
        assertThat(status.nextHandoff).isAfter(Instant.now());
        awaitEvent(
                schedule,
                "Normal",
                "OnCallChanged",
                status.onCallNow + " is on call; next handoff " + status.nextHandoff);
    }

    // --- Incident -----------------------------------------------------------------------------------

    @Test
    void anIncidentNamingAMissingPolicyRecoversWhenThePolicyIsCreated() {
        Incident incident = create(Incident.class, """
                apiVersion: firebreak.dev/v1alpha1
                kind: Incident
                metadata: {name: checkout-f}
                spec:
                  title: Checkout error rate above 5%
                  escalationPolicyRef: {name: payments-f}
                """);

        Condition invalid = awaitReady(incident, ConditionStatus.False);
        assertThat(invalid.reason).isEqualTo("EscalationPolicyNotFound");
        assertThat(invalid.message)
                .isEqualTo(
                        "spec.escalationPolicyRef.name: EscalationPolicy payments-f not found in the incident's namespace");
        awaitEvent(incident, "Warning", "Invalid", invalid.message);

        create(EscalationPolicy.class, """
                apiVersion: firebreak.dev/v1alpha1
                kind: EscalationPolicy
                metadata: {name: payments-f}
                spec:
                  levels:
                  - targets: [{email: {to: [payments-oncall@example.com]}}]
                """);
        awaitReady(incident, ConditionStatus.True);
        awaitEvent(incident, "Normal", "Valid", "incident is valid");
    }

    // --- PostIncidentReview -------------------------------------------------------------------------

    @Test
    void aReviewNeedsItsIncidentAndCountsActionItems() {
        PostIncidentReview review = create(PostIncidentReview.class, """
                apiVersion: firebreak.dev/v1alpha1
                kind: PostIncidentReview
                metadata: {name: checkout-g}
                spec:
                  incidentRef: {name: checkout-g}
                  improvementPlan:
                  - {description: alert on error-budget burn, owner: alice, dueDate: "2020-01-31"}
                  - {description: canary checkout releases, owner: bob, dueDate: "2099-12-31"}
                  - {description: write the runbook, owner: carol, dueDate: "2020-01-15", done: true}
                """);

        Condition invalid = awaitReady(review, ConditionStatus.False);
        assertThat(invalid.reason).isEqualTo("IncidentNotFound");
        awaitEvent(review, "Warning", "Invalid", invalid.message);
        var counts = fresh(review).getStatus().actionItems;
        assertThat(List.of(counts.open, counts.done, counts.overdue)).containsExactly(2, 1, 1);

        create(Incident.class, """
                apiVersion: firebreak.dev/v1alpha1
                kind: Incident
                metadata: {name: checkout-g}
                spec: {title: Checkout error rate above 5%}
                """);
        awaitReady(review, ConditionStatus.True);
    }

    @Test
    void aReviewWithAnImpossibleDueDateIsInvalid() {
        create(Incident.class, """
                apiVersion: firebreak.dev/v1alpha1
                kind: Incident
                metadata: {name: checkout-h}
                spec: {title: Checkout error rate above 5%}
                """);
        PostIncidentReview review = create(PostIncidentReview.class, """
                apiVersion: firebreak.dev/v1alpha1
                kind: PostIncidentReview
                metadata: {name: checkout-h}
                spec:
                  incidentRef: {name: checkout-h}
                  improvementPlan: [{description: fix it, dueDate: "2026-02-30"}]
                """);
        Condition invalid = awaitReady(review, ConditionStatus.False);
        assertThat(invalid.reason).isEqualTo("InvalidDueDate");
        assertThat(invalid.message).isEqualTo("spec.improvementPlan[0].dueDate: '2026-02-30' is not a calendar date");
    }

    // --- helpers ------------------------------------------------------------------------------------

    static String schedule(String name, String zone) {
        return """
                apiVersion: firebreak.dev/v1alpha1
                kind: OnCallSchedule
                metadata: {name: %s}
                spec:
                  timeZone: %s
                  layers:
                  - name: weekly
                    participants: [{name: alice, email: alice@example.com}, {name: bob, email: bob@example.com}]
                    rotation: {type: Weekly}
                    start: "2026-11-02T09:00:00Z"
                """.formatted(name, zone);
    }

    <T extends HasMetadata> T create(Class<T> type, String yaml) {
        T object = client.getKubernetesSerialization().unmarshal(yaml, type);
        object.getMetadata().setNamespace(NS);
        return client.resource(object).create();
    }

    void secret(String name, Map<String, String> data) {
        client.secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withStringData(data)
                        .build())
                .create();
    }

    @SuppressWarnings("unchecked")
    <T extends CustomResource<?, ?>> T fresh(T object) {
        return (T) client.resources(object.getClass())
                .inNamespace(NS)
                .withName(object.getMetadata().getName())
                .get();
    }

    Condition awaitReady(CustomResource<?, ? extends HasConditions> object, ConditionStatus status) {
        return await().atMost(WAIT)
                .until(
                        () -> {
                            CustomResource<?, ? extends HasConditions> current = fresh(object);
                            if (current == null || current.getStatus() == null) {
                                return null;
                            }
                            return Conditions.find(current.getStatus().getConditions(), Conditions.READY)
                                    .filter(c -> c.status == status
                                            && c.observedGeneration != null
                                            && c.observedGeneration.equals(
                                                    current.getMetadata().getGeneration()))
                                    .orElse(null);
                        },
                        c -> c != null);
    }

    List<Event> events(HasMetadata object) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> object.getMetadata()
                                .getName()
                                .equals(e.getInvolvedObject().getName())
                        && object.getKind().equals(e.getInvolvedObject().getKind()))
                .toList();
    }

    void awaitEvent(HasMetadata object, String type, String reason, String message) {
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events(object)).anySatisfy(e -> {
                    assertThat(e.getType()).isEqualTo(type);
                    assertThat(e.getReason()).isEqualTo(reason);
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.getSource().getComponent()).isEqualTo("firebreak");
                }));
    }

    List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.getKubernetesMockServer().takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            requests.add(request);
        }
        return requests;
    }
}
