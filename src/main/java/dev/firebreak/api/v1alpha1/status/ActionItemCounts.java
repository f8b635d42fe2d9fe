package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Counts of a review's action items. */
public class ActionItemCounts {
    @JsonPropertyDescription("Items not done yet (overdue ones included).")
    public int open;

    @JsonPropertyDescription("Items done.")
    public int done;

    @JsonPropertyDescription("Items not done after their due date.")
    public int overdue;

    public ActionItemCounts() {}

    public ActionItemCounts(int open, int done, int overdue) {
        this.open = open;
        this.done = done;
        this.overdue = overdue;
    }
}
