package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The review of a resolved incident: facts drafted by Firebreak, judgement written by humans. */
// Printer columns appear in the order declared here (see PrinterColumnOrder).
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("pir")
@AdditionalPrinterColumn(
        name = "Incident",
        jsonPath = ".spec.incidentRef.name",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "State", jsonPath = ".spec.state", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Severity", jsonPath = ".status.severity", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Overdue",
        jsonPath = ".status.actionItems.overdue",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class PostIncidentReview extends CustomResource<PostIncidentReviewSpec, PostIncidentReviewStatus>
        implements Namespaced {
    @Override
    @JsonPropertyDescription("What humans write: the analysis, lessons and improvement plan.")
    public PostIncidentReviewSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Facts copied from the incident and action-item counts.")
    public PostIncidentReviewStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected PostIncidentReviewStatus initStatus() {
        return new PostIncidentReviewStatus();
    }
}
