package dev.firebreak.events;

import dev.firebreak.text.Text;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records core/v1 Events on Firebreak's objects so that 'kubectl describe' tells the story. An Event that cannot be
 * written is logged and dropped: Events are a courtesy, never a reason to fail a reconcile.
 */
@ApplicationScoped
public class EventRecorder {
    public static final String COMPONENT = "firebreak";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final Clock clock;
    private final String instance;

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.instance = System.getenv().getOrDefault("HOSTNAME", "firebreak");
    }

    public void normal(HasMetadata object, EventReason reason, String message) {
        record(object, "Normal", reason, message);
    }

    public void warning(HasMetadata object, EventReason reason, String message) {
        record(object, "Warning", reason, message);
    }

    private void record(HasMetadata object, String type, EventReason reason, String message) {
        Instant now = clock.instant();
        String text = Text.cut(Text.wellFormed(message), MAX_MESSAGE);
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                .withNamespace(object.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(object.getApiVersion())
                        .withKind(object.getKind())
                        .withName(object.getMetadata().getName())
                        .withNamespace(object.getMetadata().getNamespace())
                        .withUid(object.getMetadata().getUid())
                        .withResourceVersion(object.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason.name())
                .withMessage(text)
                .withCount(1)
                .withFirstTimestamp(now.toString())
                .withLastTimestamp(now.toString())
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .build();
        try {
            client.v1().events().inNamespace(object.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record %s event %s on %s %s/%s: %s", type.toLowerCase(Locale.ROOT), reason,
                    object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
