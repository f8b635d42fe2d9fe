package dev.firebreak.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.incident.Lifecycle.Observation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LifecycleTest {
    /**
     * Columns: current phase, acknowledged, resolved by a human, evidence over (all alerts resolved, or the workload
     * healthy again), auto-resolve on, remediation; expected next phase.
     */
    @ParameterizedTest(name = "{0} ack={1} human={2} over={3} auto={4} remediation={5} -> {6}")
    @CsvSource({
        // nothing happens
        "Triggered,    false, false, false, true,  None,      Triggered",
        "Acknowledged, true,  false, false, true,  None,      Acknowledged",
        // a human acknowledges, or takes the acknowledgement back to page again
        "Triggered,    true,  false, false, true,  None,      Acknowledged",
        "Acknowledged, false, false, false, true,  None,      Triggered",
        // a remediation runs, succeeds, or fails
        "Triggered,    false, false, false, true,  Running,   Mitigating",
        "Acknowledged, true,  false, false, true,  Running,   Mitigating",
        "Mitigating,   false, false, false, true,  Succeeded, Mitigated",
        "Triggered,    false, false, false, true,  Succeeded, Mitigated",
        "Mitigating,   true,  false, false, true,  None,      Acknowledged",
        "Mitigating,   false, false, false, true,  None,      Triggered",
        // Mitigated holds while alerts still fire; another remediation may start
        "Mitigated,    true,  false, false, true,  Succeeded, Mitigated",
        "Mitigated,    true,  false, false, true,  Running,   Mitigating",
        // resolution: by a human from anywhere, or by the evidence ending when auto-resolve is on
        "Triggered,    false, true,  false, true,  None,      Resolved",
        "Mitigating,   false, true,  false, false, Running,   Resolved",
        "Mitigated,    true,  false, true,  true,  Succeeded, Resolved",
        "Acknowledged, true,  false, true,  true,  None,      Resolved",
        "Acknowledged, true,  false, true,  false, None,      Acknowledged",
        // resolved stays resolved while its reason holds
        "Resolved,     true,  true,  false, true,  None,      Resolved",
        "Resolved,     false, false, true,  true,  None,      Resolved",
        // reopen: the evidence returns, or a human un-resolves
        "Resolved,     false, false, false, true,  None,      Triggered",
        "Resolved,     true,  false, false, true,  None,      Acknowledged",
        "Resolved,     false, false, true,  false, None,      Triggered"
    })
    void nextPhase(
            Phase current,
            boolean ack,
            boolean human,
            boolean over,
            boolean auto,
            Remediation remediation,
            Phase expected) {
        Phase next = Lifecycle.next(current, new Observation(ack, human, over, auto, remediation));
        assertThat(next).isEqualTo(expected);
        if (next != current) {
            assertThat(Lifecycle.ALLOWED.get(current))
                    .as("%s -> %s is an allowed transition", current, next)
                    .contains(next);
        }
    }

    @Test
    void everyObservationLeadsToAnAllowedTransitionFromEveryPhase() {
        List<String> forbidden = new ArrayList<>();
        for (Phase current : Phase.values()) {
            for (int bits = 0; bits < 16; bits++) {
                for (Remediation remediation : Remediation.values()) {
                    Observation o = new Observation(
                            (bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0, remediation);
                    Phase next = Lifecycle.next(current, o);
                    if (next != current && !Lifecycle.ALLOWED.get(current).contains(next)) {
                        forbidden.add(current + " -> " + next + " on " + o);
                    }
                }
            }
        }
        assertThat(forbidden).isEmpty();
    }

    @Test
    void aReopenIsALeaveFromResolved() {
        assertThat(Lifecycle.isReopen(Phase.Resolved, Phase.Triggered)).isTrue();
        assertThat(Lifecycle.isReopen(Phase.Mitigated, Phase.Resolved)).isFalse();
    }
}
