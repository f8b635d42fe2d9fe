package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An on-call rotation: who is paged when an escalation level names this schedule. */
// Printer columns appear in the order declared here (see PrinterColumnOrder).
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("oncall")
@AdditionalPrinterColumn(name = "On-Call", jsonPath = ".status.onCallNow", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Next-Handoff",
        jsonPath = ".status.nextHandoff",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class OnCallSchedule extends CustomResource<OnCallScheduleSpec, OnCallScheduleStatus> implements Namespaced {
    @Override
    @JsonPropertyDescription("The rotations, restrictions and overrides that say who is on call.")
    public OnCallScheduleSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Who is on call now and when that changes.")
    public OnCallScheduleStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected OnCallScheduleStatus initStatus() {
        return new OnCallScheduleStatus();
    }
}
