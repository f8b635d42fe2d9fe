package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.api.v1alpha1.PostIncidentReviewSpec;
import dev.firebreak.api.v1alpha1.PostIncidentReviewStatus;
import dev.firebreak.api.v1alpha1.spec.ActionItem;
import dev.firebreak.api.v1alpha1.spec.ReviewState;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.digest.Sha256;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.EventRecorder;
import dev.firebreak.events.Notice;
import dev.firebreak.kubeapi.LeanItemStore;
import dev.firebreak.kubeapi.PrimaryCaches;
import dev.firebreak.references.NameReferences;
import dev.firebreak.references.NameReferences.Keep;
import dev.firebreak.status.ReadyStatus;
import dev.firebreak.status.StatusUpdate;
import dev.firebreak.status.Steps;
import dev.firebreak.validation.Problem;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps a review's facts current from its incident (while the incident exists: the copy in status is what survives
 * it), fills the empty sections of the spec once with suggestions, counts action items (an Event when more become
 * overdue; a reminder through the incident's channels at most daily), and renders the Markdown document into a
 * ConfigMap the review owns.
 */
@ControllerConfiguration(
        name = PostIncidentReviewReconciler.NAME,
        fieldManager = StatusUpdate.FIELD_MANAGER,
        informer = @Informer(itemStore = LeanItemStore.class, informerListLimit = LeanItemStore.LIST_PAGE))
public class PostIncidentReviewReconciler implements Reconciler<PostIncidentReview> {
    public static final String NAME = "postincidentreview";
    static final String INCIDENTS = "incidents";
    static final Duration REMINDER_INTERVAL = Duration.ofDays(1);
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final ReadyStatus status;
    private final Clock clock;
    private final EventRecorder events;
    private final Reminders reminders;
    private final KubernetesClient client;
    private final PrimaryCaches caches;
    private final ReviewMetrics metrics;
    private final Steps.Backoffs backoffs = new Steps.Backoffs();
    private final ReviewDocumentDependent document = new ReviewDocumentDependent();

    public PostIncidentReviewReconciler(
            ReadyStatus status,
            Clock clock,
            EventRecorder events,
            Reminders reminders,
            KubernetesClient client,
            ReviewMetrics metrics,
            PrimaryCaches caches) {
        this.status = status;
        this.caches = caches;
        this.clock = clock;
        this.events = events;
        this.reminders = reminders;
        this.client = client;
        this.metrics = metrics;
    }

    @Override
    public List<EventSource<?, PostIncidentReview>> prepareEventSources(
            EventSourceContext<PostIncidentReview> context) {
        metrics.countFrom(context.getPrimaryCache());
        return List.of(
                document.eventSource(context).orElseThrow(),
                NameReferences.informer(
                        context,
                        Incident.class,
                        INCIDENTS,
                        review -> review.getSpec() == null || review.getSpec().incidentRef == null
                                ? Set.of()
                                : Set.of(review.getSpec().incidentRef.name),
                        Keep.REFERENCED));
    }

    @Override
    public UpdateControl<PostIncidentReview> reconcile(PostIncidentReview review, Context<PostIncidentReview> context) {
        Instant at = clock.instant(); // the one reading of the clock in this reconcile
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        PostIncidentReviewStatus next = StatusUpdate.copy(review.getStatus(), PostIncidentReviewStatus::new);
        // A recreated incident of the same name is another incident: the facts stay those of the first.
        Optional<Incident> incident = context.getSecondaryResource(Incident.class)
                .flatMap(caches::whole)
                .filter(i -> next.incidentUID == null
                        || next.incidentUID.equals(i.getMetadata().getUid()));
        incident.ifPresent(i -> ReviewDraft.copyFacts(i, next));
        List<Problem> problems =
                PostIncidentReviewValidator.validate(review.getSpec(), review.getStatus(), incident.isPresent());

        // Sections are drafted once the incident is over, so that the actions taken are complete; a review asked for
        // while the incident is open gets them when it resolves.
        boolean over = incident.map(i -> i.getStatus() != null && i.getStatus().phase == Phase.Resolved)
                .orElse(false);
        if (next.prefilledAt == null && over && prefill(review, next)) {
            return UpdateControl.noUpdate(); // the spec changed: the next reconcile records it
        }
        if (next.prefilledAt == null && over) {
            next.prefilledAt = now;
        }

        PostIncidentReviewSpec spec = review.getSpec();
        List<Notice> notices = new ArrayList<>();
        Steps steps = new Steps(review.getMetadata().getUid(), backoffs, at);
        int overdueBefore = next.actionItems == null ? 0 : next.actionItems.overdue;
        next.actionItems = ActionItemCounter.count(spec.improvementPlan, now);
        if (next.actionItems.overdue > overdueBefore) {
            notices.add(Notice.warning(EventReason.ActionItemsOverdue, overdueText(spec.improvementPlan, now)));
        }
        if (spec.state == ReviewState.Published && next.publishedAt == null) {
            next.publishedAt = now;
        }
        if (next.actionItems.overdue > 0
                && incident.isPresent()
                && (next.lastReminderAt == null || !now.isBefore(next.lastReminderAt.plus(REMINDER_INTERVAL)))) {
            steps.run("Reminders", () -> {
                int sent = reminders.remind(
                        incident.get(),
                        "Post-incident review " + review.getMetadata().getName() + ": "
                                + overdueText(spec.improvementPlan, now));
                if (sent > 0) {
                    next.lastReminderAt = now;
                    notices.add(Notice.normal(
                            EventReason.ActionItemsReminded,
                            "reminded " + sent
                                    + " destination" + (sent == 1 ? "" : "s") + " of the incident's escalation: "
                                    + overdueText(spec.improvementPlan, now)));
                }
            });
        }
        steps.run("Document", () -> reconcileDocument(review, next, context));
        steps.condition(next.conditions, at, review.getMetadata().getGeneration());
        notices.addAll(steps.notices());

        UpdateControl<PostIncidentReview> control =
                status.write(review, context, next, problems, "review is valid", notices);
        steps.retry().ifPresent(control::rescheduleAfter);
        Stream.of(
                        ActionItemCounter.nextChange(spec.improvementPlan, now),
                        next.actionItems.overdue > 0 && next.lastReminderAt != null
                                ? Optional.of(next.lastReminderAt.plus(REMINDER_INTERVAL))
                                : Optional.<Instant>empty())
                .flatMap(Optional::stream)
                .min(Instant::compareTo)
                .ifPresent(
                        due -> control.rescheduleAfter(Duration.between(at, due).plusSeconds(1)));
        return control;
    }

    @Override
    public ErrorStatusUpdateControl<PostIncidentReview> updateErrorStatus(
            PostIncidentReview review, Context<PostIncidentReview> context, Exception e) {
        return status.failed(review, context, e, PostIncidentReviewStatus::new);
    }

    /** Fills empty spec sections with suggestions (a merge patch of those fields only, guarded by the version). */
    private boolean prefill(PostIncidentReview review, PostIncidentReviewStatus facts) {
        PostIncidentReviewSpec draft = JSON.clone(review.getSpec());
        if (!ReviewDraft.prefill(draft, facts)) {
            return false;
        }
        // Exactly the sections the draft filled (the empty ones), so a concurrent human edit of any other is kept.
        Map<String, Object> before = JSON.convertValue(review.getSpec(), Map.class);
        Map<String, Object> fields = new LinkedHashMap<>();
        JSON.convertValue(draft, Map.class).forEach((k, v) -> {
            if (!Objects.equals(v, before.get(k))) {
                fields.put((String) k, v);
            }
        });
        Map<String, Object> patch = Map.of(
                "metadata", Map.of("resourceVersion", review.getMetadata().getResourceVersion()), "spec", fields);
        client.resources(PostIncidentReview.class)
                .inNamespace(review.getMetadata().getNamespace())
                .withName(review.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.asJson(patch));
        events.normal(
                review,
                EventReason.ReviewDrafted,
                "sections " + String.join(", ", fields.keySet()) + " pre-filled from incident " + facts.incidentId);
        return true;
    }

    /**
     * The Markdown document, through its dependent resource: desired from the review as this reconcile leaves it, so
     * the document shows the status about to be written. Written only when its data differs from the cached one.
     */
    private void reconcileDocument(
            PostIncidentReview review, PostIncidentReviewStatus next, Context<PostIncidentReview> context) {
        PostIncidentReview rendered = new PostIncidentReview();
        rendered.setMetadata(review.getMetadata());
        rendered.setSpec(review.getSpec());
        rendered.setStatus(next);
        document.reconcile(rendered, context);
        next.documentConfigMap =
                ReviewDocumentDependent.documentName(review.getMetadata().getName());
        next.documentHash = Sha256.hex(ReviewDocument.render(rendered));
    }

    static String overdueText(List<ActionItem> items, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<String> overdue = items.stream()
                .filter(i -> !i.done)
                .filter(i -> ActionItemCounter.dueDate(i).map(today::isAfter).orElse(false))
                .map(i -> "\"" + i.description + "\"" + (i.owner == null ? "" : " (" + i.owner + ")") + " due "
                        + i.dueDate)
                .toList();
        return overdue.size() + " action item" + (overdue.size() == 1 ? "" : "s") + " overdue: "
                + String.join(", ", overdue);
    }
}
