package dev.firebreak.status;

import dev.firebreak.api.v1alpha1.Condition;
import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.api.v1alpha1.HasConditions;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.EventRecorder;
import dev.firebreak.events.Notice;
import dev.firebreak.text.Text;
import dev.firebreak.validation.Problem;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The last step of every reconcile: puts observedGeneration and the Ready condition (from the validation problems)
 * into the next status, writes the status if it changed, and then, only then, records the reconcile's Events: those
 * its steps decided, and one when the resource becomes invalid (or its problems change) and when it becomes valid
 * again. The status is written here (the returned control writes nothing), so that no Event describes a status that
 * was never stored.
 */
@ApplicationScoped
public class ReadyStatus {
    private static final Logger LOG = Logger.getLogger(ReadyStatus.class);
    private final EventRecorder events;
    private final Clock clock;

    public ReadyStatus(EventRecorder events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    public <S extends HasConditions, P extends CustomResource<?, S>> UpdateControl<P> write(
            P primary, Context<P> context, S next, List<Problem> problems, String validMessage) {
        return write(primary, context, next, problems, validMessage, List.of());
    }

    /** As above, recording {@code notices} once the status is written. */
    public <S extends HasConditions, P extends CustomResource<?, S>> UpdateControl<P> write(
            P primary, Context<P> context, S next, List<Problem> problems, String validMessage, List<Notice> notices) {
        StatusUpdate.applyReady(next, primary.getMetadata().getGeneration(), problems, validMessage, clock.instant());
        List<Notice> all = new ArrayList<>(notices);
        transition(primary.getStatus() == null ? List.of() : primary.getStatus().getConditions(), next.getConditions())
                .ifPresent(all::add);
        StatusUpdate.write(primary, next, context);
        events.record(primary, all);
        return UpdateControl.noUpdate();
    }

    /**
     * What every reconciler's updateErrorStatus does when a reconcile fails as a whole: the Degraded condition (reason
     * ReconcileFailed) and one Warning Event, written here; the operator SDK retries the reconcile with backoff. A
     * conflict is no failure (someone wrote first: the retry reads afresh) and records nothing.
     */
    public <S extends HasConditions, P extends CustomResource<?, S>> ErrorStatusUpdateControl<P> failed(
            P primary, Context<P> context, Exception e, Supplier<S> empty) {
        if (e instanceof KubernetesClientException k && k.getCode() == 409
                || e.getCause() instanceof KubernetesClientException c && c.getCode() == 409) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        try {
            S next = StatusUpdate.copy(primary.getStatus(), empty);
            Conditions.set(
                    next.getConditions(),
                    new Condition(
                            Steps.DEGRADED,
                            ConditionStatus.True,
                            "ReconcileFailed",
                            Text.cut(e.getClass().getSimpleName() + ": " + e.getMessage(), 512)),
                    clock.instant(),
                    primary.getMetadata().getGeneration());
            StatusUpdate.write(primary, next, context);
            events.record(
                    primary,
                    List.of(Notice.warning(
                            EventReason.ReconcileFailed,
                            "reconcile failed ("
                                    + e.getClass().getSimpleName() + "); retried with backoff; the " + Steps.DEGRADED
                                    + " condition has the error")));
        } catch (RuntimeException again) {
            LOG.warnf(
                    "could not record the failure of %s %s/%s: %s",
                    primary.getKind(),
                    primary.getMetadata().getNamespace(),
                    primary.getMetadata().getName(),
                    again.getMessage());
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    private static Optional<Notice> transition(List<Condition> before, List<Condition> after) {
        Optional<Condition> was = Conditions.find(before, Conditions.READY);
        Condition now = Conditions.find(after, Conditions.READY).orElseThrow();
        boolean wasFalse = was.map(c -> c.status == ConditionStatus.False).orElse(false);
        if (now.status == ConditionStatus.False) {
            if (!wasFalse || !was.get().message.equals(now.message)) {
                return Optional.of(Notice.warning(EventReason.Invalid, now.message));
            }
        } else if (wasFalse) {
            return Optional.of(Notice.normal(EventReason.Valid, now.message));
        }
        return Optional.empty();
    }
}
