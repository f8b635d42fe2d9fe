package dev.firebreak.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.util.Map;

/**
 * How Kubernetes names a workload's revisions: a Deployment's on its ReplicaSets (annotation {@value #REVISION},
 * pods labelled {@value #POD_TEMPLATE_HASH}), a StatefulSet's and a DaemonSet's as ControllerRevisions
 * ({@code .revision}, pods labelled {@value #CONTROLLER_REVISION_HASH}); and the annotations Firebreak and kubectl
 * leave on them.
 */
public final class Revisions {
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String POD_TEMPLATE_HASH = "pod-template-hash";
    public static final String CONTROLLER_REVISION_HASH = "controller-revision-hash";
    public static final String CHANGE_CAUSE = "kubernetes.io/change-cause";
    /** On a ReplicaSet or ControllerRevision: when Firebreak saw its revision fully rolled out and available. */
    public static final String OBSERVED_HEALTHY = "firebreak.dev/observed-healthy-at";

    private Revisions() {}

    /**
     * The revision number of a Deployment or ReplicaSet (its {@value #REVISION} annotation) or of a
     * ControllerRevision; 0 when absent or not a number.
     */
    public static long number(HasMetadata object) {
        if (object instanceof ControllerRevision r) {
            return r.getRevision() == null ? 0 : r.getRevision();
        }
        return number(object.getMetadata().getAnnotations());
    }

    /** The {@value #REVISION} annotation among these, as a number; 0 when absent or not a number. */
    public static long number(Map<String, String> annotations) {
        String value = annotations == null ? null : annotations.get(REVISION);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether Firebreak recorded this ReplicaSet's or ControllerRevision's revision as healthy. */
    public static boolean observedHealthy(HasMetadata revision) {
        return revision.getMetadata().getAnnotations() != null
                && revision.getMetadata().getAnnotations().containsKey(OBSERVED_HEALTHY);
    }
}
