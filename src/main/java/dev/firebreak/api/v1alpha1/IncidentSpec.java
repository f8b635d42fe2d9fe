package dev.firebreak.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.spec.IncidentSource;
import dev.firebreak.api.v1alpha1.spec.Remediation;
import dev.firebreak.api.v1alpha1.spec.Resolution;
import dev.firebreak.api.v1alpha1.spec.StakeholderUpdate;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What humans (or the intake, on their behalf) say about an incident. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
// A rule on the field itself would not run when the source is added after creation (CEL transition rules are
// skipped when the old value is absent), so immutability is stated on the spec.
@ValidationRule(
        value = "has(oldSelf.source) == has(self.source) && (!has(self.source) || self.source == oldSelf.source)",
        message = "source is immutable: it can be neither changed nor added after creation")
public class IncidentSpec {
    @Required
    @Size(min = 1, max = 256)
    @JsonPropertyDescription("One-line title, as shown in pages and in 'kubectl get inc'.")
    public String title;

    @Size(max = 16384)
    @JsonPropertyDescription("What is happening, in more words.")
    public String description;

    @JsonPropertyDescription("Where the incident came from. Immutable.")
    public IncidentSource source = new IncidentSource();

    @Size(max = 16)
    @ValidationRule(
            value = "self.all(a, self.exists_one(b, b.kind == a.kind && b.name == a.name))",
            message = "affected workloads must be unique")
    @JsonPropertyDescription(
            "Workloads in the incident's namespace that are failing or implicated; the first one is shown in 'kubectl get inc'.")
    public List<WorkloadRef> affected = new ArrayList<>();

    @JsonPropertyDescription("Override of the measured impact: AllUsers, KeyFeatures, FewUsers or Minimal.")
    public Impact impact;

    @JsonPropertyDescription("Override of the urgency: Immediate, High, Medium or Low.")
    public Urgency urgency;

    @JsonPropertyDescription(
            "Override of the severity, which otherwise follows impact x urgency: Critical, High, Medium or Low.")
    public Severity severity;

    @JsonPropertyDescription(
            "EscalationPolicy to use; unset picks the best match by severity and labels in the namespace.")
    public LocalRef escalationPolicyRef;

    @JsonPropertyDescription("What Firebreak may do to mitigate the incident.")
    public Remediation remediation;

    @Size(max = 128)
    @JsonPropertyDescription(
            "Who acknowledged the incident. Setting it (for example with 'kubectl firebreak ack') stops escalation.")
    public String acknowledgedBy;

    @JsonPropertyDescription("A human's declaration that the incident is resolved.")
    public Resolution resolution;

    @Size(max = 100)
    @JsonPropertyDescription("Stakeholder updates, oldest first; each is sent to every channel already notified.")
    public List<StakeholderUpdate> updates = new ArrayList<>();

    @Default("false")
    @ValidationRule(value = "self == oldSelf", message = "drill is immutable: open a new incident instead")
    @JsonPropertyDescription(
            "A rehearsal: Firebreak goes through every step but rolls nothing back, and marks every notification [DRILL]. Immutable.")
    public boolean drill;
}
