package dev.firebreak.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.Condition;
import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.status.Steps;
import dev.firebreak.testing.FaultSwitches;
import dev.firebreak.testing.HttpReceiver;
import dev.firebreak.testing.KubectlFirebreak;
import dev.firebreak.testing.RealApiServer;
import dev.firebreak.testing.SmtpServer;
import dev.firebreak.testing.Yaml;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The failing-step matrix on a real API server (tier 2): each step of the incident reconcile is made to fail (HTTP 503) by a
 * fault switch, in turn. Whatever fails, the reconcile still writes the status with the Degraded condition naming the
 * step and exactly one StepFailed Warning Event (the retries within a minute are held back: its count stays 1); a
 * failing rollback or review never stops level 0 from being recorded and sent; and once the fault clears,
 * everything converges: Degraded False, the page sent exactly once, the review drafted.
 */
@QuarkusTest
@WithTestResource(RealApiServer.class)
@QuarkusTestResource(value = SmtpServer.class, restrictToAnnotatedClass = false)
class FailingStepsTest {
    static final String NS = "failing-steps";
    static final Duration WAIT = Duration.ofSeconds(30);
    static HttpReceiver receiver;

    @Inject
    KubernetesClient client;

    @Inject
    FaultSwitches faults;

    @BeforeAll
    static void receivers() throws Exception {
        receiver = new HttpReceiver().answer("/hook", 200, null);
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {IncidentReconciler.ROLLBACK, IncidentReconciler.ESCALATION, IncidentReconciler.REVIEW})
    void aFailingStepIsRecordedRetriedAndNeverSilencesPaging(String step) {
        setUp();
        String name = "fails-" + step.toLowerCase();
        faults.fail(step, name);
        try {
            Incident created = client.resources(Incident.class)
                    .inNamespace(NS)
                    .resource(Yaml.read("""
                    apiVersion: firebreak.dev/v1alpha1
                    kind: Incident
                    metadata: {name: %s}
                    spec: {title: "Checkout returns 500s", severity: Critical}
                    """.formatted(name), Incident.class))
                    .create();
            String uid = created.getMetadata().getUid();
            if (step.equals(IncidentReconciler.REVIEW)) {
                // The review step only acts on a resolved incident.
                await().atMost(WAIT).until(() -> triggers(uid).size() == 1);
                KubectlFirebreak.against(client, NS, "resolve", name, "--by", "alice", "--note", "fixed");
            }

            IncidentStatus degraded = awaitStatus(
                    name,
                    s -> degraded(s)
                            .filter(c -> c.status == ConditionStatus.True)
                            .isPresent());
            Condition c = degraded(degraded).orElseThrow();
            assertThat(c.reason).isEqualTo(step + "Failed");
            assertThat(c.message).contains(step + ": KubernetesClientException: injected fault in step " + step);
            await().atMost(WAIT).until(() -> faults.failures(step, name) >= 2);
            List<Event> failed = events(uid, "StepFailed");
            assertThat(failed).as("one Event per failing step").hasSize(1);
            assertThat(failed.get(0).getType()).isEqualTo("Warning");
            assertThat(failed.get(0).getCount())
                    .as("retries within the minute write no Event")
                    .isEqualTo(1);
            assertThat(failed.get(0).getMessage())
                    .startsWith("step " + step + " failed (KubernetesClientException" + " (HTTP 503))");

            if (step.equals(IncidentReconciler.ESCALATION)) {
                assertThat(triggers(uid))
                        .as("the failing step is the one that pages")
                        .isEmpty();
            } else {
                await().atMost(WAIT).until(() -> triggers(uid).size() == 1);
                assertThat(degraded.escalation.level)
                        .as("level 0 recorded whatever else fails")
                        .isEqualTo(0);
            }
            if (step.equals(IncidentReconciler.REVIEW)) {
                assertThat(client.resources(PostIncidentReview.class)
                                .inNamespace(NS)
                                .withName(name)
                                .get())
                        .isNull();
            }
        } finally {
            faults.clear(step, name);
        }

        // Converges: the retry (with backoff) runs the step, the condition clears, nothing is sent twice.
        awaitStatus(
                name,
                s -> degraded(s).filter(c -> c.status == ConditionStatus.False).isPresent());
        String uid = client.resources(Incident.class)
                .inNamespace(NS)
                .withName(name)
                .get()
                .getMetadata()
                .getUid();
        await().atMost(WAIT).until(() -> triggers(uid).size() == 1);
        if (step.equals(IncidentReconciler.REVIEW)) {
            await().atMost(WAIT)
                    .until(() -> client.resources(PostIncidentReview.class)
                                    .inNamespace(NS)
                                    .withName(name)
                                    .get()
                            != null);
        }
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> triggers(uid).size() == 1);
        assertThat(events(uid, "StepFailed")).hasSize(1);
    }

    void setUp() {
        if (client.namespaces().withName(NS).get() != null) {
            return;
        }
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .create();
        client.resources(EscalationPolicy.class)
                .inNamespace(NS)
                .resource(Yaml.read("""
                apiVersion: firebreak.dev/v1alpha1
                kind: EscalationPolicy
                metadata: {name: everyone}
                spec:
                  levels:
                  - targets:
                    - webhook: {url: "%s"}
                """.formatted(receiver.url("/hook")), EscalationPolicy.class))
                .create();
    }

    static Optional<Condition> degraded(IncidentStatus s) {
        return s.conditions.stream().filter(c -> Steps.DEGRADED.equals(c.type)).findFirst();
    }

    List<String> triggers(String uid) {
        return receiver.bodies("/hook", "\"action\":\"Trigger\"", uid);
    }

    List<Event> events(String uid, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> uid.equals(e.getInvolvedObject().getUid()) && reason.equals(e.getReason()))
                .toList();
    }

    IncidentStatus awaitStatus(String name, Predicate<IncidentStatus> condition) {
        try {
            return await().atMost(WAIT)
                    .until(
                            () -> {
                                Incident i = client.resources(Incident.class)
                                        .inNamespace(NS)
                                        .withName(name)
                                        .get();
                                return i == null ? null : i.getStatus();
                            },
                            s -> s != null && condition.test(s));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "incident " + name + " never got there: "
                            + Serialization.asJson(client.resources(Incident.class)
                                    .inNamespace(NS)
                                    .withName(name)
                                    .get()),
                    e);
        }
    }
}
