package dev.firebreak.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.api.v1alpha1.Impact;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.status.Conditions;
import dev.firebreak.testing.KubectlFirebreak;
import dev.firebreak.testing.RealApiServer;
import dev.firebreak.testing.TestWorkloads;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle on a real API server (tier 2), driven the way responders drive it: through bin/kubectl-firebreak (real
 * kubectl, talking to that API server). Triggered -> Acknowledged -> Resolved with timeline, Events, conditions,
 * timestamps and metrics; and reclassification when a workload loses replicas.
 */
@QuarkusTest
@WithTestResource(RealApiServer.class)
class IncidentLifecycleTest {
    /** This class's own namespace on the shared API server. */
    private static String ns;

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient client;

    @BeforeEach
    void namespace() {
        if (ns == null) {
            ns = RealApiServer.freshNamespace(client, "lifecycle");
        }
    }

    @Test
    void anIncidentGoesTriggeredAcknowledgedResolvedThroughThePlugin() throws Exception {
        plugin(
                "declare",
                "--title",
                "Checkout returns 500s",
                "--severity",
                "High",
                "--name",
                "checkout-500s",
                "-n",
                ns);
        IncidentStatus triggered = awaitStatus("checkout-500s", s -> s.phase == Phase.Triggered);
        assertThat(triggered.severity).isEqualTo(Severity.High);
        assertThat(triggered.detectedAt).isNotNull();
        assertThat(Conditions.find(triggered.conditions, "Acknowledged").orElseThrow().status)
                .isEqualTo(ConditionStatus.False);
        assertThat(triggered.timeline)
                .extracting(e -> e.type)
                .startsWith(TimelineType.Detected, TimelineType.Classified);

        plugin("ack", "checkout-500s", "--by", "alice", "-n", ns);
        IncidentStatus acknowledged = awaitStatus("checkout-500s", s -> s.phase == Phase.Acknowledged);
        assertThat(acknowledged.acknowledgedAt).isNotNull();
        assertThat(acknowledged.timeToAcknowledge).matches("([0-9]+[hms])+");
        assertThat(Conditions.find(acknowledged.conditions, "Acknowledged").orElseThrow().message)
                .isEqualTo("acknowledged by alice");

        plugin(
                "update",
                "checkout-500s",
                "Rolled back to 1.4.1; error rate falling",
                "--eta",
                "15m",
                "--by",
                "bob",
                "-n",
                ns);
        awaitStatus("checkout-500s", s -> s.updatesSeen != null && s.updatesSeen == 1);

        plugin("resolve", "checkout-500s", "--note", "bad release 1.4.2 rolled back", "--by", "alice", "-n", ns);
        IncidentStatus resolved = awaitStatus("checkout-500s", s -> s.phase == Phase.Resolved);
        assertThat(resolved.resolvedAt).isAfterOrEqualTo(resolved.acknowledgedAt);
        assertThat(resolved.timeToResolve).matches("([0-9]+[hms])+");
        assertThat(Conditions.find(resolved.conditions, "Resolved").orElseThrow())
                .satisfies(c -> {
                    assertThat(c.status).isEqualTo(ConditionStatus.True);
                    assertThat(c.reason).isEqualTo("ResolvedByHuman");
                });
        assertThat(resolved.timeline)
                .extracting(e -> e.type)
                .containsSubsequence(
                        TimelineType.Detected, TimelineType.Acknowledged, TimelineType.Update, TimelineType.Resolved);
        assertThat(resolved.timeline)
                .extracting(e -> e.message)
                .contains("acknowledged by alice", "update by bob: Rolled back to 1.4.1; error rate falling (ETA 15m)");
        assertThat(resolved.timeline)
                .filteredOn(e -> e.type == TimelineType.Resolved)
                .singleElement()
                .satisfies(e ->
                        assertThat(e.message).startsWith("resolved by alice (bad release 1.4.2 rolled back) after "));

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events("checkout-500s"))
                        .extracting(Event::getReason)
                        .contains("Classified", "Triggered", "Acknowledged", "Resolved"));
        assertThat(plugin("timeline", "checkout-500s", "-n", ns)).contains("Acknowledged", "acknowledged by alice");

        String metrics = RestAssured.get("/q/metrics").asString();
        assertThat(metrics)
                .containsPattern(
                        "firebreak_incident_phase_transitions_total\\{from=\"Acknowledged\",to=\"Resolved\"\\} [1-9]");
        assertThat(metrics)
                .containsPattern("firebreak_incident_time_to_acknowledge_seconds_count\\{severity=\"High\"\\} [1-9]");
        assertThat(metrics)
                .containsPattern("firebreak_incident_time_to_resolve_seconds_count\\{severity=\"High\"\\} [1-9]");
        assertThat(metrics).contains("firebreak_incidents_open{phase=\"Triggered\",severity=\"Critical\"}");
    }

    @Test
    void losingReplicasMakesTheIncidentWorse() throws Exception {
        TestWorkloads.create(client, TestWorkloads.deployment(ns, "cart", 4, 3));
        plugin(
                "declare",
                "--title",
                "Cart is flaky",
                "--workload",
                "deployment/cart",
                "--name",
                "cart-flaky",
                "-n",
                ns);
        IncidentStatus first =
                awaitStatus("cart-flaky", s -> s.classification != null && s.classification.impact == Impact.FewUsers);
        assertThat(first.classification.reason).contains("3 of 4 replicas of deployment " + ns + "/cart available");
        assertThat(first.severity).isEqualTo(Severity.Medium);

        client.apps().deployments().inNamespace(ns).withName("cart").editStatus(d -> {
            d.getStatus().setAvailableReplicas(0);
            return d;
        });
        IncidentStatus worse = awaitStatus("cart-flaky", s -> s.classification.impact == Impact.AllUsers);
        assertThat(worse.severity).isEqualTo(Severity.High);
        assertThat(worse.classification.reason)
                .startsWith("impact AllUsers: 0 of 4 replicas of deployment " + ns + "/cart available");
        assertThat(worse.timeline)
                .extracting(e -> e.message)
                .anyMatch(m -> m.startsWith("severity High (was Medium): impact AllUsers: 0 of 4 replicas"));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events("cart-flaky")).anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("Classified");
                    assertThat(e.getType()).isEqualTo("Warning");
                }));
    }

    // --- helpers ------------------------------------------------------------------------------------------

    IncidentStatus awaitStatus(String name, Predicate<IncidentStatus> condition) {
        return await().atMost(WAIT)
                .until(
                        () -> {
                            Incident incident = client.resources(Incident.class)
                                    .inNamespace(ns)
                                    .withName(name)
                                    .get();
                            return incident == null ? null : incident.getStatus();
                        },
                        s -> s != null && condition.test(s));
    }

    List<Event> events(String name) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    /** Runs bin/kubectl-firebreak with real kubectl against the mock API server. */
    String plugin(String... args) {
        return KubectlFirebreak.against(client, ns, args);
    }
}
