package dev.firebreak.intake.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertMergeTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-24T10:20:00Z");

    private static WebhookAlert firing(String fp, Instant startsAt) {
        return new WebhookAlert("firing", Map.of("alertname", "A"), Map.of(), startsAt, null, "http://p", fp);
    }

    private static WebhookAlert resolved(String fp, Instant startsAt, Instant endsAt) {
        return new WebhookAlert("resolved", Map.of("alertname", "A"), Map.of(), startsAt, endsAt, "http://p", fp);
    }

    @Test
    void theSameNotificationTwiceChangesNothing() {
        AlertMerge.Result first = AlertMerge.merge(List.of(), List.of(firing("a", T0), firing("b", T0)));
        assertThat(first.transitions()).extracting(AlertMerge.Transition::to)
                .containsExactly(AlertState.Firing, AlertState.Firing);
        AlertMerge.Result again = AlertMerge.merge(first.alerts(), List.of(firing("a", T0), firing("b", T0)));
        assertThat(again.changed()).isFalse();
        assertThat(again.transitions()).isEmpty();
        assertThat(again.alerts()).isEqualTo(first.alerts());
    }

    /**
     * A firing after a resolution is always news, even with the old startsAt (Alertmanager re-fires an alert whose
     * source pushes it again after resolve_timeout); Alertmanager sends a group's notifications in order, so an older
     * notification never arrives after a newer one.
     */
    @Test
    void resolvingAndFiringAgainAreTransitionsAndMissingAlertsAreKept() {
        List<AlertRecord> firing = AlertMerge.merge(List.of(), List.of(firing("a", T0), firing("b", T0))).alerts();
        AlertMerge.Result resolved = AlertMerge.merge(firing, List.of(resolved("a", T0, T1)));
        assertThat(resolved.transitions()).containsExactly(
                new AlertMerge.Transition("a", "A", AlertState.Firing, AlertState.Resolved));
        assertThat(resolved.alerts()).extracting(r -> r.fingerprint + ":" + r.state)
                .containsExactly("a:Resolved", "b:Firing");
        AlertMerge.Result again = AlertMerge.merge(resolved.alerts(), List.of(firing("a", T1.plusSeconds(60))));
        assertThat(again.transitions()).containsExactly(
                new AlertMerge.Transition("a", "A", AlertState.Resolved, AlertState.Firing));
        AlertMerge.Result refired = AlertMerge.merge(resolved.alerts(), List.of(firing("a", T0)));
        assertThat(refired.transitions()).containsExactly(
                new AlertMerge.Transition("a", "A", AlertState.Resolved, AlertState.Firing));
    }
}
