package dev.firebreak.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.api.v1alpha1.status.NotificationRecord;
import dev.firebreak.api.v1alpha1.status.TargetRef;
import dev.firebreak.testing.CrdValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A notification's policy target, stored as readable text and read back as a type. */
class TargetRefTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "levels[0].targets[0], 0, 0",
        "levels[3].targets[12], 3, 12",
        "levels[999999999].targets[1], 999999999, 1"
    })
    void theStoredTextReadsBackAsTheSameReference(String text, int level, int target) throws Exception {
        TargetRef ref = TargetRef.parse(text);
        assertThat(ref).isEqualTo(new TargetRef(level, target));
        assertThat(ref.toString()).isEqualTo(text);
        NotificationRecord r = new NotificationRecord();
        r.targetRef = ref;
        String json = JSON.writeValueAsString(r);
        assertThat(json).contains("\"targetRef\":\"" + text.replace("[", "[") + "\"");
        assertThat(JSON.readValue(json, NotificationRecord.class).targetRef).isEqualTo(ref);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(
            strings = {
                "",
                "levels[1]",
                "levels[-1].targets[0]",
                "levels[1].targets[0] ",
                "levels[1].targets[0]\n",
                "levels[١].targets[0]",
                "levels[9999999999].targets[0]",
                "levels[1].targets[0].extra",
                "LEVELS[1].TARGETS[0]"
            })
    void anythingElseIsRefusedNamingIt(String text) {
        assertThatThrownBy(() -> TargetRef.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a target reference");
    }

    /** The committed CRD refuses any other text in status, as the API server would (so nothing else is ever stored). */
    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"levels[1]", "levels[1].targets[0] ", "slack #payments", "levels[a].targets[0]"})
    void theCrdRefusesAnyOtherText(String text) throws Exception {
        var incident = (ObjectNode) JSON.readTree("""
                {"apiVersion": "firebreak.dev/v1alpha1", "kind": "Incident", "metadata": {"name": "x"},
                 "spec": {"title": "t"},
                 "status": {"escalation": {"notifications": [{"targetRef": "levels[0].targets[0]"}]}}}
                """);
        assertThat(CrdValidator.validate("incidents.firebreak.dev-v1.yml", incident))
                .as("the valid one")
                .isEmpty();
        ((ObjectNode) incident.at("/status/escalation/notifications/0")).put("targetRef", text);
        assertThat(CrdValidator.validate("incidents.firebreak.dev-v1.yml", incident))
                .anySatisfy(p -> assertThat(p).contains("targetRef"));
    }
}
