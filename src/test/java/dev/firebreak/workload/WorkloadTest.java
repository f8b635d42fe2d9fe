package dev.firebreak.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one reading of workloads: ownership, the revision in force, revision numbers. */
class WorkloadTest {
    private static final Deployment CHECKOUT = new DeploymentBuilder()
            .withNewMetadata()
            .withName("checkout")
            .withNamespace("shop")
            .withUid("d-uid")
            .addToAnnotations(Revisions.REVISION, "3")
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .endSpec()
            .build();

    private static ReplicaSet replicaSet(
            String revision, String ownerKind, String ownerName, String uid, Boolean controller) {
        return new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(ownerName + "-" + revision)
                .withNamespace("shop")
                .addToAnnotations(Revisions.REVISION, revision)
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withKind(ownerKind)
                        .withName(ownerName)
                        .withUid(uid)
                        .withController(controller)
                        .build())
                .endMetadata()
                .build();
    }

    private static ControllerRevision revision(String name, long number, String ownerUid) {
        return new ControllerRevisionBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("shop")
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withKind("StatefulSet")
                        .withName("db")
                        .withUid(ownerUid)
                        .withController(true)
                        .build())
                .endMetadata()
                .withRevision(number)
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "the controller with the workload's UID,        Deployment, checkout, d-uid, true,  true",
        "an owner that is not the controller,           Deployment, checkout, d-uid, false, false",
        "no controller flag,                            Deployment, checkout, d-uid,      , false",
        "another UID (a Deployment of the same name recreated), Deployment, checkout, old-uid, true, false",
        "another workload's,                            Deployment, other,    o-uid, true,  false",
    })
    void aWorkloadControlsOnlyWhatNamesItAsControllerByUid(
            String what, String kind, String name, String uid, Boolean controller, boolean controls) {
        assertThat(Workload.of(CHECKOUT).controls(replicaSet("3", kind, name, uid, controller)))
                .as(what)
                .isEqualTo(controls);
    }

    @Test
    void withoutAUidTheOwnerIsMatchedByKindAndName() {
        Deployment noUid = new DeploymentBuilder(CHECKOUT)
                .editMetadata()
                .withUid(null)
                .endMetadata()
                .build();
        assertThat(Workload.of(noUid).controls(replicaSet("3", "Deployment", "checkout", "x", true)))
                .isTrue();
        assertThat(Workload.of(noUid).controls(replicaSet("3", "StatefulSet", "checkout", "x", true)))
                .isFalse();
    }

    @Test
    void aDeploymentsRevisionInForceIsTheOneItsAnnotationNamesElseTheNewestItControls() {
        ReplicaSet r2 = replicaSet("2", "Deployment", "checkout", "d-uid", true);
        ReplicaSet r3 = replicaSet("3", "Deployment", "checkout", "d-uid", true);
        ReplicaSet r4 = replicaSet("4", "Deployment", "checkout", "d-uid", true);
        ReplicaSet foreign = replicaSet("9", "Deployment", "other", "o-uid", true);
        Workload w = Workload.of(CHECKOUT);
        assertThat(w.current(List.of(r4, foreign, r3, r2))).containsSame(r3);
        assertThat(w.current(List.of(foreign, r2, r4))).containsSame(r4);
        assertThat(w.current(List.of(foreign))).isEmpty();
    }

    @Test
    void aStatefulSetsRevisionInForceIsItsUpdateRevisionAndADaemonSetsTheNewest() {
        ControllerRevision a = revision("db-a", 1, "s-uid");
        ControllerRevision b = revision("db-b", 2, "s-uid");
        ControllerRevision foreign = revision("db-z", 7, "other");
        StatefulSet sts = new StatefulSetBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace("shop")
                .withUid("s-uid")
                .endMetadata()
                .withNewStatus()
                .withUpdateRevision("db-a")
                .endStatus()
                .build();
        assertThat(Workload.of(sts).current(List.of(b, a, foreign))).containsSame(a);
        sts.getStatus().setUpdateRevision(null);
        assertThat(Workload.of(sts).current(List.of(a, b, foreign))).containsSame(b);
        HasMetadata ds = new DaemonSetBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace("shop")
                .withUid("s-uid")
                .endMetadata()
                .build();
        assertThat(Workload.of(ds).current(List.of(a, foreign, b))).containsSame(b);
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(
            value = {"7,7", "0,0", "'',0", "seven,0", "-1,-1", "99999999999999999999,0", "NULL,0"},
            nullValues = "NULL")
    void revisionNumbersParseOrAreZero(String annotation, long number) {
        assertThat(Revisions.number(annotation == null ? Map.of() : Map.of(Revisions.REVISION, annotation)))
                .isEqualTo(number);
        assertThat(Revisions.number((Map<String, String>) null)).isZero();
    }

    @Test
    void anythingElseIsNotAWorkload() {
        assertThatThrownBy(() -> Workload.of(new ConfigMap()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConfigMap");
    }
}
