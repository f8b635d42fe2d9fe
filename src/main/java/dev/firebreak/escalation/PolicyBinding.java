package dev.firebreak.escalation;

import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.spec.PolicyMatch;
import dev.firebreak.references.QualifiedName;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which EscalationPolicy an incident is bound to. Pure.
 * <ol>
 * <li>The policy the incident names (spec.escalationPolicyRef), in its namespace.</li>
 * <li>Otherwise the best match in its namespace: a policy matches when its severities (empty: all) include the
 * incident's severity and its selector (empty: all) matches the incident's labels; a policy without {@code match}
 * matches everything. Ties are broken by specificity: more selector requirements first, then a policy that lists
 * severities over one that does not, then fewer severities listed, then the name in alphabetical order.</li>
 * <li>Otherwise the configured default policy (firebreak.escalation.default-policy), if it exists.</li>
 * </ol>
 * A named policy that does not exist falls through to the default policy: the incident is already Ready=False for the
 * dangling reference, and paging someone beats paging nobody.
 */
public final class PolicyBinding {
    /** The policy chosen (empty: none) and why, as recorded in status.escalation. */
    public record Binding(Optional<EscalationPolicy> policy, String reason) {
        public Optional<String> name() {
            return policy.map(p -> QualifiedName.of(p).toString());
        }
    }

    private PolicyBinding() {}

    /**
     * @param named the policy the incident names, if any
     * @param inNamespace the policies in the incident's namespace
     * @param defaultPolicy the configured default policy, if set and found
     * @param defaultName how the default policy is configured, for the reason, when set
     */
    public static Binding choose(
            Optional<String> named,
            Severity severity,
            Map<String, String> labels,
            List<EscalationPolicy> inNamespace,
            Optional<EscalationPolicy> defaultPolicy,
            Optional<String> defaultName) {
        String unnamed = "";
        if (named.isPresent()) {
            Optional<EscalationPolicy> found = inNamespace.stream()
                    .filter(p -> p.getMetadata().getName().equals(named.get()))
                    .findFirst();
            if (found.isPresent()) {
                return new Binding(found, "named in spec.escalationPolicyRef");
            }
            unnamed = "the named EscalationPolicy " + named.get() + " does not exist";
        } else {
            List<EscalationPolicy> matching = inNamespace.stream()
                    .filter(p -> matches(p.getSpec() == null ? null : p.getSpec().match, severity, labels))
                    .toList();
            Optional<EscalationPolicy> best = matching.stream()
                    .min(Comparator.comparingInt((EscalationPolicy p) -> -specificity(p))
                            .thenComparingInt(p -> listsSeverities(p) ? 0 : 1)
                            .thenComparingInt(PolicyBinding::severitiesListed)
                            .thenComparing(p -> p.getMetadata().getName()));
            if (best.isPresent()) {
                int tied = matching.size() - 1;
                return new Binding(
                        best,
                        "best match for severity " + severity + " and the incident's labels"
                                + (tied == 0
                                        ? ""
                                        : " (over " + tied + " other matching polic" + (tied == 1 ? "y" : "ies")
                                                + ", by specificity then name)"));
            }
            unnamed =
                    "no EscalationPolicy in the namespace matches severity " + severity + " and the incident's labels";
        }
        if (defaultPolicy.isPresent()) {
            return new Binding(defaultPolicy, unnamed + "; using the default policy");
        }
        return new Binding(
                Optional.empty(),
                unnamed
                        + (defaultName.isPresent()
                                ? "; the default policy " + defaultName.get() + " does not exist either"
                                : ", and no default policy is configured"));
    }

    static boolean matches(PolicyMatch match, Severity severity, Map<String, String> labels) {
        if (match == null) {
            return true;
        }
        if (match.severities != null && !match.severities.isEmpty() && !match.severities.contains(severity)) {
            return false;
        }
        return selects(match.selector, labels);
    }

    /** Kubernetes label-selector semantics: matchLabels and every matchExpressions requirement. */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null
                && !selector.getMatchLabels().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(l.get(e.getKey())))) {
            return false;
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = l.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (r.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int specificity(EscalationPolicy p) {
        PolicyMatch m = p.getSpec() == null ? null : p.getSpec().match;
        if (m == null || m.selector == null) {
            return 0;
        }
        return (m.selector.getMatchLabels() == null
                        ? 0
                        : m.selector.getMatchLabels().size())
                + (m.selector.getMatchExpressions() == null
                        ? 0
                        : m.selector.getMatchExpressions().size());
    }

    private static boolean listsSeverities(EscalationPolicy p) {
        return severitiesListed(p) > 0;
    }

    private static int severitiesListed(EscalationPolicy p) {
        PolicyMatch m = p.getSpec() == null ? null : p.getSpec().match;
        return m == null || m.severities == null ? 0 : m.severities.size();
    }
}
