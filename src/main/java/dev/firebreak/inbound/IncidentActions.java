package dev.firebreak.inbound;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.spec.Resolution;
import dev.firebreak.inbound.OutsideActions.Acknowledge;
import dev.firebreak.inbound.OutsideActions.AddUpdate;
import dev.firebreak.inbound.OutsideActions.Change;
import dev.firebreak.inbound.OutsideActions.Plan;
import dev.firebreak.inbound.OutsideActions.Resolve;
import dev.firebreak.inbound.OutsideActions.WithdrawAcknowledgement;
import dev.firebreak.kubeapi.ApiFailure;
import dev.firebreak.kubeapi.Clients;
import dev.firebreak.kubeapi.JsonPatch;
import dev.firebreak.kubeapi.PrimaryCaches;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Applies an outside action to its incident: finds the incident by the key Firebreak sent (its UID, in the namespace
 * of the policy whose Secret authenticated the request), decides with {@link OutsideActions}, and writes the spec
 * change as a JSON Patch guarded by the resourceVersion it was decided on. When someone wrote first it reads the
 * incident afresh and decides again, at most {@link #ATTEMPTS} times. At most one write per action; none when the
 * incident already says what the action says.
 */
@ApplicationScoped
public class IncidentActions {
    static final int ATTEMPTS = 3;

    /** What was done, for the answer to the tool. */
    public record Applied(boolean changed, String outcome, Optional<String> incident) {}

    /** The action cannot be applied now; a retry can succeed (answer 503). */
    public static final class NotNow extends RuntimeException {
        NotNow(String message) {
            super(message);
        }
    }

    /** The action can never be applied (the API server refused the change as invalid): answer 4xx. */
    public static final class Refused extends RuntimeException {
        final Optional<String> field;

        Refused(String message, Optional<String> field) {
            super(message);
            this.field = field;
        }
    }

    /** Finds an incident by namespace and UID; throws {@link NotNow} when it cannot tell yet. */
    interface Finder {
        Optional<Incident> find(String namespace, String uid);
    }

    private final KubernetesClient client;
    private final Finder finder;
    private final Clock clock;

    @Inject
    public IncidentActions(KubernetesClient client, PrimaryCaches caches, Clock clock) {
        this(client, (namespace, uid) -> find(caches, namespace, uid), clock);
    }

    IncidentActions(KubernetesClient client, Finder finder, Clock clock) {
        // The tool is waiting for the answer: failures are classified here, not retried by fabric8 for a minute.
        this.client = Clients.withoutRetries(client);
        this.finder = finder;
        this.clock = clock;
    }

    public Applied apply(String namespace, OutsideAction action) {
        Optional<Incident> incident =
                action.incidentUid() == null || action.incidentUid().isBlank()
                        ? Optional.empty()
                        : finder.find(namespace, action.incidentUid());
        for (int attempt = 1; ; attempt++) {
            Plan plan = OutsideActions.decide(incident, action, clock.instant());
            Optional<String> ref =
                    incident.map(i -> namespace + "/" + i.getMetadata().getName());
            if (plan.change().isEmpty()) {
                return new Applied(false, plan.outcome(), ref);
            }
            try {
                write(incident.get(), plan.change().get());
                return new Applied(true, plan.outcome(), ref);
            } catch (KubernetesClientException e) {
                ApiFailure.Classified failure = ApiFailure.classify(e, false);
                switch (failure.kind()) {
                    case CONFLICT, GONE -> {
                        if (attempt >= ATTEMPTS) {
                            throw new NotNow("the incident kept changing while the action was applied");
                        }
                        incident = Optional.ofNullable(client.resources(Incident.class)
                                        .inNamespace(namespace)
                                        .withName(incident.get().getMetadata().getName())
                                        .get())
                                .filter(i -> action.incidentUid()
                                        .equals(i.getMetadata().getUid()));
                    }
                    case INVALID, TOO_LARGE, NAMESPACE_UNAVAILABLE ->
                        throw new Refused("the API server refused the change: " + failure.message(), failure.field());
                    default -> throw new NotNow("the Kubernetes API is unavailable: " + failure.message());
                }
            }
        }
    }

    /** The incident with this UID in this namespace, from the incident controller's cache. */
    private static Optional<Incident> find(PrimaryCaches caches, String namespace, String uid) {
        List<Incident> found = caches.byIndex(Incident.class, IncidentUidIndex.NAME, uid)
                .orElseThrow(() -> new NotNow("the incident cache is still starting"));
        return found.stream()
                .filter(i -> namespace.equals(i.getMetadata().getNamespace()))
                .findFirst();
    }

    private void write(Incident incident, Change change) {
        JsonPatch patch = JsonPatch.with(client.getKubernetesSerialization())
                .test("/metadata/resourceVersion", incident.getMetadata().getResourceVersion());
        if (change instanceof Acknowledge a) {
            patch.add("/spec/acknowledgedBy", a.by());
        } else if (change instanceof WithdrawAcknowledgement) {
            patch.remove("/spec/acknowledgedBy");
        } else if (change instanceof Resolve r) {
            Resolution resolution = new Resolution();
            resolution.resolved = true;
            resolution.by = r.by();
            resolution.note = r.note();
            patch.add("/spec/resolution", resolution);
        } else if (change instanceof AddUpdate u) {
            if (incident.getSpec().updates.isEmpty()) {
                patch.add("/spec/updates", List.of(u.update()));
            } else {
                patch.add("/spec/updates/-", u.update());
            }
        } else {
            throw new IllegalStateException("unhandled " + change);
        }
        // On the object itself: by name, the client would GET it before every patch.
        client.resource(incident).patch(PatchContext.of(PatchType.JSON), patch.toJson());
    }
}
