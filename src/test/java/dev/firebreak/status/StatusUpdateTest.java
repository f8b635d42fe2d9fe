package dev.firebreak.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.firebreak.api.v1alpha1.EscalationPolicyStatus;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.TimelineEntry;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusUpdateTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final Instant T = Instant.parse("2026-12-02T01:00:00Z");

    private static IncidentStatus recorded(int entries) {
        IncidentStatus s = new IncidentStatus();
        s.phase = Phase.Triggered;
        s.recordRevision = 7L;
        s.alertsRevision = 3L;
        AlertRecord alert = new AlertRecord();
        alert.fingerprint = "f1";
        s.alerts = new ArrayList<>(List.of(alert));
        for (int i = 0; i < entries; i++) {
            s.timeline.add(new TimelineEntry(T.plusSeconds(i), TimelineType.Note, "entry " + i));
        }
        return s;
    }

    /** The object as the API server holds it, with the patch applied as it would apply it. */
    private static JsonNode applied(Object status, ArrayNode ops) {
        JsonNode object = JSON.convertValue(
                java.util.Map.of("metadata", java.util.Map.of("resourceVersion", "41"), "status", status),
                JsonNode.class);
        return JsonPatch.apply(ops, object);
    }

    @Test
    void anAppendedTimelineEntryIsSentAloneUnderATestOfTheRecordRevision() {
        IncidentStatus read = recorded(200);
        IncidentStatus next = StatusUpdate.copy(read, IncidentStatus::new);
        next.timeline.add(new TimelineEntry(T.plusSeconds(500), TimelineType.Acknowledged, "acknowledged by ana"));
        next.phase = Phase.Acknowledged;

        ArrayNode ops = StatusUpdate.patch("41", read, next);

        assertThat(ops.get(0).toString())
                .isEqualTo("{\"op\":\"test\",\"path\":\"/status/recordRevision\",\"value\":7}");
        assertThat(ops.toString())
                .doesNotContain("entry 1")
                .doesNotContain("alerts")
                .doesNotContain("resourceVersion");
        assertThat(ops.toString().length()).isLessThan(400);
        JsonNode stored = applied(read, ops);
        assertThat(stored.at("/status/recordRevision").asLong()).isEqualTo(8);
        assertThat(stored.at("/status/timeline").size()).isEqualTo(201);
        assertThat(stored.at("/status/phase").asText()).isEqualTo("Acknowledged");
        assertThat(stored.at("/status/alerts/0/fingerprint").asText()).isEqualTo("f1");
    }

    @Test
    void theOldestEntryDroppedByTheBudgetIsOneRemovalNotTheTimelineAgain() {
        IncidentStatus read = recorded(250);
        IncidentStatus next = StatusUpdate.copy(read, IncidentStatus::new);
        next.timeline.remove(0);
        next.timeline.add(new TimelineEntry(T.plusSeconds(900), TimelineType.Note, "newest"));

        ArrayNode ops = StatusUpdate.patch("41", read, next);

        assertThat(ops.toString().length()).isLessThan(400);
        JsonNode stored = applied(read, ops);
        assertThat(stored.at("/status/timeline")).isEqualTo(JSON.convertValue(next.timeline, JsonNode.class));
    }

    @Test
    void theIntakesFieldsAreNeverWrittenEvenWhenTheCopyHoldsOlderOnes() {
        IncidentStatus read = recorded(1);
        IncidentStatus next = StatusUpdate.copy(read, IncidentStatus::new);
        next.alerts.clear();
        next.alertsRevision = 1L;
        next.phase = Phase.Resolved;

        ArrayNode ops = StatusUpdate.patch("41", read, next);

        assertThat(ops.toString()).doesNotContain("alerts");
    }

    @Test
    void aFirstWriteReplacesTheStatusWholeUnderTheResourceVersionAndStartsTheRevision() {
        IncidentStatus read = recorded(0);
        read.recordRevision = null;
        IncidentStatus next = StatusUpdate.copy(read, IncidentStatus::new);
        next.phase = Phase.Triggered;

        ArrayNode ops = StatusUpdate.patch("41", read, next);

        assertThat(ops.get(0).toString())
                .isEqualTo("{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":\"41\"}");
        assertThat(ops.get(1).get("path").asText()).isEqualTo("/status");
        JsonNode stored = applied(read, ops);
        assertThat(stored.at("/status/recordRevision").asLong()).isEqualTo(1);
        assertThat(stored.at("/status/alerts/0/fingerprint").asText())
                .as("the alerts as read")
                .isEqualTo("f1");
    }

    @Test
    void aStatusNobodyElseWritesIsGuardedByTheResourceVersionAndDiffed() {
        EscalationPolicyStatus read = new EscalationPolicyStatus();
        read.observedGeneration = 1L;
        EscalationPolicyStatus next = StatusUpdate.copy(read, EscalationPolicyStatus::new);
        next.observedGeneration = 2L;

        ArrayNode ops = StatusUpdate.patch("41", read, next);

        assertThat(ops.toString())
                .isEqualTo(
                        "[{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\","
                                + "\"value\":\"41\"},{\"op\":\"replace\",\"path\":\"/status/observedGeneration\",\"value\":2}]");
    }

    @Test
    void aStatusTheIntakeStartedAtRevisionZeroIsDiffedUnderATestOfZeroNotTheResourceVersion() {
        IncidentStatus read = recorded(0);
        read.recordRevision = 0L;
        read.phase = null;
        IncidentStatus next = StatusUpdate.copy(read, IncidentStatus::new);
        next.phase = Phase.Triggered;

        ArrayNode ops = StatusUpdate.patch("41", read, next);

        assertThat(ops.get(0).toString())
                .isEqualTo("{\"op\":\"test\",\"path\":\"/status/recordRevision\",\"value\":0}");
        assertThat(ops.toString()).doesNotContain("resourceVersion").doesNotContain("alerts");
        assertThat(applied(read, ops).at("/status/recordRevision").asLong()).isEqualTo(1);
    }
}
