package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Something is broken and someone has to act: an alert group, a failing rollout, or a human's declaration. */
// Printer columns appear in the order declared here (see PrinterColumnOrder).
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("inc")
@AdditionalPrinterColumn(name = "Severity", jsonPath = ".status.severity", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Impact",
        jsonPath = ".status.classification.impact",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Acknowledged-By",
        jsonPath = ".spec.acknowledgedBy",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Workload",
        jsonPath = ".spec.affected[0].name",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class Incident extends CustomResource<IncidentSpec, IncidentStatus> implements Namespaced {
    @Override
    @JsonPropertyDescription("What humans (or the intake, on their behalf) say about the incident.")
    public IncidentSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What Firebreak observed and decided.")
    public IncidentStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected IncidentStatus initStatus() {
        return new IncidentStatus();
    }
}
