package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.PostIncidentReviewSpec;
import dev.firebreak.api.v1alpha1.PostIncidentReviewStatus;
import dev.firebreak.api.v1alpha1.spec.ActionItem;
import dev.firebreak.validation.Problem;
import dev.firebreak.validation.Problems;
import dev.firebreak.validation.Reason;
import java.util.List;

/**
 * What the schema cannot check about a PostIncidentReview: the incident must exist unless its facts were already
 * copied (a review outlives its incident), and due dates must be real dates.
 */
public final class PostIncidentReviewValidator {
    private PostIncidentReviewValidator() {}

    public static List<Problem> validate(
            PostIncidentReviewSpec spec, PostIncidentReviewStatus status, boolean incidentExists) {
        Problems problems = new Problems();
        if (spec == null || spec.incidentRef == null || spec.incidentRef.name == null) {
            return problems.add(Reason.MissingField, "spec.incidentRef.name", "the incident reviewed is required")
                    .list();
        }
        boolean factsCopied = status != null && status.incidentUID != null;
        if (!incidentExists && !factsCopied) {
            problems.add(
                    Reason.IncidentNotFound,
                    "spec.incidentRef.name",
                    "Incident " + spec.incidentRef.name + " not found in the review's namespace");
        }
        List<ActionItem> items = spec.improvementPlan == null ? List.of() : spec.improvementPlan;
        for (int i = 0; i < items.size(); i++) {
            ActionItem item = items.get(i);
            if (item.dueDate != null && ActionItemCounter.dueDate(item).isEmpty()) {
                problems.add(
                        Reason.InvalidDueDate,
                        "spec.improvementPlan[" + i + "].dueDate",
                        "'" + item.dueDate + "' is not a calendar date");
            }
        }
        return problems.list();
    }
}
