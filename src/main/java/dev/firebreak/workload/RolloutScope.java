package dev.firebreak.workload;

import dev.firebreak.config.FirebreakConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Which namespaces failing-rollout detection covers: those in {@code firebreak.rollouts.namespaces} ({@code *}: every
 * namespace the operator watches) and those labelled {@code firebreak.dev/detect-rollouts: "true"}. A namespace's
 * label is read by name (GET) and remembered for a minute; namespaces are never listed or watched. The rollback
 * guardrails read their opt-in ({@value #AUTO_ROLLBACK}, on a workload or its namespace) through the same cache.
 */
@ApplicationScoped
public class RolloutScope {
    public static final String NAMESPACE_LABEL = "firebreak.dev/detect-rollouts";
    /** The automatic-rollback opt-in: an annotation on a workload, or a label on its namespace. */
    public static final String AUTO_ROLLBACK = "firebreak.dev/auto-rollback";

    private static final Logger LOG = Logger.getLogger(RolloutScope.class);
    private static final Duration REMEMBER = Duration.ofMinutes(1);

    private record Seen(Map<String, String> labels, Instant at) {}

    private final KubernetesClient client;
    private final List<String> configured;
    private final Clock clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    public RolloutScope(KubernetesClient client, FirebreakConfig config, Clock clock) {
        this.client = client;
        this.configured = config.rollouts().namespaces().orElse(List.of());
        this.clock = clock;
    }

    public boolean covers(String namespace) {
        return configured.contains("*")
                || configured.contains(namespace)
                || "true".equals(labels(namespace).get(NAMESPACE_LABEL));
    }

    /**
     * Whether a rollback could concern this workload: its namespace has rollout detection, or it or its namespace
     * opted in to automatic rollback.
     */
    public boolean coversRollbacks(HasMetadata workload) {
        Map<String, String> annotations = workload.getMetadata().getAnnotations();
        String namespace = workload.getMetadata().getNamespace();
        return covers(namespace)
                || (annotations != null && "true".equals(annotations.get(AUTO_ROLLBACK)))
                || "true".equals(labels(namespace).get(AUTO_ROLLBACK));
    }

    /** A namespace's labels, read by name at most once a minute (empty when it cannot be read). */
    public Map<String, String> labels(String namespace) {
        Instant now = clock.instant();
        Seen s = seen.get(namespace);
        if (s == null || s.at().plus(REMEMBER).isBefore(now)) {
            s = new Seen(read(namespace), now);
            seen.put(namespace, s);
        }
        return s.labels();
    }

    private Map<String, String> read(String namespace) {
        try {
            Namespace ns = client.namespaces().withName(namespace).get();
            return ns == null || ns.getMetadata().getLabels() == null
                    ? Map.of()
                    : Map.copyOf(ns.getMetadata().getLabels());
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot read namespace %s for its Firebreak labels: %s", namespace, e.getMessage());
            return Map.of();
        }
    }
}
