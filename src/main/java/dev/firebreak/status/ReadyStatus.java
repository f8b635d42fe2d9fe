package dev.firebreak.status;

import dev.firebreak.api.v1alpha1.Condition;
import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.api.v1alpha1.HasConditions;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.EventRecorder;
import dev.firebreak.validation.Problem;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The last step of every reconcile: puts observedGeneration and the Ready condition (from the validation problems)
 * into the next status, records an Event when the resource becomes invalid (or its problems change) and when it
 * becomes valid again, and patches the status only if it changed.
 */
@ApplicationScoped
public class ReadyStatus {
    private final EventRecorder events;
    private final Clock clock;

    public ReadyStatus(EventRecorder events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    public <S extends HasConditions, P extends CustomResource<?, S>> UpdateControl<P> write(P primary,
            Context<P> context, S next, List<Problem> problems, String validMessage) {
        StatusUpdate.applyReady(next, primary.getMetadata().getGeneration(), problems, validMessage, clock.instant());
        recordTransition(primary, primary.getStatus() == null ? List.of() : primary.getStatus().getConditions(),
                next.getConditions());
        return StatusUpdate.patchIfChanged(primary, next, context);
    }

    private void recordTransition(CustomResource<?, ?> object, List<Condition> before, List<Condition> after) {
        Optional<Condition> was = Conditions.find(before, Conditions.READY);
        Condition now = Conditions.find(after, Conditions.READY).orElseThrow();
        boolean wasFalse = was.map(c -> c.status == ConditionStatus.False).orElse(false);
        if (now.status == ConditionStatus.False) {
            if (!wasFalse || !was.get().message.equals(now.message)) {
                events.warning(object, EventReason.Invalid, now.message);
            }
        } else if (wasFalse) {
            events.normal(object, EventReason.Valid, now.message);
        }
    }
}
