package dev.firebreak.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.workload.Revisions;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RevisionRollbackTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private static StatefulSet sts() {
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace("shop")
                .withUid("s-uid")
                .withResourceVersion("99")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "db")
                .endSelector()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("db")
                .withImage("postgres:18")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** A ControllerRevision as the StatefulSet controller writes it: data = the template as a patch. */
    private static ControllerRevision revision(long number, String hash, String image, boolean healthy) {
        ControllerRevisionBuilder b = new ControllerRevisionBuilder()
                .withNewMetadata()
                .withName("db-" + hash)
                .withNamespace("shop")
                .addNewOwnerReference()
                .withKind("StatefulSet")
                .withName("db")
                .withUid("s-uid")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withRevision(number)
                .withData(Map.of(
                        "spec",
                        Map.of(
                                "template",
                                Map.of(
                                        "$patch",
                                        "replace",
                                        "spec",
                                        Map.of("containers", List.of(Map.of("name", "db", "image", image)))))));
        if (healthy) {
            b.editMetadata()
                    .addToAnnotations(Revisions.OBSERVED_HEALTHY, "2026-11-24T08:00:00Z")
                    .endMetadata();
        }
        return b.build();
    }

    @Test
    void theNewestHealthyUnimplicatedRevisionIsRestoredAsItsData() {
        var outcome = RevisionRollback.plan(
                sts(),
                "db-c3",
                List.of(
                        revision(1, "a1", "postgres:16", true),
                        revision(2, "b2", "postgres:17", true),
                        revision(3, "c3", "postgres:18", false)),
                Set.of(),
                JSON);
        RevisionRollback.Plan plan = outcome.plan().orElseThrow();
        assertThat(plan.fromRevision()).isEqualTo(3);
        assertThat(plan.toRevision()).isEqualTo(2);
        assertThat(plan.fromImages()).containsExactly("postgres:18");
        assertThat(plan.toImages()).containsExactly("postgres:17");
        String patch = RevisionRollback.patch(sts(), plan, "firebreak: incident shop/x rolled back revision 3", JSON);
        assertThat(patch)
                .contains(
                        "\"$patch\":\"replace\"",
                        "\"image\":\"postgres:17\"",
                        "\"resourceVersion\":\"99\"",
                        "\"kubernetes.io/change-cause\":\"firebreak: incident shop/x rolled " + "back revision 3\"");
    }

    @Test
    void implicatedOrNeverHealthyRevisionsAreNotTargets() {
        var outcome = RevisionRollback.plan(
                sts(),
                "db-c3",
                List.of(
                        revision(1, "a1", "postgres:16", false),
                        revision(2, "b2", "postgres:17", true),
                        revision(3, "c3", "postgres:18", false)),
                Set.of("db-b2"),
                JSON);
        assertThat(outcome.plan()).isEmpty();
        assertThat(outcome.reason())
                .isEqualTo("no earlier revision was observed healthy and is free of failures: "
                        + "db-a1 (never seen healthy), db-b2 (implicated)");
    }

    @Test
    void noHistoryAndSameTemplate() {
        assertThat(RevisionRollback.plan(
                                sts(), "db-c3", List.of(revision(3, "c3", "postgres:18", false)), Set.of(), JSON)
                        .reason())
                .startsWith("no earlier revision to restore");
        var same = RevisionRollback.plan(
                sts(),
                "db-c3",
                List.of(revision(2, "b2", "postgres:18", true), revision(3, "c3", "postgres:18", false)),
                Set.of(),
                JSON);
        assertThat(same.nothingToDo()).isTrue();
    }
}
