package dev.firebreak.schedule;

import dev.firebreak.api.v1alpha1.OnCallSchedule;
import dev.firebreak.api.v1alpha1.OnCallScheduleStatus;
import dev.firebreak.events.EventRecorder;
import dev.firebreak.status.ReadyTransitions;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.validation.Problem;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.List;

@ControllerConfiguration(name = OnCallScheduleReconciler.NAME, fieldManager = StatusUpdate.FIELD_MANAGER)
public class OnCallScheduleReconciler implements Reconciler<OnCallSchedule> {
    public static final String NAME = "oncallschedule";

    private final EventRecorder events;
    private final Clock clock;

    public OnCallScheduleReconciler(EventRecorder events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    public UpdateControl<OnCallSchedule> reconcile(OnCallSchedule schedule, Context<OnCallSchedule> context) {
        List<Problem> problems = OnCallScheduleValidator.validate(schedule.getSpec());

        OnCallScheduleStatus next = StatusUpdate.copy(schedule.getStatus(), OnCallScheduleStatus::new);
        StatusUpdate.applyReady(next, schedule.getMetadata().getGeneration(), problems, "schedule is valid",
                clock.instant());
        ReadyTransitions.record(events, schedule,
                schedule.getStatus() == null ? List.of() : schedule.getStatus().conditions, next.conditions);
        return StatusUpdate.patchIfChanged(schedule, next, context);
    }
}
