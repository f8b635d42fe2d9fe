package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.PostIncidentReview;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * A review's Markdown document: a ConfigMap ({@value #DOCUMENT_KEY}) the review owns, desired from the review as this
 * reconcile renders it (spec and the status about to be written). JOSDK creates it, updates it when its data differs,
 * and (its informer seeing it deleted) creates it again; the owner reference lets Kubernetes delete it with the
 * review. Its informer holds only Firebreak's review documents (label {@value #REVIEW_LABEL}), never every
 * ConfigMap.
 */
class ReviewDocumentDependent extends CRUDKubernetesDependentResource<ConfigMap, PostIncidentReview> {
    static final String DOCUMENT_KEY = "review.md";
    static final String REVIEW_LABEL = "firebreak.dev/review";
    static final String NAME = "review-documents";

    ReviewDocumentDependent() {
        super(ConfigMap.class, NAME);
    }

    /** The ConfigMap holding a review's Markdown. */
    static String documentName(String review) {
        return review + "-review";
    }

    @Override
    protected ConfigMap desired(PostIncidentReview rendered, Context<PostIncidentReview> context) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(documentName(rendered.getMetadata().getName()))
                .withNamespace(rendered.getMetadata().getNamespace())
                .addToLabels("app.kubernetes.io/managed-by", "firebreak")
                .addToLabels(REVIEW_LABEL, labelValue(rendered.getMetadata().getName()))
                // As the API server's own controllers set it; no blockOwnerDeletion, which needs delete on the review
                // where OwnerReferencesPermissionEnforcement is on (OpenShift).
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(rendered.getApiVersion())
                        .withKind(rendered.getKind())
                        .withName(rendered.getMetadata().getName())
                        .withUid(rendered.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(false)
                        .build())
                .endMetadata()
                .addToData(DOCUMENT_KEY, ReviewDocument.render(rendered))
                .build();
    }

    /** A review name is up to 253 characters, a label value up to 63: the label only selects, the owner names. */
    private static String labelValue(String review) {
        String cut = review.length() <= 63 ? review : review.substring(0, 63);
        return cut.replaceAll("[^A-Za-z0-9]+$", "");
    }

    /** The API server's update, not server-side apply: the mock API server of tier 2 has none (issue #16, item 5). */
    @Override
    protected boolean useSSA(Context<PostIncidentReview> context) {
        return false;
    }

    @Override
    protected InformerEventSourceConfiguration.Builder<ConfigMap> informerConfigurationBuilder(
            EventSourceContext<PostIncidentReview> context) {
        return super.informerConfigurationBuilder(context).withLabelSelector(REVIEW_LABEL);
    }
}
