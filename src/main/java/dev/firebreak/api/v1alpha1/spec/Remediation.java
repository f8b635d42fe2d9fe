package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Remediation {
    @JsonPropertyDescription("Rollback of the affected workload: Auto, Manual (propose and wait for approval) or Disabled. Unset follows the workload's firebreak.dev/auto-rollback annotation and its namespace's label; Disabled always wins.")
    public RollbackMode rollback;

    public Remediation() {
    }

    public Remediation(RollbackMode rollback) {
        this.rollback = rollback;
    }
}
