package dev.firebreak.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.Condition;
import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.api.v1alpha1.EscalationPolicyStatus;
import dev.firebreak.validation.Problem;
import dev.firebreak.validation.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final Instant T2 = T0.plusMillis(60_500);

    @Test
    void addsAConditionWithTheTransitionTimeAndGeneration() {
        List<Condition> conditions = new ArrayList<>();
        Conditions.set(conditions, new Condition("Ready", ConditionStatus.True, "Valid", "ok"), T0, 3L);

        assertThat(conditions).singleElement().satisfies(c -> {
            assertThat(c.lastTransitionTime).isEqualTo(T0);
            assertThat(c.observedGeneration).isEqualTo(3L);
        });
    }

    @Test
    void keepsTheTransitionTimeWhileTheStatusHoldsEvenIfTheMessageChanges() {
        List<Condition> conditions = new ArrayList<>();
        Conditions.set(conditions, new Condition("Ready", ConditionStatus.False, "SecretNotFound", "a"), T0, 1L);
        Conditions.set(conditions, new Condition("Ready", ConditionStatus.False, "SecretNotFound", "b"), T1, 2L);

        assertThat(conditions).singleElement().satisfies(c -> {
            assertThat(c.lastTransitionTime).isEqualTo(T0);
            assertThat(c.message).isEqualTo("b");
            assertThat(c.observedGeneration).isEqualTo(2L);
        });
    }

    @Test
    void movesTheTransitionTimeWhenTheStatusChanges() {
        List<Condition> conditions = new ArrayList<>();
        Conditions.set(conditions, new Condition("Ready", ConditionStatus.False, "SecretNotFound", "a"), T0, 1L);
        Conditions.set(conditions, new Condition("Ready", ConditionStatus.True, "Valid", "ok"), T1, 1L);

        assertThat(conditions)
                .singleElement()
                .satisfies(c -> assertThat(c.lastTransitionTime).isEqualTo(T1));
    }

    @Test
    void transitionTimesHaveSecondPrecisionLikeMetav1Time() {
        List<Condition> conditions = new ArrayList<>();
        Conditions.set(conditions, new Condition("Ready", ConditionStatus.True, "Valid", "ok"), T2, 1L);

        assertThat(conditions.get(0).lastTransitionTime).isEqualTo(T1);
    }

    @Test
    void leavesOtherConditionTypesAlone() {
        List<Condition> conditions = new ArrayList<>();
        Conditions.set(conditions, new Condition("Acknowledged", ConditionStatus.True, "ByHuman", "alice"), T0, 1L);
        Conditions.set(conditions, new Condition("Ready", ConditionStatus.True, "Valid", "ok"), T1, 1L);

        assertThat(conditions).extracting(c -> c.type).containsExactly("Acknowledged", "Ready");
        assertThat(Conditions.isTrue(conditions, "Acknowledged")).isTrue();
    }

    @Test
    void readyCarriesTheFirstProblemsReasonAndEveryProblemInItsMessage() {
        EscalationPolicyStatus status = new EscalationPolicyStatus();
        StatusUpdate.applyReady(
                status,
                4L,
                List.of(
                        new Problem(
                                Reason.SecretNotFound,
                                "spec.levels[0].targets[1].slack.webhookURLSecretRef",
                                "Secret slack not found"),
                        new Problem(
                                Reason.OnCallScheduleNotFound,
                                "spec.levels[1].targets[0].onCallSchedule.name",
                                "OnCallSchedule primary not found")),
                "unused",
                T0);

        assertThat(status.observedGeneration).isEqualTo(4L);
        assertThat(Conditions.find(status.conditions, "Ready")).hasValueSatisfying(c -> {
            assertThat(c.status).isEqualTo(ConditionStatus.False);
            assertThat(c.reason).isEqualTo("SecretNotFound");
            assertThat(c.message)
                    .isEqualTo("spec.levels[0].targets[1].slack.webhookURLSecretRef: Secret slack not found; "
                            + "spec.levels[1].targets[0].onCallSchedule.name: OnCallSchedule primary not found");
        });
    }

    @Test
    void aStatusThatSerializesTheSameIsNotAChange() {
        EscalationPolicyStatus a = new EscalationPolicyStatus();
        StatusUpdate.applyReady(a, 1L, List.of(), "ok", T0);
        EscalationPolicyStatus b = StatusUpdate.copy(a, EscalationPolicyStatus::new);
        StatusUpdate.applyReady(b, 1L, List.of(), "ok", T1);

        assertThat(StatusUpdate.changed(a, b)).isFalse();
        StatusUpdate.applyReady(b, 2L, List.of(), "ok", T1);
        assertThat(StatusUpdate.changed(a, b)).isTrue();
    }
}
