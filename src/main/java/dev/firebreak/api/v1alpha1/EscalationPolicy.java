package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Who is paged for an incident, in which order. Replaces a PagerDuty/Opsgenie escalation policy, kept in Git. */
// Printer columns appear in the order declared here (see PrinterColumnOrder).
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("escpol")
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Reason",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class EscalationPolicy extends CustomResource<EscalationPolicySpec, EscalationPolicyStatus>
        implements Namespaced {
    @Override
    @JsonPropertyDescription("Who is notified, in which order, and after which delays.")
    public EscalationPolicySpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Whether the policy's references resolve, and which incidents escalate under it.")
    public EscalationPolicyStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected EscalationPolicyStatus initStatus() {
        return new EscalationPolicyStatus();
    }
}
