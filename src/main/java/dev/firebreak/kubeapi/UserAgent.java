package dev.firebreak.kubeapi;

import dev.firebreak.status.StatusUpdate;
import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;

/**
 * Every request Firebreak makes says "firebreak" as its user agent: the API server's audit log names it, and a JSON
 * Patch's field manager is the user agent's first segment, so 'kubectl get --show-managed-fields' shows Firebreak's
 * status writes as {@value StatusUpdate#FIELD_MANAGER}'s (a status patch cannot carry the fieldManager query
 * parameter: the mock API server of the tests drops such a patch).
 */
@Singleton
public class UserAgent implements KubernetesConfigCustomizer {
    @Override
    public void customize(Config config) {
        config.setUserAgent(StatusUpdate.FIELD_MANAGER + "/" + config.getUserAgent());
    }
}
