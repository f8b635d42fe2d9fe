package dev.firebreak.intake.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.classify.Classifier;
import dev.firebreak.classify.SeverityMatrix;
import dev.firebreak.incident.IncidentRecord;
import dev.firebreak.testing.CrdValidator;
import dev.firebreak.testing.HostileNotifications;
import dev.firebreak.text.Text;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For any notification, hostile or not, the intake's plan is either objects the generated CRD schema and its CEL
 * rules accept (the incident it would create, the alerts it would write, and the record the reconciler would make of
 * them), far below the API server's limits, or a 400 naming a field; never an exception. The notifications are
 * {@link HostileNotifications}, one per seed: a failure names its seed.
 */
class IntakePlanPropertyTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final long OBJECT_LIMIT = 512 * 1024;
    static final int SEEDS = 400;

    enum Answer {
        STORED,
        NOTHING_TO_STORE,
        BAD_REQUEST
    }

    static LongStream seeds() {
        return LongStream.range(0, SEEDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyNotificationIsAValidPlanOrA400NamingAField(long seed) throws IOException {
        plan(seed);
    }

    /** The generator reaches every answer, and groups beyond the budget, so that the property says something of each. */
    @Test
    void theNotificationsCoverEveryAnswer() throws IOException {
        Map<Answer, Integer> answers = new EnumMap<>(Answer.class);
        int overBudget = 0;
        int noted = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            try {
                WebhookNotification n =
                        PayloadParser.parse(HostileNotifications.of(seed).getBytes(StandardCharsets.UTF_8));
                answers.merge(n.empty() ? Answer.NOTHING_TO_STORE : Answer.STORED, 1, Integer::sum);
                if (!n.empty() && n.alerts().size() > 1000) {
                    overBudget++;
                }
                AlertGroup.Notes notes = new AlertGroup.Notes();
                if (!n.empty()
                        && AlertGroup.incident(
                                                n,
                                                "g",
                                                1,
                                                AlertGroup.namespace(n, ns -> true, "d", notes),
                                                notes,
                                                false,
                                                pod -> Optional.empty())
                                        .getSpec()
                                        .source
                                        .notes
                                != null) {
                    noted++;
                }
            } catch (BadPayload e) {
                answers.merge(Answer.BAD_REQUEST, 1, Integer::sum);
            }
        }
        assertThat(answers.getOrDefault(Answer.STORED, 0))
                .as("stored, of %s", SEEDS)
                .isGreaterThan(SEEDS / 2);
        assertThat(answers.getOrDefault(Answer.BAD_REQUEST, 0)).isGreaterThan(SEEDS / 50);
        assertThat(answers.getOrDefault(Answer.NOTHING_TO_STORE, 0)).isPositive();
        assertThat(overBudget).as("groups larger than the alert budget").isGreaterThan(SEEDS / 50);
        assertThat(noted).as("incidents opened with notes").isGreaterThan(SEEDS / 4);
    }

    private static Answer plan(long seed) throws IOException {
        String body = HostileNotifications.of(seed);
        WebhookNotification n;
        try {
            n = PayloadParser.parse(
                    new BoundedBody(
                            new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                            64L << 20,
                            PayloadParser.STRING_BYTES,
                            Duration.ofMinutes(1),
                            Clock.systemUTC()),
                    PayloadParser.Limits.DEFAULT);
        } catch (BadPayload e) {
            assertThat(e.field()).isNotBlank();
            assertThat(e.reason()).isNotBlank();
            return Answer.BAD_REQUEST;
        }
        if (n.empty()) {
            return Answer.NOTHING_TO_STORE;
        }
        AlertGroup.Notes notes = new AlertGroup.Notes();
        String namespace = AlertGroup.namespace(n, ns -> !ns.equals("kube-system"), "firebreak-system", notes);
        String group = AlertGroup.hash(n.receiver(), n.groupKey());
        Incident incident = AlertGroup.incident(n, group, 2, namespace, notes, false, pod -> Optional.empty());
        assertThat(incident.getMetadata().getName())
                .hasSizeLessThanOrEqualTo(63)
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(CrdValidator.incident(incident)).as("the incident created").isEmpty();

        AlertMerge.Result merged = AlertMerge.merge(List.of(), null, n, 1, NOW, AlertMerge.Budget.DEFAULT);
        IncidentStatus status = new IncidentStatus();
        status.alerts = new ArrayList<>(merged.alerts());
        status.alertsRevision = 1L;
        status.alertsSummary = merged.summary();
        incident.setStatus(status);
        assertThat(CrdValidator.incident(incident)).as("the alerts written").isEmpty();
        assertThat(merged.summary().bytes).isLessThanOrEqualTo(AlertMerge.Budget.DEFAULT.bytes());
        assertThat(AlertMerge.merge(merged.alerts(), merged.summary(), n, 2, NOW, AlertMerge.Budget.DEFAULT)
                        .changed())
                .as("the same notification again writes nothing")
                .isFalse();

        incident.getMetadata().setCreationTimestamp(NOW.toString());
        incident.getMetadata().setGeneration(1L);
        IncidentRecord.Outcome record =
                IncidentRecord.decide(incident, List.of(), new Classifier(SeverityMatrix.DEFAULT), true, NOW);
        incident.setStatus(record.next());
        assertThat(CrdValidator.incident(incident))
                .as("the reconciler's record")
                .isEmpty();
        assertThat(Text.storedLength(JSON.asJson(incident)))
                .as("bytes of the whole incident as stored")
                .isLessThanOrEqualTo(OBJECT_LIMIT);
        return Answer.STORED;
    }
}
