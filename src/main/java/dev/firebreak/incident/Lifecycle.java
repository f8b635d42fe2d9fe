package dev.firebreak.incident;

import dev.firebreak.api.v1alpha1.status.Phase;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The incident lifecycle as a pure function: the next phase follows from the current phase and what is observed now.
 * docs/lifecycle.md has the diagram and who causes each transition.
 *
 * <ul>
 * <li>A human's resolution ({@code spec.resolution.resolved}) resolves from any phase.</li>
 * <li>An incident whose evidence is over resolves by itself when auto-resolution is on: every alert resolved, or, for
 * a failing rollout, the workload healthy again.</li>
 * <li>A resolved incident whose evidence returns (an alert fires again, the workload fails again) or that a human
 * un-resolves reopens: Acknowledged if someone's acknowledgement still stands, else Triggered.</li>
 * <li>A remediation that succeeds while Mitigating makes it Mitigated first, even if the evidence ended with it.</li>
 * <li>Otherwise a succeeded remediation makes it Mitigated, a running one Mitigating, an acknowledgement
 * Acknowledged, and nothing Triggered. A failed remediation falls back to Acknowledged or Triggered.</li>
 * </ul>
 */
public final class Lifecycle {
    /** What the lifecycle looks at. */
    public record Observation(
            boolean acknowledged,
            boolean resolvedByHuman,
            boolean evidenceOver,
            boolean autoResolve,
            Remediation remediation) {}

    /** The allowed transitions; anything else is a bug, and {@link #next} never produces one. */
    public static final Map<Phase, Set<Phase>> ALLOWED = Map.of(
            Phase.Triggered, EnumSet.of(Phase.Acknowledged, Phase.Mitigating, Phase.Mitigated, Phase.Resolved),
            Phase.Acknowledged, EnumSet.of(Phase.Triggered, Phase.Mitigating, Phase.Mitigated, Phase.Resolved),
            Phase.Mitigating, EnumSet.of(Phase.Triggered, Phase.Acknowledged, Phase.Mitigated, Phase.Resolved),
            Phase.Mitigated, EnumSet.of(Phase.Triggered, Phase.Acknowledged, Phase.Mitigating, Phase.Resolved),
            Phase.Resolved, EnumSet.of(Phase.Triggered, Phase.Acknowledged));

    private Lifecycle() {}

    /** The phase of a new incident, and of one with no phase yet. */
    public static Phase initial(Observation now) {
        return next(Phase.Triggered, now);
    }

    public static Phase next(Phase current, Observation now) {
        // A remediation that just succeeded is recorded as Mitigated first, even when it also ended the evidence
        // (a rolled-back workload is healthy again): the record shows what fixed it; the next reconcile resolves.
        if (current == Phase.Mitigating && now.remediation() == Remediation.Succeeded && !now.resolvedByHuman()) {
            return Phase.Mitigated;
        }
        boolean resolved = now.resolvedByHuman() || (now.autoResolve() && now.evidenceOver());
        if (resolved) {
            return Phase.Resolved;
        }
        if (current == Phase.Resolved) {
            return now.acknowledged() ? Phase.Acknowledged : Phase.Triggered;
        }
        return switch (now.remediation()) {
            case Succeeded -> Phase.Mitigated;
            case Running -> Phase.Mitigating;
            case None -> now.acknowledged() ? Phase.Acknowledged : Phase.Triggered;
        };
    }

    public static boolean isReopen(Phase from, Phase to) {
        return from == Phase.Resolved && to != Phase.Resolved;
    }
}
