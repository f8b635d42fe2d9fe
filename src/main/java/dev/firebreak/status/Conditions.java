package dev.firebreak.status;

import dev.firebreak.api.v1alpha1.Condition;
import dev.firebreak.api.v1alpha1.ConditionStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Kubernetes condition semantics: one condition per type, lastTransitionTime moves only when status does. */
public final class Conditions {
    public static final String READY = "Ready";

    private Conditions() {}

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.type)).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> c.status == ConditionStatus.True).orElse(false);
    }

    /**
     * Sets {@code desired} into {@code conditions} (in place), keeping the existing lastTransitionTime when the
     * status did not change.
     */
    public static void set(List<Condition> conditions, Condition desired, Instant now, Long generation) {
        Optional<Condition> existing = find(conditions, desired.type);
        Condition next = new Condition(desired.type, desired.status, desired.reason, desired.message);
        next.observedGeneration = generation;
        // metav1.Time has second precision; so do Firebreak's transitions.
        next.lastTransitionTime = existing.filter(c -> c.status == desired.status && c.lastTransitionTime != null)
                .map(c -> c.lastTransitionTime)
                .orElse(now.truncatedTo(ChronoUnit.SECONDS));
        if (existing.isPresent()) {
            conditions.set(conditions.indexOf(existing.get()), next);
        } else {
            conditions.add(next);
        }
    }
}
