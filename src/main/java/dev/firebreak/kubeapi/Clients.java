package dev.firebreak.kubeapi;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfigBuilder;

/** Kubernetes clients for paths that classify their own failures. */
public final class Clients {
    private Clients() {}

    /**
     * The same client (connections, credentials) without fabric8's own retries. fabric8 retries every 429 and 5xx
     * with an exponential backoff of up to ten attempts, etcd's permanent "request is too large" (a 500) included,
     * which would hold a webhook request for a minute and more; a caller that answers someone waiting decides by
     * {@link ApiFailure} instead.
     */
    public static KubernetesClient withoutRetries(KubernetesClient client) {
        return client.newClient(
                        new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                                .withRequestRetryBackoffLimit(0)
                                .build())
                .adapt(KubernetesClient.class);
    }
}
