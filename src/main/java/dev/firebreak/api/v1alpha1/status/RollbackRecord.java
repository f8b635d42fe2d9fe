package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What Firebreak decided or did about rolling back. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class RollbackRecord {
    @JsonPropertyDescription("Proposed, InProgress, Succeeded, Failed or Skipped.")
    public RollbackState state;

    @JsonPropertyDescription("The workload rolled back (or considered).")
    public WorkloadRef workload;

    @JsonPropertyDescription("Revision the workload was on.")
    public Long fromRevision;

    @JsonPropertyDescription(
            "The revision in force when the incident was detected: the only one it may roll back without being asked. A revision that rolls out after detection is probably the fix.")
    public Long suspectRevision;

    @JsonPropertyDescription("Revision restored: the newest one observed healthy.")
    public Long toRevision;

    @JsonPropertyDescription("Container images of the revision rolled back from.")
    public List<String> fromImages = new ArrayList<>();

    @JsonPropertyDescription("Container images of the revision restored.")
    public List<String> toImages = new ArrayList<>();

    @JsonPropertyDescription("Why, in words: what was decided and on what grounds.")
    public String reason;

    @JsonPropertyDescription("When the rollback was proposed.")
    public Instant proposedAt;

    @JsonPropertyDescription(
            "When the rollback was decided. While InProgress without startedAt, the decision is recorded and the patch not yet accepted.")
    public Instant decidedAt;

    @JsonPropertyDescription("When the rollback patch was accepted.")
    public Instant startedAt;

    @JsonPropertyDescription("When the rollback succeeded or failed.")
    public Instant finishedAt;

    @JsonPropertyDescription(
            "What a Skipped or Proposed decision was taken on (revision, opt-in, approval, ...): it is taken again only when one of these changes, and then says which.")
    public Map<String, String> decidedOn = new TreeMap<>();
}
