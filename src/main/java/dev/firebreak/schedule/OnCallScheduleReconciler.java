package dev.firebreak.schedule;

import dev.firebreak.api.v1alpha1.OnCallSchedule;
import dev.firebreak.api.v1alpha1.OnCallScheduleStatus;
import dev.firebreak.api.v1alpha1.status.LayerOnCall;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.EventRecorder;
import dev.firebreak.events.Notice;
import dev.firebreak.kubeapi.LeanItemStore;
import dev.firebreak.kubeapi.PrimaryCaches;
import dev.firebreak.status.ReadyStatus;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.validation.Problem;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps an OnCallSchedule's status current: who is on call now (overall and per layer) and the next handoff, by
 * rescheduling itself at that handoff. An Event records each change of the person on call.
 */
@ControllerConfiguration(
        name = OnCallScheduleReconciler.NAME,
        fieldManager = StatusUpdate.FIELD_MANAGER,
        informer = @Informer(itemStore = LeanItemStore.class, informerListLimit = LeanItemStore.LIST_PAGE))
public class OnCallScheduleReconciler implements Reconciler<OnCallSchedule> {
    public static final String NAME = "oncallschedule";
    /** With no handoff within OnCall.HORIZON, the status is still refreshed daily. */
    static final Duration IDLE_RECHECK = Duration.ofDays(1);

    private final ReadyStatus status;
    private final PrimaryCaches caches;
    private final EventRecorder events;
    private final Clock clock;

    public OnCallScheduleReconciler(ReadyStatus status, EventRecorder events, Clock clock, PrimaryCaches caches) {
        this.caches = caches;
        this.status = status;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, OnCallSchedule>> prepareEventSources(EventSourceContext<OnCallSchedule> context) {
        caches.register(OnCallSchedule.class, context.getPrimaryCache());
        return List.of();
    }

    @Override
    public UpdateControl<OnCallSchedule> reconcile(OnCallSchedule schedule, Context<OnCallSchedule> context) {
        List<Problem> problems = OnCallScheduleValidator.validate(schedule.getSpec());
        OnCallScheduleStatus next = StatusUpdate.copy(schedule.getStatus(), OnCallScheduleStatus::new);
        if (!problems.isEmpty()) {
            return status.write(schedule, context, next, problems, "schedule is valid");
        }
        // A reschedule may fire a few milliseconds early: compute at whole seconds, as the status records them. The one
        // reading of the clock in this reconcile: the wait is from it too (so never shorter than the handoff is away).
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        OnCall.Now onCall = OnCall.at(schedule.getSpec(), now);
        String before = next.onCallNow;
        next.onCallNow = onCall.name().orElse(null);
        next.layers = onCall.layers().stream()
                .map(l -> {
                    LayerOnCall layer = new LayerOnCall();
                    layer.layer = l.layer();
                    layer.person = l.person().map(p -> p.name).orElse(null);
                    return layer;
                })
                .toList();
        next.nextHandoff = onCall.nextHandoff().orElse(null);
        List<Notice> notices = new ArrayList<>();
        if (!Objects.equals(before, next.onCallNow) && (before != null || next.onCallNow != null)) {
            notices.add(Notice.normal(
                    EventReason.OnCallChanged,
                    (next.onCallNow == null ? "nobody is on call" : next.onCallNow + " is on call")
                            + (before == null ? "" : " (was " + before + ")")
                            + (next.nextHandoff == null ? "" : "; next handoff " + next.nextHandoff)));
        }
        UpdateControl<OnCallSchedule> control =
                status.write(schedule, context, next, problems, "schedule is valid", notices);
        Duration wait = onCall.nextHandoff()
                .map(h -> Duration.between(now, h))
                .filter(d -> d.compareTo(IDLE_RECHECK) < 0)
                .orElse(IDLE_RECHECK);
        return control.rescheduleAfter(wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
    }

    @Override
    public ErrorStatusUpdateControl<OnCallSchedule> updateErrorStatus(
            OnCallSchedule schedule, Context<OnCallSchedule> context, Exception e) {
        return status.failed(schedule, context, e, OnCallScheduleStatus::new);
    }
}
