package dev.firebreak.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads referenced Secrets one by one with GET: Firebreak never lists or watches Secrets, so it needs only the 'get'
 * verb and holds no Secret in memory longer than a reconcile.
 */
@ApplicationScoped
public class SecretReader {
    private final KubernetesClient client;

    public SecretReader(KubernetesClient client) {
        this.client = client;
    }

    /** A Secret's data, decoded, or empty when the Secret does not exist. Never log or record the values. */
    public Optional<Map<String, byte[]>> data(String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, byte[]> data = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.of(data);
    }

    /** The keys of a Secret, or empty when the Secret does not exist. */
    public Optional<Set<String>> keys(String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return Optional.empty();
        }
        Set<String> keys = new HashSet<>();
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        return Optional.of(keys);
    }
}
