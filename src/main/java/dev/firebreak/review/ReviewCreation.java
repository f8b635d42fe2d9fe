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
     * The review to create for this incident, if one is due (pure): an existing one is linked in {@code next}
     * instead, and nothing is due before the incident resolves at its threshold. The caller creates it
     * ({@link #create}) and only then records it ({@link #recordCreated}), so that a failed create is tried again.
     */
    public static Optional<PostIncidentReview> toCreate(
            Incident incident, IncidentStatus next, Optional<PostIncidentReview> existing, Severity threshold) {
        if (existing.isPresent()) {
            next.postIncidentReviewRef =
                    new LocalRef(existing.get().getMetadata().getName());
            return Optional.empty();
        }
        if (!due(next, threshold)) {
            return Optional.empty();
        }
        String name = incident.getMetadata().getName();
        PostIncidentReview review = new PostIncidentReview();
        review.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(incident.getMetadata().getNamespace())
                .addToLabels("app.kubernetes.io/managed-by", "firebreak")
                .build());
        review.setSpec(new PostIncidentReviewSpec());
        review.getSpec().incidentRef = new LocalRef(name);
        return Optional.of(review);
    }

    /** Creates the review; one of that name that exists already (a create that raced this one) is as good. */
    public void create(PostIncidentReview review) {
        try {
            client.resource(review).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }

    /** Links the created review in {@code next}; returns the timeline's message. Pure. */
    public static String recordCreated(IncidentStatus next, PostIncidentReview review, Severity threshold) {
        String name = review.getMetadata().getName();
        next.postIncidentReviewRef = new LocalRef(name);
        return "post-incident review " + name + " drafted (severity " + next.severity + " reaches the review threshold "
                + threshold + ")";
    }
}
