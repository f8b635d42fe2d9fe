package dev.firebreak.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.EscalationPolicySpec;
import dev.firebreak.api.v1alpha1.Person;
import dev.firebreak.api.v1alpha1.SecretKeyRef;
import dev.firebreak.api.v1alpha1.spec.EscalationLevel;
import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.api.v1alpha1.spec.OnCallTarget;
import dev.firebreak.api.v1alpha1.spec.PagerDutyTarget;
import dev.firebreak.api.v1alpha1.spec.SlackTarget;
import dev.firebreak.api.v1alpha1.status.EscalationStatus;
import dev.firebreak.api.v1alpha1.status.NotificationRecord;
import dev.firebreak.api.v1alpha1.status.NotificationResult;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.events.Notice;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EscalationTest {
    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");

    /** Level 0: PagerDuty and whoever is on call in 'primary'; level 1 after 5m: Slack. Repeat once after 30m. */
    static EscalationPolicySpec policy() {
        EscalationPolicySpec spec = new EscalationPolicySpec();
        EscalationLevel l0 = new EscalationLevel();
        EscalationTarget pd = new EscalationTarget();
        pd.pagerDuty = new PagerDutyTarget();
        pd.pagerDuty.routingKeySecretRef = new SecretKeyRef("pd", "key");
        EscalationTarget onCall = new EscalationTarget();
        onCall.onCallSchedule = new OnCallTarget();
        onCall.onCallSchedule.name = "primary";
        l0.targets.addAll(List.of(pd, onCall));
        EscalationLevel l1 = new EscalationLevel();
        l1.delay = "5m";
        EscalationTarget slack = new EscalationTarget();
        slack.slack = new SlackTarget();
        slack.slack.webhookURLSecretRef = new SecretKeyRef("slack", "url");
        slack.slack.channel = "#payments";
        l1.targets.add(slack);
        spec.levels.addAll(List.of(l0, l1));
        spec.repeat = 1;
        spec.repeatDelay = "30m";
        return spec;
    }

    static Escalation.Input input(Phase phase, Instant now) {
        return input(phase, now, Optional.empty(), 0);
    }

    static Escalation.Input input(Phase phase, Instant now, Optional<String> ackBy, int updates) {
        return new Escalation.Input(
                Optional.of(policy()),
                Optional.of("payments"),
                "best match",
                phase,
                ackBy,
                Optional.empty(),
                updates,
                now,
                schedule -> Optional.of(new Person("ann", "ann@example.com")));
    }

    /** Marks every Pending notification as delivered, as the dispatcher's outcomes would. */
    static EscalationStatus delivered(EscalationStatus s) {
        s.notifications.forEach(r -> {
            if (r.result == NotificationResult.Pending) {
                r.result = NotificationResult.Sent;
                r.attempts = 1;
            }
        });
        return s;
    }

    @Test
    void levelZeroFiresAtOnceAndTheNextLevelAfterItsDelay() {
        Escalation.Decision first = Escalation.decide(null, input(Phase.Triggered, T0));
        assertThat(first.firedLevels()).containsExactly(0);
        assertThat(first.next().policy).isEqualTo("payments");
        assertThat(first.next().level).isZero();
        assertThat(first.next().startedAt).isEqualTo(T0);
        assertThat(first.next().nextEscalationAt).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(first.added())
                .extracting(r -> r.channel + " " + r.target + " " + r.action + " " + r.result)
                .containsExactly(
                        "PagerDuty pagerDuty levels[0].targets[0] Trigger Pending",
                        "Email on call in primary: ann Trigger Pending");
        assertThat(first.added().get(1).recipient).isEqualTo("ann <ann@example.com>");
        assertThat(first.notices())
                .extracting(Notice::message)
                .anySatisfy(m -> assertThat(m).startsWith("bound to escalation policy payments"))
                .anySatisfy(m -> assertThat(m).startsWith("level 0 of payments fired: pagerDuty"));

        Escalation.Decision early =
                Escalation.decide(delivered(first.next()), input(Phase.Triggered, T0.plus(Duration.ofMinutes(4))));
        assertThat(early.firedLevels()).isEmpty();
        assertThat(early.added()).isEmpty();

        Escalation.Decision due =
                Escalation.decide(early.next(), input(Phase.Triggered, T0.plus(Duration.ofMinutes(5))));
        assertThat(due.firedLevels()).containsExactly(1);
        assertThat(due.added()).extracting(r -> r.target).containsExactly("slack #payments");
        assertThat(due.next().nextEscalationAt).isEqualTo(T0.plus(Duration.ofMinutes(35)));
    }

    @Test
    void afterTheLastLevelThePolicyRepeatsThenStops() {
        EscalationStatus s = Escalation.decide(null, input(Phase.Triggered, T0)).next();
        s = delivered(Escalation.decide(delivered(s), input(Phase.Triggered, T0.plusSeconds(300)))
                .next());
        Escalation.Decision repeat = Escalation.decide(s, input(Phase.Triggered, T0.plusSeconds(35 * 60)));
        assertThat(repeat.firedLevels()).containsExactly(0);
        assertThat(repeat.next().repetition).isEqualTo(1);
        assertThat(repeat.notices())
                .extracting(Notice::message)
                .anySatisfy(m -> assertThat(m).startsWith("level 0 (repeat 1 of 1) of payments fired"));
        s = delivered(repeat.next());
        Escalation.Decision last = Escalation.decide(s, input(Phase.Triggered, T0.plusSeconds(40 * 60)));
        assertThat(last.firedLevels()).containsExactly(1);
        assertThat(last.next().nextEscalationAt).isNull();
        Escalation.Decision over =
                Escalation.decide(delivered(last.next()), input(Phase.Triggered, T0.plus(Duration.ofHours(5))));
        assertThat(over.firedLevels()).isEmpty();
        assertThat(over.added()).isEmpty();
    }

    @Test
    void aLevelOverdueAfterAnOutageFiresOnceAndTheNextCountsFromWhenItWasDue() {
        EscalationStatus s =
                delivered(Escalation.decide(null, input(Phase.Triggered, T0)).next());
        // The operator was down from T0+1m to T0+20m: level 1 (due at T0+5m) fires once, at the first reconcile.
        Escalation.Decision late = Escalation.decide(s, input(Phase.Triggered, T0.plus(Duration.ofMinutes(20))));
        assertThat(late.firedLevels()).containsExactly(1);
        assertThat(late.next().nextEscalationAt).isEqualTo(T0.plus(Duration.ofMinutes(35)));
        // The same status read again (a second replica, a retried reconcile) fires nothing more.
        Escalation.Decision again =
                Escalation.decide(delivered(late.next()), input(Phase.Triggered, T0.plus(Duration.ofMinutes(20))));
        assertThat(again.firedLevels()).isEmpty();
        assertThat(again.added()).isEmpty();
    }

    @Test
    void acknowledgementStopsEscalationAndIsSentToEveryoneNotified() {
        EscalationStatus s =
                delivered(Escalation.decide(null, input(Phase.Triggered, T0)).next());
        Escalation.Decision ack =
                Escalation.decide(s, input(Phase.Acknowledged, T0.plusSeconds(60), Optional.of("alice"), 0));
        assertThat(ack.next().nextEscalationAt).isNull();
        assertThat(ack.added())
                .extracting(r -> r.channel + " " + r.action)
                .containsExactly("PagerDuty Acknowledge", "Email Acknowledge");
        Escalation.Decision later = Escalation.decide(
                delivered(ack.next()),
                input(Phase.Acknowledged, T0.plus(Duration.ofHours(1)), Optional.of("alice"), 0));
        assertThat(later.firedLevels()).isEmpty();
        assertThat(later.added()).isEmpty();
    }

    @Test
    void withdrawingTheAcknowledgementResumesWithTheNextLevelAtOnce() {
        EscalationStatus s =
                delivered(Escalation.decide(null, input(Phase.Triggered, T0)).next());
        s = delivered(Escalation.decide(s, input(Phase.Acknowledged, T0.plusSeconds(60), Optional.of("alice"), 0))
                .next());
        Escalation.Decision resumed = Escalation.decide(s, input(Phase.Triggered, T0.plusSeconds(120)));
        assertThat(resumed.firedLevels()).containsExactly(1);
    }

    @Test
    void updatesGoToEveryDestinationNotifiedAndResolutionResolvesEachOnce() {
        EscalationStatus s =
                delivered(Escalation.decide(null, input(Phase.Triggered, T0)).next());
        Escalation.Decision update =
                Escalation.decide(s, input(Phase.Triggered, T0.plusSeconds(30), Optional.empty(), 1));
        assertThat(update.added())
                .extracting(r -> r.channel + " " + r.action + " " + r.update)
                .containsExactly("PagerDuty Update 0", "Email Update 0");
        assertThat(update.next().updatesSent).isEqualTo(1);
        Escalation.Decision resolved = Escalation.decide(
                delivered(update.next()), input(Phase.Resolved, T0.plusSeconds(90), Optional.empty(), 1));
        assertThat(resolved.added())
                .extracting(r -> r.channel + " " + r.action)
                .containsExactly("PagerDuty Resolve", "Email Resolve");
        assertThat(resolved.next().nextEscalationAt).isNull();
        assertThat(Escalation.decide(
                                delivered(resolved.next()),
                                input(Phase.Resolved, T0.plusSeconds(600), Optional.empty(), 1))
                        .added())
                .isEmpty();
    }

    @Test
    void aRefusedTriggerGetsNoFollowUps() {
        EscalationStatus s = Escalation.decide(null, input(Phase.Triggered, T0)).next();
        s.notifications.get(0).result = NotificationResult.Failed; // PagerDuty answered 400
        s.notifications.get(0).attempts = 1;
        s.notifications.get(1).result = NotificationResult.Sent;
        Escalation.Decision resolved = Escalation.decide(s, input(Phase.Resolved, T0.plusSeconds(60)));
        assertThat(resolved.added()).extracting(r -> r.channel + " " + r.action).containsExactly("Email Resolve");
    }

    @Test
    void nobodyOnCallIsRecordedAsFailedAndEscalationContinues() {
        Escalation.Input nobody = new Escalation.Input(
                Optional.of(policy()),
                Optional.of("payments"),
                "best match",
                Phase.Triggered,
                Optional.empty(),
                Optional.empty(),
                0,
                T0,
                schedule -> Optional.empty());
        Escalation.Decision d = Escalation.decide(null, nobody);
        NotificationRecord onCall = d.added().get(1);
        assertThat(onCall.result).isEqualTo(NotificationResult.Failed);
        assertThat(onCall.error).isEqualTo("nobody is on call in OnCallSchedule primary");
        assertThat(d.next().nextEscalationAt).isEqualTo(T0.plusSeconds(300));
    }

    @Test
    void aReopenedIncidentStartsANewRoundAtLevelZero() {
        EscalationStatus s =
                delivered(Escalation.decide(null, input(Phase.Triggered, T0)).next());
        s = delivered(
                Escalation.decide(s, input(Phase.Resolved, T0.plusSeconds(60))).next());
        Instant reopened = T0.plusSeconds(600);
        Escalation.Input reopen = new Escalation.Input(
                Optional.of(policy()),
                Optional.of("payments"),
                "best match",
                Phase.Triggered,
                Optional.empty(),
                Optional.of(reopened),
                0,
                reopened,
                schedule -> Optional.of(new Person("bob", "bob@example.com")));
        Escalation.Decision d = Escalation.decide(s, reopen);
        assertThat(d.firedLevels()).containsExactly(0);
        assertThat(d.next().startedAt).isEqualTo(reopened);
        assertThat(d.added())
                .extracting(r -> r.target)
                .containsExactly("pagerDuty levels[0].targets[0]", "on call in primary: bob");
    }

    @Test
    void noPolicyIsRecordedOnceAndPagesNobody() {
        Escalation.Input none = new Escalation.Input(
                Optional.empty(),
                Optional.empty(),
                "no EscalationPolicy matches",
                Phase.Triggered,
                Optional.empty(),
                Optional.empty(),
                0,
                T0,
                s -> Optional.empty());
        Escalation.Decision d = Escalation.decide(null, none);
        assertThat(d.added()).isEmpty();
        assertThat(d.notices())
                .extracting(Notice::message)
                .containsExactly("no escalation policy: no EscalationPolicy matches");
        assertThat(Escalation.decide(d.next(), none).notices()).isEmpty();
    }

    @Test
    void aNewPolicyBeforeAcknowledgementRestartsAtItsLevelZero() {
        EscalationStatus s =
                delivered(Escalation.decide(null, input(Phase.Triggered, T0)).next());
        Escalation.Input other = new Escalation.Input(
                Optional.of(policy()),
                Optional.of("critical"),
                "best match for severity Critical",
                Phase.Triggered,
                Optional.empty(),
                Optional.empty(),
                0,
                T0.plusSeconds(60),
                x -> Optional.of(new Person("ann", "ann@example.com")));
        Escalation.Decision d = Escalation.decide(s, other);
        assertThat(d.next().policy).isEqualTo("critical");
        assertThat(d.firedLevels()).containsExactly(0);
        assertThat(d.notices())
                .extracting(Notice::message)
                .first()
                .asString()
                .startsWith("escalation policy changed from payments to critical");
    }
}
