package dev.firebreak.schedule;

import dev.firebreak.api.v1alpha1.OnCallSchedule;
import dev.firebreak.api.v1alpha1.OnCallScheduleStatus;
import dev.firebreak.status.ReadyStatus;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.validation.Problem;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;

@ControllerConfiguration(name = OnCallScheduleReconciler.NAME, fieldManager = StatusUpdate.FIELD_MANAGER)
public class OnCallScheduleReconciler implements Reconciler<OnCallSchedule> {
    public static final String NAME = "oncallschedule";

    private final ReadyStatus status;

    public OnCallScheduleReconciler(ReadyStatus status) {
        this.status = status;
    }

    @Override
    public UpdateControl<OnCallSchedule> reconcile(OnCallSchedule schedule, Context<OnCallSchedule> context) {
        List<Problem> problems = OnCallScheduleValidator.validate(schedule.getSpec());

        OnCallScheduleStatus next = StatusUpdate.copy(schedule.getStatus(), OnCallScheduleStatus::new);
        return status.write(schedule, context, next, problems, "schedule is valid");
    }
}
