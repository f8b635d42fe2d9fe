package dev.firebreak.intake.alertmanager;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.kubeapi.CacheIndex;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The incidents of each alert group, by group, on the incident controller's cache (what the intake reads). */
@Singleton
public class GroupIndex implements CacheIndex<Incident> {
    static final String NAME = "alert-group";

    @Override
    public Class<Incident> type() {
        return Incident.class;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Function<Incident, List<String>> keys() {
        return incident -> {
            Map<String, String> labels = incident.getMetadata().getLabels();
            String group = labels == null ? null : labels.get(AlertGroup.GROUP_LABEL);
            return group == null ? List.of() : List.of(group);
        };
    }
}
