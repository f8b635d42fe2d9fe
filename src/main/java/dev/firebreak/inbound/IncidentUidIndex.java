package dev.firebreak.inbound;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.kubeapi.CacheIndex;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Function;

/**
 * The incidents by UID on the incident controller's cache: Firebreak sends an incident's UID to the paging tools as
 * its key (PagerDuty's dedup_key, Opsgenie's alias, the Slack buttons' value), and the tools send it back.
 */
@Singleton
public class IncidentUidIndex implements CacheIndex<Incident> {
    static final String NAME = "uid";

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
        return incident -> incident.getMetadata().getUid() == null
                ? List.of()
                : List.of(incident.getMetadata().getUid());
    }
}
