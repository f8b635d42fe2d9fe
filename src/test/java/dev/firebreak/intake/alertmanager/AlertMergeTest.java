package dev.firebreak.intake.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.testing.Notifications;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertMergeTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-24T10:20:00Z");
    private static final Instant NOW = Instant.parse("2026-11-24T11:00:00Z");
    private static final AlertMerge.Budget BUDGET = AlertMerge.Budget.DEFAULT;

    private static WebhookAlert firing(String fp, Instant startsAt) {
        return WebhookAlert.of("firing", Map.of("alertname", "A"), Map.of(), startsAt, null, "http://p", fp);
    }

    private static WebhookAlert resolved(String fp, Instant startsAt, Instant endsAt) {
        return WebhookAlert.of("resolved", Map.of("alertname", "A"), Map.of(), startsAt, endsAt, "http://p", fp);
    }

    private static WebhookNotification notification(String status, WebhookAlert... alerts) {
        return new WebhookNotification("r", status, "gk", 0, Map.of(), Map.of(), Map.of(), null, List.of(alerts));
    }

    private static AlertMerge.Result merge(AlertMerge.Result before, WebhookNotification n, long revision) {
        return AlertMerge.merge(
                before == null ? List.of() : before.alerts(),
                before == null ? null : before.summary(),
                n,
                revision,
                NOW,
                BUDGET);
    }

    @Test
    void theSameNotificationTwiceChangesNothing() {
        AlertMerge.Result first = merge(null, notification("firing", firing("a", T0), firing("b", T0)), 1);
        assertThat(first.transitions()).isEqualTo(2);
        assertThat(first.alerts()).extracting(r -> r.revision).containsExactly(1L, 1L);
        AlertMerge.Result again = merge(first, notification("firing", firing("a", T0), firing("b", T0)), 2);
        assertThat(again.changed()).isFalse();
        assertThat(again.transitions()).isZero();
        assertThat(again.alerts()).isEqualTo(first.alerts());
        assertThat(again.summary()).isEqualTo(first.summary());
    }

    /**
     * A firing after a resolution is always news, even with the old startsAt (Alertmanager re-fires an alert whose
     * source pushes it again after resolve_timeout); Alertmanager sends a group's notifications in order, so an older
     * notification never arrives after a newer one.
     */
    @Test
    void resolvingAndFiringAgainAreStampedWithTheirRevisionAndMissingAlertsAreKept() {
        AlertMerge.Result firing = merge(null, notification("firing", firing("a", T0), firing("b", T0)), 1);
        AlertMerge.Result resolved = merge(firing, notification("firing", resolved("a", T0, T1)), 2);
        assertThat(resolved.transitions()).isEqualTo(1);
        assertThat(resolved.alerts())
                .extracting(r -> r.fingerprint + ":" + r.state + ":" + r.revision)
                .containsExactly("a:Resolved:2", "b:Firing:1");
        AlertMerge.Result refired = merge(resolved, notification("firing", firing("a", T0)), 3);
        assertThat(refired.alerts())
                .extracting(r -> r.fingerprint + ":" + r.state + ":" + r.revision)
                .containsExactly("a:Firing:3", "b:Firing:1");
        assertThat(refired.alerts().get(0).endsAt).isNull();
    }

    @Test
    void aResolvedGroupResolvesTheStoredAlertsItNoLongerLists() {
        AlertMerge.Result firing = merge(null, notification("firing", firing("a", T0), firing("b", T0)), 1);
        AlertMerge.Result over = merge(firing, notification("resolved", resolved("a", T0, T1)), 2);
        assertThat(over.alerts())
                .extracting(r -> r.fingerprint + ":" + r.state)
                .containsExactly("a:Resolved", "b:Resolved");
        assertThat(over.alerts().get(1).endsAt).as("when Firebreak learned it").isEqualTo(NOW);
        assertThat(over.summary().firing).isZero();
        assertThat(over.summary().resolved).isEqualTo(2);
        assertThat(merge(over, notification("resolved", resolved("a", T0, T1)), 3)
                        .changed())
                .isFalse();
    }

    @Test
    void duplicateFingerprintsInOneNotificationAreOneAlertTheLastWins() {
        AlertMerge.Result r = merge(null, notification("firing", firing("a", T0), resolved("a", T0, T1)), 1);
        assertThat(r.alerts())
                .singleElement()
                .satisfies(a -> assertThat(a.state).isEqualTo(AlertState.Resolved));
        assertThat(r.summary().firing + r.summary().resolved).isEqualTo(1);
    }

    @Test
    void aLargeGroupFitsTheBudgetFullThenCompactThenCountedAndIsStable() {
        WebhookNotification big = AlertGroupTest.parseJson(Notifications.group("r", "KubePodCrashLooping", "shop")
                .realistic(0, 6000, true)
                .json());
        AlertMerge.Result r = merge(null, big, 1);
        assertThat(r.summary().bytes).isLessThanOrEqualTo(BUDGET.bytes());
        assertThat(r.alerts().stream()
                        .filter(a -> !a.compact())
                        .mapToLong(AlertMerge::size)
                        .sum())
                .isLessThanOrEqualTo(BUDGET.fullBytes());
        assertThat(r.summary().storedFull).isPositive();
        assertThat(r.summary().storedCompact).isPositive();
        assertThat(r.summary().notStored).isPositive();
        assertThat(r.summary().storedFull + r.summary().storedCompact + r.summary().notStored)
                .isEqualTo(6000);
        assertThat(r.summary().firing).isEqualTo(6000);
        assertThat(r.alerts().stream().mapToLong(AlertMerge::size).sum() + 2).isEqualTo(r.summary().bytes);
        // Full records first (in notification order), then compact ones: the first alerts keep their labels.
        assertThat(r.alerts().get(0).labels).containsEntry("pod", "checkout-7d9f8c6b5-00000");

        AlertMerge.Result again = merge(r, big, 2);
        assertThat(again.changed())
                .as("a large group sent again writes nothing")
                .isFalse();

        WebhookNotification over = AlertGroupTest.parseJson(Notifications.group("r", "KubePodCrashLooping", "shop")
                .status("resolved")
                .realistic(0, 6000, false)
                .json());
        AlertMerge.Result resolved = merge(again, over, 3);
        assertThat(resolved.summary().firing)
                .as("the unstored alerts resolved too")
                .isZero();
        assertThat(resolved.summary().resolved).isEqualTo(6000);
        assertThat(resolved.alerts()).allSatisfy(a -> assertThat(a.state).isEqualTo(AlertState.Resolved));
    }

    @Test
    void aGroupGrowingPastTheBudgetKeepsWhatItStoredAndStaysWithinIt() {
        AlertMerge.Result r = null;
        long revision = 1;
        for (int size : new int[] {100, 400, 1500, 4000, 9000}) {
            WebhookNotification n = AlertGroupTest.parseJson(Notifications.group("r", "A", "shop")
                    .realistic(0, size, true)
                    .json());
            AlertMerge.Result next = merge(r, n, revision++);
            assertThat(next.summary().bytes).isLessThanOrEqualTo(BUDGET.bytes());
            assertThat(next.summary().firing).isEqualTo(size);
            if (r != null) {
                List<String> before =
                        r.alerts().stream().map(a -> a.fingerprint).toList();
                assertThat(next.alerts())
                        .extracting(a -> a.fingerprint)
                        .as("what was stored stays stored")
                        .containsAll(before);
                List<String> fullBefore = r.alerts().stream()
                        .filter(a -> !a.compact())
                        .map(a -> a.fingerprint)
                        .toList();
                assertThat(next.alerts().stream().filter(a -> !a.compact()).map(a -> a.fingerprint))
                        .as("and keeps its labels")
                        .containsAll(fullBefore);
            }
            r = next;
        }
    }

    @Test
    void firingAlertsTakeTheRoomOfTheOldestResolvedOnes() {
        WebhookNotification three =
                notification("firing", resolved("a", T0, T1), resolved("b", T0, T1), resolved("c", T0, T1));
        long exactly = 2
                + AlertMerge.merge(List.of(), null, three, 1, NOW, new AlertMerge.Budget(1 << 20, 0, 100))
                        .alerts()
                        .stream()
                        .mapToLong(AlertMerge::size)
                        .sum();
        AlertMerge.Budget room = new AlertMerge.Budget(exactly, 0, 100);
        AlertMerge.Result r = AlertMerge.merge(List.of(), null, three, 1, NOW, room);
        assertThat(r.alerts()).extracting(a -> a.fingerprint).containsExactly("a", "b", "c");
        AlertMerge.Result next =
                AlertMerge.merge(r.alerts(), r.summary(), notification("firing", firing("new", T1)), 2, NOW, room);
        assertThat(next.alerts()).extracting(a -> a.fingerprint).containsExactly("b", "c", "new");
        assertThat(next.summary().notStored).isEqualTo(1);
        assertThat(next.summary().firing).isEqualTo(1);
        assertThat(next.summary().resolved).isEqualTo(3);
    }

    @Test
    void alertsBeyondWhatTheParseTracksAreCountedAndKeepTheGroupFiring() {
        WebhookNotification n = new WebhookNotification(
                "r",
                "firing",
                "gk",
                7,
                Map.of(),
                Map.of(),
                Map.of(),
                null,
                List.of(resolved("a", T0, T1)),
                new WebhookNotification.Untracked(3, 2),
                T0);
        AlertMerge.Result r = merge(null, n, 1);
        assertThat(r.summary().firing).isEqualTo(3);
        assertThat(r.summary().resolved).isEqualTo(3);
        assertThat(r.summary().notStored).isEqualTo(5);
        assertThat(r.summary().truncated).isEqualTo(7);
        assertThat(r.summary().earliestStartsAt).isEqualTo(T0);
    }
}
