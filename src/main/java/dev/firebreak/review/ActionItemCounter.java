package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.spec.ActionItem;
import dev.firebreak.api.v1alpha1.status.ActionItemCounts;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** Counts a review's action items at an instant. An item is overdue once its due date (UTC) has passed undone. */
public final class ActionItemCounter {
    private ActionItemCounter() {}

    public static ActionItemCounts count(List<ActionItem> items, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        int open = 0;
        int done = 0;
        int overdue = 0;
        for (ActionItem item : items == null ? List.<ActionItem>of() : items) {
            if (item.done) {
                done++;
                continue;
            }
            open++;
            if (dueDate(item).map(today::isAfter).orElse(false)) {
                overdue++;
            }
        }
        return new ActionItemCounts(open, done, overdue);
    }

    /** When the counts next change by the passing of time alone: the next UTC midnight after an open due date. */
    public static Optional<Instant> nextChange(List<ActionItem> items, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return (items == null ? List.<ActionItem>of() : items)
                .stream()
                        .filter(i -> !i.done)
                        .map(ActionItemCounter::dueDate)
                        .flatMap(Optional::stream)
                        .filter(d -> !today.isAfter(d))
                        .min(LocalDate::compareTo)
                        .map(d -> d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    static Optional<LocalDate> dueDate(ActionItem item) {
        if (item.dueDate == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(item.dueDate));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
