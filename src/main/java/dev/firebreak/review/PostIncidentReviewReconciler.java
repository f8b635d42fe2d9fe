package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.api.v1alpha1.PostIncidentReviewStatus;
import dev.firebreak.references.NameReferences;
import dev.firebreak.status.ReadyStatus;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.validation.Problem;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

@ControllerConfiguration(name = PostIncidentReviewReconciler.NAME, fieldManager = StatusUpdate.FIELD_MANAGER)
public class PostIncidentReviewReconciler implements Reconciler<PostIncidentReview> {
    public static final String NAME = "postincidentreview";
    static final String INCIDENTS = "incidents";

    private final ReadyStatus status;
    private final Clock clock;

    public PostIncidentReviewReconciler(ReadyStatus status, Clock clock) {
        this.status = status;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, PostIncidentReview>> prepareEventSources(
            EventSourceContext<PostIncidentReview> context) {
        return List.of(NameReferences.informer(context, Incident.class, INCIDENTS,
                review -> review.getSpec() == null || review.getSpec().incidentRef == null ? Set.of()
                        : Set.of(review.getSpec().incidentRef.name)));
    }

    @Override
    public UpdateControl<PostIncidentReview> reconcile(PostIncidentReview review,
            Context<PostIncidentReview> context) {
        Instant now = clock.instant();
        boolean incidentExists = context.getSecondaryResource(Incident.class).isPresent();
        List<Problem> problems = PostIncidentReviewValidator.validate(review.getSpec(), review.getStatus(),
                incidentExists);

        PostIncidentReviewStatus next = StatusUpdate.copy(review.getStatus(), PostIncidentReviewStatus::new);
        next.actionItems = ActionItemCounter.count(review.getSpec().improvementPlan, now);
        UpdateControl<PostIncidentReview> control = status.write(review, context, next, problems, "review is valid");
        ActionItemCounter.nextChange(review.getSpec().improvementPlan, now)
                .ifPresent(at -> control.rescheduleAfter(Duration.between(now, at)));
        return control;
    }
}
