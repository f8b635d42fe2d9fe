package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Remediation {
    @JsonPropertyDescription(
            "Rollback of the affected workload: Auto, Manual (propose and wait for approval) or Disabled. Unset follows the workload's firebreak.dev/auto-rollback annotation and its namespace's label; Disabled always wins.")
    public RollbackMode rollback;

    @Size(max = 253)
    @JsonPropertyDescription(
            "Who approved the rollback Firebreak proposed (with rollback Manual): set by 'kubectl firebreak approve-rollback'. An approved rollback is not subject to the automatic rollbacks' switch, cooldown and circuit breaker.")
    public String approvedBy;

    @Min(1)
    @JsonPropertyDescription(
            "A revision a human asks to have rolled back, by its number in 'kubectl rollout history': lifts the cause window, so that a revision that rolled out after the incident was detected (which Firebreak otherwise takes for the fix) or long before it can be rolled back. Acts only while it is the revision in force; the opt-in, approval and other rules still apply.")
    public Long revision;

    public Remediation() {}

    public Remediation(RollbackMode rollback) {
        this.rollback = rollback;
    }
}
