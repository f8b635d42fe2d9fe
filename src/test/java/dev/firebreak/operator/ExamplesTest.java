package dev.firebreak.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.ApiGroup;
import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.api.v1alpha1.HasConditions;
import dev.firebreak.status.Conditions;
import dev.firebreak.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every object in deploy/examples/ applies, and each Firebreak object in it becomes Ready=True. */
@QuarkusTest
@WithTestResource(RealApiServer.class)
class ExamplesTest {
    private static final Path EXAMPLES = Path.of("deploy/examples");

    @Inject
    KubernetesClient client;

    @Test
    void theExamplesAreValid() throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                objects.addAll(client.load(Files.newInputStream(file)).items());
            }
        }
        assertThat(objects.stream()
                        .filter(o -> o.getApiVersion().equals(ApiGroup.API_VERSION))
                        .map(HasMetadata::getKind)
                        .collect(Collectors.toSet()))
                .as("one example of each kind")
                .containsExactlyInAnyOrder("Incident", "EscalationPolicy", "OnCallSchedule", "PostIncidentReview");

        objects.forEach(o -> client.resource(o).createOr(existing -> existing.update()));

        for (HasMetadata object : objects) {
            if (!(object instanceof CustomResource<?, ?>)) {
                continue;
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HasMetadata current = client.resource(object).get();
                Object status = ((CustomResource<?, ?>) current).getStatus();
                assertThat(status)
                        .as(
                                "%s %s has a status",
                                object.getKind(), object.getMetadata().getName())
                        .isInstanceOf(HasConditions.class);
                assertThat(Conditions.find(((HasConditions) status).getConditions(), Conditions.READY))
                        .as(
                                "Ready of %s %s",
                                object.getKind(), object.getMetadata().getName())
                        .hasValueSatisfying(c -> assertThat(c.status)
                                .as(
                                        "%s %s: %s",
                                        object.getKind(), object.getMetadata().getName(), c.message)
                                .isEqualTo(ConditionStatus.True));
            });
        }
    }

    @Test
    void theExampleFilesHoldOnlyKubernetesObjects() throws IOException {
        Set<String> kinds;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            kinds = files.filter(f -> f.toString().endsWith(".yaml"))
                    .flatMap(f -> {
                        try {
                            return client.load(Files.newInputStream(f)).items().stream();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(HasMetadata::getKind)
                    .collect(Collectors.toSet());
        }
        assertThat(kinds)
                .isSubsetOf(
                        "Namespace", "Secret", "Incident", "EscalationPolicy", "OnCallSchedule", "PostIncidentReview");
    }
}
