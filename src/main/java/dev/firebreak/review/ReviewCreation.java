package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.LocalRef;
import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.api.v1alpha1.PostIncidentReviewSpec;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.status.Phase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.util.Optional;

/**
 * The incident's side of reviews: a resolved incident whose severity reaches its policy's review threshold gets a
 * PostIncidentReview named after it (created once; one that exists already, made on demand with
 * 'kubectl firebreak review', is linked instead). The review has no owner: it outlives the incident.
 */
@ApplicationScoped
public class ReviewCreation {
    /** The threshold without a policy. */
    public static final Severity DEFAULT_THRESHOLD = Severity.High;

    private final KubernetesClient client;

    public ReviewCreation(KubernetesClient client) {
        this.client = client;
    }

    /** Whether a review should be drafted now. Pure. */
    public static boolean due(IncidentStatus next, Severity threshold) {
        return next.phase == Phase.Resolved
                && next.postIncidentReviewRef == null
                && next.severity != null
                && next.severity.compareTo(threshold) <= 0;
    }

    /**
     * Links the existing review, or creates one when due. Returns the message for the timeline when a review was
     * created.
     */
    public Optional<String> ensure(
            Incident incident, IncidentStatus next, Optional<PostIncidentReview> existing, Severity threshold) {
        String name = incident.getMetadata().getName();
        if (existing.isPresent()) {
            next.postIncidentReviewRef =
                    new LocalRef(existing.get().getMetadata().getName());
            return Optional.empty();
        }
        if (!due(next, threshold)) {
            return Optional.empty();
        }
        PostIncidentReview review = new PostIncidentReview();
        review.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(incident.getMetadata().getNamespace())
                .addToLabels("app.kubernetes.io/managed-by", "firebreak")
                .build());
        review.setSpec(new PostIncidentReviewSpec());
        review.getSpec().incidentRef = new LocalRef(name);
        try {
            client.resource(review).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        next.postIncidentReviewRef = new LocalRef(name);
        return Optional.of("post-incident review " + name + " drafted (severity " + next.severity
                + " reaches the review threshold " + threshold + ")");
    }
}
