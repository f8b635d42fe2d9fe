package dev.firebreak.testing;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.incident.StepFaults;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In @QuarkusTest runs, the incident reconcile's fault switches: a test turns a step off for one incident (by name),
 * the step then fails as the API server would (HTTP 503), and counts how often it was tried. Every test that turns
 * one on must turn it off.
 */
@Alternative
@Priority(1)
@Singleton
public class FaultSwitches extends StepFaults {
    private final Set<String> on = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> tried = new ConcurrentHashMap<>();

    public void fail(String step, String incident) {
        on.add(step + "/" + incident);
    }

    public void clear(String step, String incident) {
        on.remove(step + "/" + incident);
    }

    /** How often the step failed for that incident. */
    public int failures(String step, String incident) {
        AtomicInteger n = tried.get(step + "/" + incident);
        return n == null ? 0 : n.get();
    }

    @Override
    public void before(String step, Incident incident) {
        String key = step + "/" + incident.getMetadata().getName();
        if (on.contains(key)) {
            tried.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            throw new KubernetesClientException("injected fault in step " + step, 503, null);
        }
    }
}
