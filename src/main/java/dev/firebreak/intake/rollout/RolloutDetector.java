package dev.firebreak.intake.rollout;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.spec.IncidentSource;
import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.EventRecorder;
import dev.firebreak.intake.IntakeMetrics;
import dev.firebreak.text.Text;
import dev.firebreak.workload.RolloutScope;
import dev.firebreak.workload.Workload;
import dev.firebreak.workload.WorkloadReads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Looks at a workload whose rollout is unfinished, in a namespace that opted in: lists its newest revision and that
 * revision's pods (never all pods), lets {@link RolloutSignals} decide, and opens the failure's incident unless it
 * exists. An unfinished rollout is looked at again every {@code firebreak.rollouts.recheck}: pods restarting do not
 * change the workload, so no event would say so.
 */
@ApplicationScoped
public class RolloutDetector {
    private static final Logger LOG = Logger.getLogger(RolloutDetector.class);
    public static final String WORKLOAD_KIND_LABEL = "firebreak.dev/workload-kind";
    public static final String WORKLOAD_NAME_LABEL = "firebreak.dev/workload-name";

    private final KubernetesClient client;
    private final WorkloadReads reads;
    private final RolloutScope scope;
    private final EventRecorder events;
    private final IntakeMetrics metrics;
    private final FirebreakConfig config;
    private final Clock clock;

    public RolloutDetector(
            KubernetesClient client,
            WorkloadReads reads,
            RolloutScope scope,
            EventRecorder events,
            IntakeMetrics metrics,
            FirebreakConfig config,
            Clock clock) {
        this.client = client;
        this.reads = reads;
        this.scope = scope;
        this.events = events;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    public <W extends HasMetadata> UpdateControl<W> check(W object) {
        Workload workload = Workload.of(object);
        if (workload.rolledOut()) {
            return UpdateControl.noUpdate();
        }
        if (scope.covers(workload.namespace())) {
            detect(workload).ifPresent(failure -> open(failure, object));
        }
        return UpdateControl.<W>noUpdate().rescheduleAfter(config.rollouts().recheck());
    }

    private Optional<RolloutFailure> detect(Workload workload) {
        var thresholds = new RolloutSignals.Thresholds(
                config.rollouts().restarts(), config.rollouts().failingFor());
        if (workload instanceof Workload.OfDeployment d) {
            List<ReplicaSet> replicaSets = reads.listReplicaSets(d);
            return RolloutSignals.deployment(
                    d.object(), replicaSets, podsOf(d, d.current(replicaSets)), thresholds, clock.instant());
        }
        if (workload instanceof Workload.OfStatefulSet s) {
            return RolloutSignals.statefulSet(
                    s.object(),
                    s.updateRevision()
                            .map(revision -> reads.listPods(s, revision))
                            .orElse(List.of()),
                    thresholds,
                    clock.instant());
        }
        Workload.OfDaemonSet ds = (Workload.OfDaemonSet) workload;
        List<ControllerRevision> revisions = reads.listControllerRevisions(ds);
        return RolloutSignals.daemonSet(
                ds.object(), revisions, podsOf(ds, ds.current(revisions)), thresholds, clock.instant());
    }

    /** The pods of the revision in force, by the hash label its revision object carries. */
    private List<Pod> podsOf(Workload workload, Optional<? extends HasMetadata> current) {
        return current.map(r -> r.getMetadata().getLabels() == null
                        ? null
                        : r.getMetadata().getLabels().get(workload.podRevisionLabel()))
                .map(hash -> reads.listPods(workload, hash))
                .orElse(List.of());
    }

    /** Opens the failure's incident once: its name is the same however often the failure is seen. */
    void open(RolloutFailure failure, HasMetadata workload) {
        String name = failure.incidentName();
        var incidents = client.resources(Incident.class).inNamespace(failure.namespace());
        if (incidents.withName(name).get() != null) {
            return;
        }
        try {
            incidents.resource(incident(failure, name)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return;
            }
            throw e;
        }
        LOG.infof("opened incident %s/%s: %s", failure.namespace(), name, failure.title());
        metrics.opened(SourceType.Rollout);
        events.warning(
                workload,
                EventReason.RolloutFailing,
                "revision " + failure.revision() + " failing (" + failure.detail() + "): incident " + name);
    }

    static Incident incident(RolloutFailure failure, String name) {
        Incident incident = new Incident();
        incident.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(failure.namespace())
                .addToLabels(WORKLOAD_KIND_LABEL, failure.kind().name())
                .addToLabels(
                        WORKLOAD_NAME_LABEL,
                        failure.name().length() <= 63
                                ? failure.name()
                                : failure.name().substring(0, 63).replaceAll("[-.]+$", ""))
                .build());
        IncidentSpec spec = new IncidentSpec();
        String title = failure.title();
        spec.title = Text.cut(Text.forDisplay(title), 256);
        spec.description = "Rollout of " + failure.kind() + " " + failure.namespace() + "/" + failure.name()
                + " to revision " + failure.revision() + " (" + String.join(", ", failure.images()) + ") failed: "
                + failure.detail() + ".";
        spec.source = new IncidentSource(SourceType.Rollout);
        spec.source.revision = failure.revision();
        spec.source.images = failure.images().isEmpty() ? null : failure.images();
        spec.source.signal = failure.signal();
        spec.affected.add(new WorkloadRef(failure.kind(), failure.name()));
        incident.setSpec(spec);
        return incident;
    }
}
