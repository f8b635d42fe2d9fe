package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.api.v1alpha1.PostIncidentReviewSpec;
import dev.firebreak.api.v1alpha1.PostIncidentReviewStatus;
import dev.firebreak.api.v1alpha1.spec.ActionItem;
import dev.firebreak.templates.Templates;
import io.quarkus.qute.Template;
import java.time.Instant;
import java.util.List;

/**
 * The review as a Markdown document following the template teams use (templates/review/review.md, Qute). Pure: the
 * same review renders to the same bytes, which the ConfigMap, the HTTP endpoint and 'kubectl firebreak review export'
 * all serve.
 */
public final class ReviewDocument {
    private static final Template TEMPLATE = Templates.load("templates/review/review.md");

    /** What the template shows; empty sections say so instead of rendering blank. */
    public record View(
            String name,
            String namespace,
            String incidentId,
            String title,
            String state,
            String severity,
            String detectionTime,
            String resolutionTime,
            String duration,
            String timeToAcknowledge,
            String summary,
            String rootCause,
            String impact,
            String actionsTaken,
            String lessonsLearned,
            List<Item> actionItems,
            String actionItemCounts,
            List<Entry> timeline) {}

    public record Item(String done, String description, String owner, String due) {}

    public record Entry(String time, String type, String message) {}

    private ReviewDocument() {}

    public static String render(PostIncidentReview review) {
        PostIncidentReviewSpec spec = review.getSpec();
        PostIncidentReviewStatus s = review.getStatus() == null ? new PostIncidentReviewStatus() : review.getStatus();
        List<Item> items =
                spec.improvementPlan.stream().map(ReviewDocument::item).toList();
        String counts = s.actionItems == null
                ? ""
                : s.actionItems.open + " open (" + s.actionItems.overdue + " overdue), " + s.actionItems.done
                        + " done.";
        View view = new View(
                review.getMetadata().getName(),
                review.getMetadata().getNamespace(),
                s.incidentId == null ? spec.incidentRef.name : s.incidentId,
                or(s.title, spec.incidentRef.name),
                spec.state.name(),
                s.severity == null ? "unclassified" : s.severity.name(),
                time(s.detectionTime),
                time(s.resolutionTime),
                or(s.duration, "-"),
                or(s.timeToAcknowledge, "never acknowledged"),
                or(spec.summary, "_To be written._"),
                or(spec.rootCause, ReviewDraft.TO_BE_DETERMINED),
                or(spec.impact, "_To be written._"),
                or(spec.actionsTaken, "_To be written._"),
                or(spec.lessonsLearned, "_To be written by the team._"),
                items,
                counts,
                s.timeline.stream()
                        .map(e -> new Entry(time(e.time), e.type == null ? "" : e.type.name(), cell(e.message)))
                        .toList());
        return TEMPLATE.data("r", view).render();
    }

    private static Item item(ActionItem i) {
        return new Item(
                i.done ? "yes" : "no",
                cell(i.description),
                i.owner == null ? "-" : cell(i.owner),
                i.dueDate == null ? "-" : i.dueDate);
    }

    /** Table cells cannot hold pipes or line breaks. */
    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replaceAll("\\s*\\n\\s*", " ");
    }

    private static String time(Instant t) {
        return t == null ? "-" : t.toString();
    }

    private static String or(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value;
    }
}
