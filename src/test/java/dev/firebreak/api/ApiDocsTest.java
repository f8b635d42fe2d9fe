package dev.firebreak.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md documents every field of every CRD with the CRD's own description, and embeds each example as it is.
 * On failure, run hack/api-docs/generate.py (after hack/update-crds.sh) and commit docs/api.md.
 */
class ApiDocsTest {
    private static final Path DOCS = Path.of("docs/api.md");

    @Test
    void everyFieldIsDocumentedWithItsDescription() throws IOException {
        String docs = Files.readString(DOCS);
        List<String> missing = new ArrayList<>();
        CrdSchemaTest.crds().forEach((file, crd) -> {
            JsonNode properties = CrdSchemaTest.schema(crd).path("properties");
            rows("spec", properties.path("spec"), docs, file, missing);
            rows("status", properties.path("status"), docs, file, missing);
        });
        assertThat(missing)
                .as("fields of crds/ not documented in docs/api.md as the CRD describes them")
                .isEmpty();
    }

    private static void rows(String path, JsonNode node, String docs, String file, List<String> missing) {
        node.path("properties").fields().forEachRemaining(field -> {
            String fieldPath = path + "." + field.getKey();
            JsonNode schema = field.getValue();
            String description =
                    schema.path("description").asText("").replace("|", "\\|").replace("\n", " ");
            boolean documented = docs.lines()
                    .anyMatch(line -> line.startsWith("| `" + fieldPath + "` |") && line.contains(description));
            if (!documented) {
                missing.add(file + ": " + fieldPath);
            }
            if (schema.has("properties")) {
                rows(fieldPath, schema, docs, file, missing);
            }
            if (schema.path("items").has("properties")) {
                rows(fieldPath + "[]", schema.get("items"), docs, file, missing);
            }
        });
    }

    @Test
    void everyExampleIsEmbeddedAsItIs() throws IOException {
        String docs = Files.readString(DOCS);
        try (Stream<Path> files = Files.list(Path.of("deploy/examples"))) {
            for (Path example : files.filter(
                            f -> f.toString().endsWith(".yaml") && !f.toString().contains("namespace"))
                    .toList()) {
                assertThat(docs)
                        .as("docs/api.md embeds %s verbatim", example)
                        .contains(Files.readString(example).strip());
            }
        }
    }
}
