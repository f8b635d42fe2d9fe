package dev.firebreak.testing;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The webhook's credentials in the operator tier: one token for every class, because the classes that share an API
 * server share one operator too, and it reads the Secret at most once per refresh interval (a class writing its own
 * token would be answered 401 until then). Stored with a trailing newline, as 'echo' writes it: the operator trims it.
 */
public final class WebhookCredentials {
    public static final String TOKEN = "s3cr3t-webhook-token";

    private WebhookCredentials() {}

    /** Writes the Secret the operator reads (firebreak.webhook.auth.secret) in its namespace, creating that first. */
    public static void store(KubernetesClient client) {
        RealApiServer.namespace(client, "firebreak-system");
        client.secrets()
                .inNamespace("firebreak-system")
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("firebreak-webhook-auth")
                        .endMetadata()
                        .addToStringData("token", TOKEN + "\n")
                        .build())
                .createOr(existing -> existing.update());
    }
}
