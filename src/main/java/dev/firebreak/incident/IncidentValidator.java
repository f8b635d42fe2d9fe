package dev.firebreak.incident;

import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.validation.Problem;
import dev.firebreak.validation.Problems;
import dev.firebreak.validation.Reason;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** What the schema cannot check about an Incident: the policy it names must exist. */
public final class IncidentValidator {
    private IncidentValidator() {}

    public static List<Problem> validate(IncidentSpec spec, Predicate<String> policyExists) {
        Problems problems = new Problems();
        if (spec == null) {
            return problems.add(Reason.MissingField, "spec", "a spec is required")
                    .list();
        }
        if (spec.escalationPolicyRef != null && !policyExists.test(spec.escalationPolicyRef.name)) {
            problems.add(
                    Reason.EscalationPolicyNotFound,
                    "spec.escalationPolicyRef.name",
                    "EscalationPolicy " + spec.escalationPolicyRef.name + " not found in the incident's namespace");
        }
        return problems.list();
    }

    public static Set<String> policyNames(IncidentSpec spec) {
        return spec == null || spec.escalationPolicyRef == null || spec.escalationPolicyRef.name == null
                ? Set.of()
                : Set.of(spec.escalationPolicyRef.name);
    }
}
