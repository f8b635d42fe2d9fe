package dev.firebreak.intake.rollout;

import dev.firebreak.config.FirebreakConfig;
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
 * label is read by name (GET) and remembered for a minute; namespaces are never listed or watched.
 */
@ApplicationScoped
public class RolloutScope {
    public static final String NAMESPACE_LABEL = "firebreak.dev/detect-rollouts";
    private static final Logger LOG = Logger.getLogger(RolloutScope.class);
    private static final Duration REMEMBER = Duration.ofMinutes(1);

    private record Seen(boolean labelled, Instant at) {
    }

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
        if (configured.contains("*") || configured.contains(namespace)) {
            return true;
        }
        Instant now = clock.instant();
        Seen s = seen.get(namespace);
        if (s == null || s.at().plus(REMEMBER).isBefore(now)) {
            s = new Seen(labelled(namespace), now);
            seen.put(namespace, s);
        }
        return s.labelled();
    }

    private boolean labelled(String namespace) {
        try {
            Namespace ns = client.namespaces().withName(namespace).get();
            return ns != null && ns.getMetadata().getLabels() != null
                    && "true".equals(ns.getMetadata().getLabels().get(NAMESPACE_LABEL));
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot read namespace %s to see whether it opts in to rollout detection: %s", namespace,
                    e.getMessage());
            return false;
        }
    }
}
