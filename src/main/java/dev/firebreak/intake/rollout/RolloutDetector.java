package dev.firebreak.intake.rollout;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.spec.IncidentSource;
import dev.firebreak.api.v1alpha1.spec.SourceType;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.classify.Workloads;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.EventRecorder;
import dev.firebreak.incident.IncidentMetrics;
import dev.firebreak.text.Text;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
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
    private final RolloutScope scope;
    private final EventRecorder events;
    private final IncidentMetrics metrics;
    private final FirebreakConfig config;
    private final Clock clock;

    public RolloutDetector(KubernetesClient client, RolloutScope scope, EventRecorder events, IncidentMetrics metrics,
            FirebreakConfig config, Clock clock) {
        this.client = client;
        this.scope = scope;
        this.events = events;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    public <W extends HasMetadata> UpdateControl<W> check(W workload) {
        if (Workloads.rolledOut(workload)) {
            return UpdateControl.noUpdate();
        }
        if (scope.covers(workload.getMetadata().getNamespace())) {
            detect(workload).ifPresent(failure -> open(failure, workload));
        }
        return UpdateControl.<W>noUpdate().rescheduleAfter(config.rollouts().recheck());
    }

    private Optional<RolloutFailure> detect(HasMetadata workload) {
        String namespace = workload.getMetadata().getNamespace();
        var thresholds = new RolloutSignals.Thresholds(config.rollouts().restarts(), config.rollouts().failingFor());
        if (workload instanceof Deployment d) {
            List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(namespace)
                    .withLabelSelector(d.getSpec().getSelector()).list().getItems();
            List<Pod> pods = RolloutSignals.newestReplicaSet(d, replicaSets)
                    .map(rs -> rs.getMetadata().getLabels().get(RolloutSignals.POD_TEMPLATE_HASH))
                    .map(hash -> pods(namespace, d.getSpec().getSelector(), RolloutSignals.POD_TEMPLATE_HASH, hash))
                    .orElse(List.of());
            return RolloutSignals.deployment(d, replicaSets, pods, thresholds, clock.instant());
        }
        if (workload instanceof StatefulSet s) {
            String revision = s.getStatus() == null ? null : s.getStatus().getUpdateRevision();
            List<Pod> pods = revision == null ? List.of()
                    : pods(namespace, s.getSpec().getSelector(), RolloutSignals.CONTROLLER_REVISION_HASH, revision);
            return RolloutSignals.statefulSet(s, pods, thresholds, clock.instant());
        }
        if (workload instanceof DaemonSet ds) {
            List<ControllerRevision> revisions = client.apps().controllerRevisions().inNamespace(namespace)
                    .withLabelSelector(ds.getSpec().getSelector()).list().getItems();
            List<Pod> pods = RolloutSignals.newestRevision(ds, revisions)
                    .map(r -> r.getMetadata().getLabels().get(RolloutSignals.CONTROLLER_REVISION_HASH))
                    .map(hash -> pods(namespace, ds.getSpec().getSelector(), RolloutSignals.CONTROLLER_REVISION_HASH,
                            hash))
                    .orElse(List.of());
            return RolloutSignals.daemonSet(ds, revisions, pods, thresholds, clock.instant());
        }
        throw new IllegalArgumentException("not a workload: " + workload.getKind());
    }

    private List<Pod> pods(String namespace, LabelSelector selector, String revisionLabel, String revision) {
        return client.pods().inNamespace(namespace).withLabelSelector(selector).withLabel(revisionLabel, revision)
                .list().getItems();
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
        events.warning(workload, EventReason.RolloutFailing, "revision " + failure.revision() + " failing ("
                + failure.detail() + "): incident " + name);
    }

    static Incident incident(RolloutFailure failure, String name) {
        Incident incident = new Incident();
        incident.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(failure.namespace())
                .addToLabels(WORKLOAD_KIND_LABEL, failure.kind().name())
                .addToLabels(WORKLOAD_NAME_LABEL, failure.name().length() <= 63 ? failure.name()
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
