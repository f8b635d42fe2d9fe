package dev.firebreak.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.Impact;
import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.Urgency;
import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.testing.Yaml;
import dev.firebreak.workload.WorkloadHealth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassifierTest {
    private final Classifier classifier = new Classifier(SeverityMatrix.DEFAULT);

    private static IncidentSpec spec(String yaml) {
        return Yaml.read("title: t\n" + yaml, IncidentSpec.class);
    }

    private static AlertRecord alert(String name, AlertState state, Map<String, String> labels) {
        AlertRecord a = new AlertRecord();
        a.alertname = name;
        a.fingerprint = "fp-" + name;
        a.state = state;
        a.labels = labels;
        return a;
    }

    private static WorkloadHealth deployment(String name, int desired, int available, boolean critical) {
        return new WorkloadHealth(
                new WorkloadRef(WorkloadKind.Deployment, name), "shop", true, desired, available, critical);
    }

    @Test
    void theSpecsSeverityWinsOverEverything() {
        Classification c = classifier.classify(
                spec("severity: Low\nimpact: AllUsers\nurgency: Immediate"),
                List.of(alert("Down", AlertState.Firing, Map.of("severity", "critical"))),
                List.of(deployment("checkout", 3, 0, true)));
        assertThat(c.severity()).isEqualTo(Severity.Low);
        assertThat(c.reason()).isEqualTo("set in the incident's spec (spec.severity)");
        assertThat(c.impact()).isEqualTo(Impact.AllUsers);
    }

    @Test
    void theSpecsImpactAndUrgencyWinOverLabelsAndMeasurements() {
        Classification c = classifier.classify(
                spec("impact: Minimal\nurgency: Low"),
                List.of(alert("Down", AlertState.Firing, Map.of("severity", "warning", "impact", "AllUsers"))),
                List.of(deployment("checkout", 3, 0, false)));
        assertThat(c)
                .isEqualTo(new Classification(
                        Impact.Minimal,
                        Urgency.Low,
                        Severity.Medium,
                        "impact Minimal: set in the incident's spec; urgency Low: set in the incident's spec; at least Medium: "
                                + "label severity=\"warning\" on alert Down"));
        assertThat(classifier
                        .classify(
                                spec("impact: Minimal\nurgency: Low\nseverity: Low"),
                                List.of(alert("Down", AlertState.Firing, Map.of("severity", "critical"))),
                                List.of())
                        .severity())
                .as("only spec.severity goes below the alert's own severity")
                .isEqualTo(Severity.Low);
    }

    @ParameterizedTest(name = "severity label {0} -> urgency {1}")
    @CsvSource({
        "critical, Immediate",
        "error, High",
        "high, High",
        "warning, Medium",
        "info, Low",
        "none, Low",
        "CRITICAL, Immediate"
    })
    void theConventionalSeverityLabelGivesTheUrgency(String label, Urgency urgency) {
        Classification c = classifier.classify(
                spec(""), List.of(alert("HighCpuUsage", AlertState.Firing, Map.of("severity", label))), List.of());
        assertThat(c.urgency()).isEqualTo(urgency);
        assertThat(c.reason())
                .contains("urgency " + urgency + ": label severity=\"" + label + "\" on alert HighCpuUsage");
    }

    @ParameterizedTest(name = "severity label {0}, impact {1}: {2}")
    @CsvSource({
        // A critical alert with nothing measured reaches Critical, so that a policy for Critical incidents binds it.
        "critical, , Critical",
        "page, , Critical",
        "P1, , Critical",
        "major, , High",
        "warning, , Medium",
        // The matrix may raise the floor...
        "info, AllUsers, High",
        "warning, AllUsers, High",
        // ...and never lower it.
        "critical, Minimal, Critical",
        "error, Minimal, High"
    })
    void theSeverityLabelIsAFloorTheMatrixMayRaise(String label, Impact impact, Severity severity) {
        Classification c = classifier.classify(
                spec(impact == null ? "" : "impact: " + impact),
                List.of(alert("Down", AlertState.Firing, Map.of("severity", label))),
                List.of());
        assertThat(c.severity()).isEqualTo(severity);
    }

    @Test
    void withoutTheFloorASeverityLabelGivesOnlyTheUrgency() {
        Classification c = new Classifier(SeverityMatrix.DEFAULT, Map.of())
                .classify(
                        spec(""), List.of(alert("Down", AlertState.Firing, Map.of("severity", "critical"))), List.of());
        assertThat(c.severity()).isEqualTo(Severity.High);
        assertThat(c.reason()).doesNotContain("at least");
    }

    @Test
    void impactAndUrgencyLabelsWinOverTheSeverityLabelAndTheMeasurement() {
        Classification c = classifier.classify(
                spec(""),
                List.of(alert(
                        "Slow",
                        AlertState.Firing,
                        Map.of("impact", "key-features", "urgency", "high", "severity", "info"))),
                List.of(deployment("checkout", 3, 0, false)));
        assertThat(c.impact()).isEqualTo(Impact.KeyFeatures);
        assertThat(c.urgency()).isEqualTo(Urgency.High);
        assertThat(c.severity()).isEqualTo(Severity.High);
    }

    @Test
    void theWorstFiringAlertCounts() {
        Classification c = classifier.classify(
                spec(""),
                List.of(
                        alert("A", AlertState.Firing, Map.of("severity", "warning")),
                        alert("B", AlertState.Firing, Map.of("severity", "critical")),
                        alert("C", AlertState.Resolved, Map.of("severity", "critical", "impact", "AllUsers"))),
                List.of());
        assertThat(c.urgency()).isEqualTo(Urgency.Immediate);
        assertThat(c.reason()).contains("on alert B");
        assertThat(c.impact())
                .as("a resolved alert's labels no longer count while others fire")
                .isEqualTo(Impact.FewUsers);
    }

    @ParameterizedTest(name = "{1} of {0} available, critical={2} -> {3}")
    @CsvSource({
        "3, 0, false, AllUsers",
        "4, 2, false, KeyFeatures",
        "3, 1, false, KeyFeatures",
        "3, 2, false, FewUsers",
        "3, 3, false, Minimal",
        "0, 0, false, Minimal",
        "3, 2, true, KeyFeatures",
        "3, 1, true, AllUsers",
        "3, 0, true, AllUsers",
        "3, 3, true, FewUsers"
    })
    void measuredImpactFollowsTheShareOfReplicasUnavailable(
            int desired, int available, boolean critical, Impact expected) {
        Classification c =
                classifier.classify(spec(""), List.of(), List.of(deployment("checkout", desired, available, critical)));
        assertThat(c.impact()).isEqualTo(expected);
    }

    @Test
    void theReasonSaysWhatWasMeasured() {
        Classification c = classifier.classify(
                spec(""),
                List.of(alert("CheckoutDown", AlertState.Firing, Map.of("severity", "critical"))),
                List.of(deployment("checkout", 3, 0, false), deployment("cart", 2, 2, false)));
        assertThat(c)
                .isEqualTo(new Classification(
                        Impact.AllUsers,
                        Urgency.Immediate,
                        Severity.Critical,
                        "impact AllUsers: 0 of 3 replicas of deployment shop/checkout available; "
                                + "urgency Immediate: label severity=\"critical\" on alert CheckoutDown"));
    }

    @Test
    void missingWorkloadsAreNotMeasured() {
        WorkloadHealth missing =
                new WorkloadHealth(new WorkloadRef(WorkloadKind.Deployment, "gone"), "shop", false, 0, 0, false);
        Classification c = classifier.classify(spec(""), List.of(), List.of(missing));
        assertThat(c.impact()).isEqualTo(Impact.FewUsers);
    }

    @Test
    void withoutEvidenceAnIncidentIsMedium() {
        Classification c = classifier.classify(spec(""), List.of(), List.of());
        assertThat(c)
                .isEqualTo(new Classification(
                        Impact.FewUsers,
                        Urgency.Medium,
                        Severity.Medium,
                        "impact FewUsers: no alert label or workload measurement says otherwise; "
                                + "urgency Medium: no alert label or override says otherwise"));
    }
}
