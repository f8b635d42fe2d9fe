package dev.firebreak.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.firebreak.api.v1alpha1.ApiGroup;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A workload in the incident's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRef {
    @Required
    @JsonPropertyDescription("Kind of the workload: Deployment, StatefulSet or DaemonSet.")
    public WorkloadKind kind;

    @Required
    @Size(min = 1, max = 253)
    @Pattern(ApiGroup.NAME_PATTERN)
    @JsonPropertyDescription("Name of the workload, in the incident's namespace.")
    public String name;

    public WorkloadRef() {}

    public WorkloadRef(WorkloadKind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkloadRef w && kind == w.kind && Objects.equals(name, w.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name);
    }

    @Override
    public String toString() {
        return kind + "/" + name;
    }
}
