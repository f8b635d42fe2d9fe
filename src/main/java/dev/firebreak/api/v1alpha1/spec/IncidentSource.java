package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.type != 'Alertmanager' || (has(self.receiver) && has(self.groupKey))",
        message = "an Alertmanager source needs receiver and groupKey")
@ValidationRule(
        value = "self.type == 'Alertmanager' || !(has(self.receiver) || has(self.groupKey) || has(self.externalURL))",
        message = "receiver, groupKey and externalURL are only for an Alertmanager source")
@ValidationRule(
        value = "self.type == 'Rollout' || !(has(self.revision) || has(self.images) || has(self.signal))",
        message = "revision, images and signal are only for a Rollout source")
public class IncidentSource {
    @Default("Manual")
    @JsonPropertyDescription(
            "What opened the incident: Alertmanager (an alert group), Rollout (a failing rollout detected by Firebreak) or Manual (a human).")
    public SourceType type = SourceType.Manual;

    @Size(max = 253)
    @JsonPropertyDescription("Alertmanager receiver that delivered the alert group.")
    public String receiver;

    @Size(max = 4096)
    @JsonPropertyDescription("Alertmanager groupKey identifying the alert group; with receiver it names the incident.")
    public String groupKey;

    @Size(max = 2048)
    @JsonPropertyDescription("URL of the Alertmanager that sent the alerts.")
    public String externalURL;

    @Size(max = 253)
    @JsonPropertyDescription(
            "For a Rollout source: the revision that started failing: a Deployment's deployment.kubernetes.io/revision number, or the name of a StatefulSet's or DaemonSet's ControllerRevision.")
    public String revision;

    @Size(max = 16)
    @JsonPropertyDescription("For a Rollout source: the container images of the failing revision.")
    public List<String> images;

    @Size(max = 64)
    @JsonPropertyDescription(
            "For a Rollout source: what showed the failure: ProgressDeadlineExceeded, ReplicaSetCreateError or ReplicaFailure (Deployment conditions), or a container waiting reason of the revision's pods (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, CreateContainerConfigError, CreateContainerError).")
    public String signal;

    @Size(max = 8)
    @JsonPropertyDescription(
            "What the intake changed or left out to store what it was sent (a namespace that does not exist, a label that is not a Kubernetes name, text cut to its limit), and why. Set when the incident is opened.")
    public List<IntakeNote> notes;

    public IncidentSource() {}

    public IncidentSource(SourceType type) {
        this.type = type;
    }
}
