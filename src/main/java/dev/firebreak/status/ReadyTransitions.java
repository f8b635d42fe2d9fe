package dev.firebreak.status;

import dev.firebreak.api.v1alpha1.Condition;
import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/** Records an Event when a resource becomes invalid (or its problems change), and when it becomes valid again. */
public final class ReadyTransitions {
    private ReadyTransitions() {
    }

    public static void record(EventRecorder events, HasMetadata object, List<Condition> before, List<Condition> after) {
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
