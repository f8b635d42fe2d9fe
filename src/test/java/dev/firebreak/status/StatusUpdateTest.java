package dev.firebreak.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusUpdateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Map<String, Object>> ops(String patch) throws Exception {
        return JSON.readValue(patch, new TypeReference<>() {
        });
    }

    @Test
    void aFieldPatchReplacesChangedFieldsWholeAndRemovesTheOnesGone() throws Exception {
        List<Map<String, Object>> ops = ops(StatusUpdate.fieldPatch(
                Map.of("phase", "Triggered", "timeline", List.of("a"), "resolvedAt", "2026-11-23T10:00:00Z"),
                Map.of("phase", "Triggered", "timeline", List.of("a", "b"), "reopenCount", 1)));
        assertThat(ops).containsExactlyInAnyOrder(
                Map.of("op", "add", "path", "/status/timeline", "value", List.of("a", "b")),
                Map.of("op", "add", "path", "/status/reopenCount", "value", 1),
                Map.of("op", "remove", "path", "/status/resolvedAt"));
    }

    @Test
    void aFirstStatusIsAddedWhole() throws Exception {
        assertThat(ops(StatusUpdate.fieldPatch(null, Map.of("phase", "Triggered"))))
                .containsExactly(Map.of("op", "add", "path", "/status", "value", Map.of("phase", "Triggered")));
    }
}
