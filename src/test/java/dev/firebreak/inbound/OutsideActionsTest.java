package dev.firebreak.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.spec.Resolution;
import dev.firebreak.api.v1alpha1.spec.StakeholderUpdate;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.inbound.OutsideAction.Kind;
import dev.firebreak.inbound.OutsideAction.Tool;
import dev.firebreak.inbound.OutsideActions.Acknowledge;
import dev.firebreak.inbound.OutsideActions.AddUpdate;
import dev.firebreak.inbound.OutsideActions.Plan;
import dev.firebreak.inbound.OutsideActions.Resolve;
import dev.firebreak.inbound.OutsideActions.WithdrawAcknowledgement;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What each outside action changes on an incident in each state, and when it changes nothing (echoes, replays). */
class OutsideActionsTest {
    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    static final Instant REOPENED = NOW.minusSeconds(600);

    static Incident incident(Phase phase, Consumer<Incident> more) {
        Incident i = new Incident();
        i.setMetadata(new ObjectMetaBuilder()
                .withName("checkout")
                .withNamespace("shop")
                .withUid("uid-1")
                .build());
        i.setSpec(new IncidentSpec());
        i.getSpec().title = "Checkout returns 500s";
        i.setStatus(new IncidentStatus());
        i.getStatus().phase = phase;
        more.accept(i);
        return i;
    }

    static final Consumer<Incident> NOTHING = i -> {};
    static final Consumer<Incident> ACKED_BY_ALICE = i -> i.getSpec().acknowledgedBy = "alice";
    static final Consumer<Incident> RESOLVED_BY_HUMAN = i -> {
        i.getSpec().resolution = new Resolution();
        i.getSpec().resolution.resolved = true;
        i.getSpec().resolution.by = "alice";
    };
    static final Consumer<Incident> REOPENED_TEN_MINUTES_AGO = i -> i.getStatus().reopenedAt = REOPENED;
    static final Consumer<Incident> HAS_UPDATE = i -> {
        StakeholderUpdate u = new StakeholderUpdate();
        u.message = "Payments are degraded; a fix is rolling out.";
        i.getSpec().updates.add(u);
    };

    static OutsideAction action(Kind kind, String text, Instant at) {
        return new OutsideAction(kind, Tool.PagerDuty, "uid-1", "Jane via PagerDuty", text, at);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // state, action, expected change (null = nothing), outcome starts with
                Arguments.of(
                        Phase.Triggered,
                        NOTHING,
                        action(Kind.ACKNOWLEDGE, null, NOW),
                        Acknowledge.class,
                        "acknowledged by Jane"),
                Arguments.of(
                        Phase.Acknowledged,
                        ACKED_BY_ALICE,
                        action(Kind.ACKNOWLEDGE, null, NOW),
                        null,
                        "already acknowledged by alice"),
                Arguments.of(Phase.Resolved, NOTHING, action(Kind.ACKNOWLEDGE, null, NOW), null, "already resolved"),
                Arguments.of(
                        Phase.Acknowledged,
                        ACKED_BY_ALICE,
                        action(Kind.UNACKNOWLEDGE, null, NOW),
                        WithdrawAcknowledgement.class,
                        "acknowledgement by alice withdrawn"),
                Arguments.of(Phase.Triggered, NOTHING, action(Kind.UNACKNOWLEDGE, null, NOW), null, "not acknowledged"),
                Arguments.of(
                        Phase.Resolved,
                        ACKED_BY_ALICE,
                        action(Kind.UNACKNOWLEDGE, null, NOW),
                        null,
                        "already resolved"),
                Arguments.of(
                        Phase.Acknowledged,
                        ACKED_BY_ALICE,
                        action(Kind.RESOLVE, null, NOW),
                        Resolve.class,
                        "resolved by Jane"),
                Arguments.of(
                        Phase.Mitigated, NOTHING, action(Kind.RESOLVE, null, NOW), Resolve.class, "resolved by Jane"),
                // Firebreak resolved it (alerts resolved) and told PagerDuty: PagerDuty's echo changes nothing.
                Arguments.of(Phase.Resolved, NOTHING, action(Kind.RESOLVE, null, NOW), null, "already resolved"),
                // A human resolved it, the status has not caught up yet: still nothing.
                Arguments.of(
                        Phase.Acknowledged,
                        RESOLVED_BY_HUMAN,
                        action(Kind.RESOLVE, null, NOW),
                        null,
                        "already resolved"),
                Arguments.of(
                        Phase.Triggered,
                        REOPENED_TEN_MINUTES_AGO,
                        action(Kind.RESOLVE, null, REOPENED.minusSeconds(1)),
                        null,
                        "the action happened before the incident was reopened"),
                Arguments.of(
                        Phase.Triggered,
                        REOPENED_TEN_MINUTES_AGO,
                        action(Kind.ACKNOWLEDGE, null, REOPENED.plusSeconds(1)),
                        Acknowledge.class,
                        "acknowledged by Jane"),
                Arguments.of(
                        Phase.Triggered,
                        REOPENED_TEN_MINUTES_AGO,
                        action(Kind.ACKNOWLEDGE, null, null),
                        Acknowledge.class,
                        "acknowledged by Jane"),
                Arguments.of(
                        Phase.Acknowledged,
                        NOTHING,
                        action(Kind.NOTE, "  Fix is deploying, ETA 20 minutes. ", NOW),
                        AddUpdate.class,
                        "update by Jane"),
                // Firebreak sends each update to Opsgenie as a note, which Opsgenie reports back.
                Arguments.of(
                        Phase.Acknowledged,
                        HAS_UPDATE,
                        action(Kind.NOTE, "[DRILL] Payments are degraded; a fix is rolling out. (ETA 30m)", NOW),
                        null,
                        "the incident already has this update"),
                Arguments.of(Phase.Acknowledged, NOTHING, action(Kind.NOTE, "   ", NOW), null, "the note is empty"),
                Arguments.of(Phase.Acknowledged, NOTHING, action(Kind.NOTE, null, NOW), null, "the note is empty"));
    }

    @ParameterizedTest(name = "{0} + {2} -> {3}")
    @MethodSource("table")
    void decides(Phase phase, Consumer<Incident> state, OutsideAction action, Class<?> change, String outcome) {
        Plan plan = OutsideActions.decide(Optional.of(incident(phase, state)), action, NOW);
        if (change == null) {
            assertThat(plan.change()).isEmpty();
        } else {
            assertThat(plan.change()).get().isInstanceOf(change);
        }
        assertThat(plan.outcome()).startsWith(outcome);
    }

    @org.junit.jupiter.api.Test
    void anUnknownIncidentChangesNothing() {
        Plan plan = OutsideActions.decide(Optional.empty(), action(Kind.RESOLVE, null, NOW), NOW);
        assertThat(plan.change()).isEmpty();
        assertThat(plan.outcome()).isEqualTo("no incident here has this key: nothing changed");
    }

    @org.junit.jupiter.api.Test
    void aNoteBecomesAnUpdateWithItsAuthorAndTimeAndIsCutToTheSchema() {
        Plan plan = OutsideActions.decide(
                Optional.of(incident(Phase.Acknowledged, NOTHING)),
                action(Kind.NOTE, "x".repeat(5000), NOW.minusSeconds(5)),
                NOW);
        StakeholderUpdate u = ((AddUpdate) plan.change().get()).update();
        assertThat(u.message).hasSize(4096).endsWith("…");
        assertThat(u.author).isEqualTo("Jane via PagerDuty");
        assertThat(u.time).isEqualTo(NOW.minusSeconds(5));

        Incident full = incident(Phase.Acknowledged, i -> {
            for (int n = 0; n < 100; n++) {
                StakeholderUpdate old = new StakeholderUpdate();
                old.message = "update " + n;
                i.getSpec().updates.add(old);
            }
        });
        assertThat(OutsideActions.decide(Optional.of(full), action(Kind.NOTE, "one more", NOW), NOW)
                        .change())
                .isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theFirstAcknowledgementStands() {
        Plan plan = OutsideActions.decide(
                Optional.of(incident(Phase.Acknowledged, ACKED_BY_ALICE)),
                new OutsideAction(Kind.ACKNOWLEDGE, Tool.Slack, "uid-1", "bob via Slack", null, NOW),
                NOW);
        assertThat(plan.change()).isEmpty();
    }
}
