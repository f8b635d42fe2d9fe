package dev.firebreak.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs read well in 'kubectl explain' and carry what users rely on. (That they match what the build
 * generates is checked by CrdsInSyncIT after packaging; their CEL rules are evaluated by CelRulesTest.)
 */
class CrdSchemaTest {
    static final Path CRDS = Path.of("crds");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    static Map<String, JsonNode> crds() {
        try (Stream<Path> files = Files.list(CRDS)) {
            return files.filter(f -> f.toString().endsWith(".yml"))
                    .sorted()
                    .collect(Collectors.toMap(
                            f -> f.getFileName().toString(), CrdSchemaTest::read, (a, b) -> a, TreeMap::new));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return MAPPER.valueToTree(YAML.unmarshal(Files.readString(file), Map.class));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode schema(JsonNode crd) {
        return crd.at("/spec/versions/0/schema/openAPIV3Schema");
    }

    @Test
    void thereIsOneCrdPerKind() {
        assertThat(crds())
                .containsOnlyKeys(
                        "escalationpolicies.firebreak.dev-v1.yml",
                        "incidents.firebreak.dev-v1.yml",
                        "oncallschedules.firebreak.dev-v1.yml",
                        "postincidentreviews.firebreak.dev-v1.yml");
    }

    @Test
    void everyFieldHasADescription() {
        List<String> undescribed = new ArrayList<>();
        crds().forEach((file, crd) -> {
            JsonNode root = schema(crd);
            walk(file + ":spec", root.path("properties").path("spec"), undescribed);
            walk(file + ":status", root.path("properties").path("status"), undescribed);
        });
        assertThat(undescribed).as("fields without a description").isEmpty();
    }

    private static void walk(String path, JsonNode node, List<String> undescribed) {
        if (!node.has("description")) {
            undescribed.add(path);
        }
        // A Kubernetes LabelSelector is explained by 'kubectl explain' for Deployments; its parts need no words here.
        if (path.endsWith(".selector")) {
            return;
        }
        node.path("properties")
                .fields()
                .forEachRemaining(f -> walk(path + "." + f.getKey(), f.getValue(), undescribed));
        if (node.has("items")) {
            node.get("items")
                    .path("properties")
                    .fields()
                    .forEachRemaining(f -> walk(path + "[]." + f.getKey(), f.getValue(), undescribed));
        }
    }

    @Test
    void everyKindHasAStatusSubresourceAndObservedGenerationAndConditions() {
        crds().forEach((file, crd) -> {
            assertThat(crd.at("/spec/versions/0/subresources/status").isObject())
                    .as(file)
                    .isTrue();
            assertThat(crd.at("/spec/scope").asText()).as(file).isEqualTo("Namespaced");
            JsonNode status = schema(crd).at("/properties/status/properties");
            assertThat(status.has("observedGeneration")).as(file).isTrue();
            JsonNode condition = status.at("/conditions/items");
            assertThat(condition.at("/properties").fieldNames())
                    .toIterable()
                    .as(file)
                    .containsExactlyInAnyOrder(
                            "type", "status", "reason", "message", "lastTransitionTime", "observedGeneration");
            assertThat(condition.at("/properties/status/enum"))
                    .as(file)
                    .extracting(JsonNode::asText)
                    .containsExactly("False", "True", "Unknown");
        });
    }

    @Test
    void shortNamesAreTheDocumentedOnes() {
        Map<String, JsonNode> crds = crds();
        assertThat(crds.get("incidents.firebreak.dev-v1.yml")
                        .at("/spec/names/shortNames/0")
                        .asText())
                .isEqualTo("inc");
        assertThat(crds.get("escalationpolicies.firebreak.dev-v1.yml")
                        .at("/spec/names/shortNames/0")
                        .asText())
                .isEqualTo("escpol");
        assertThat(crds.get("oncallschedules.firebreak.dev-v1.yml")
                        .at("/spec/names/shortNames/0")
                        .asText())
                .isEqualTo("oncall");
        assertThat(crds.get("postincidentreviews.firebreak.dev-v1.yml")
                        .at("/spec/names/shortNames/0")
                        .asText())
                .isEqualTo("pir");
    }

    @Test
    void incidentColumnsShowHowBadItIsFirst() {
        JsonNode columns = crds().get("incidents.firebreak.dev-v1.yml").at("/spec/versions/0/additionalPrinterColumns");
        assertThat(columns)
                .extracting(
                        c -> c.get("name").asText() + "=" + c.get("jsonPath").asText())
                .containsExactly(
                        "Severity=.status.severity",
                        "Phase=.status.phase",
                        "Impact=.status.classification.impact",
                        "Acknowledged-By=.spec.acknowledgedBy",
                        "Workload=.spec.affected[0].name",
                        "Age=.metadata.creationTimestamp");
    }

    @Test
    void closedSetsAreEnumsAndDefaultsAreDeclared() {
        JsonNode incident = schema(crds().get("incidents.firebreak.dev-v1.yml")).at("/properties");
        assertThat(incident.at("/spec/properties/severity/enum"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Critical", "High", "Medium", "Low");
        assertThat(incident.at("/spec/properties/impact/enum"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("AllUsers", "KeyFeatures", "FewUsers", "Minimal");
        assertThat(incident.at("/spec/properties/urgency/enum"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Immediate", "High", "Medium", "Low");
        assertThat(incident.at("/spec/properties/remediation/properties/rollback/enum"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Auto", "Manual", "Disabled");
        assertThat(incident.at("/status/properties/phase/enum"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Triggered", "Acknowledged", "Mitigating", "Mitigated", "Resolved");
        assertThat(incident.at("/spec/properties/source/properties/type/default")
                        .asText())
                .isEqualTo("Manual");
        assertThat(incident.at("/spec/required")).extracting(JsonNode::asText).containsExactly("title");

        JsonNode policy =
                schema(crds().get("escalationpolicies.firebreak.dev-v1.yml")).at("/properties/spec");
        assertThat(policy.at("/properties/reviewThreshold/default").asText()).isEqualTo("High");
        assertThat(policy.at("/properties/repeat/default").asInt()).isZero();
        JsonNode review =
                schema(crds().get("postincidentreviews.firebreak.dev-v1.yml")).at("/properties/spec");
        assertThat(review.at("/properties/state/default").asText()).isEqualTo("Draft");
    }
}
