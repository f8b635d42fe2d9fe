package dev.firebreak.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.PostIncidentReviewSpec;
import dev.firebreak.api.v1alpha1.PostIncidentReviewStatus;
import dev.firebreak.api.v1alpha1.spec.ActionItem;
import dev.firebreak.testing.Yaml;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ActionItemCounterTest {
    private static final List<ActionItem> PLAN = Yaml.read("""
            incidentRef: {name: checkout}
            improvementPlan:
            - {description: add an alert on error budget burn, dueDate: "2026-11-20"}
            - {description: canary the checkout service, dueDate: "2026-11-23"}
            - {description: write the runbook, dueDate: "2026-11-01", done: true}
            - {description: no date yet}
            """, PostIncidentReviewSpec.class).improvementPlan;

    @ParameterizedTest(name = "at {0}: open {1}, done {2}, overdue {3}")
    @CsvSource({
        "2026-11-19T12:00:00Z, 3, 1, 0",
        "2026-11-20T23:59:59Z, 3, 1, 0",
        "2026-11-21T00:00:00Z, 3, 1, 1",
        "2026-11-23T23:59:59Z, 3, 1, 1",
        "2026-11-24T00:00:00Z, 3, 1, 2"
    })
    void countsOpenDoneAndOverdueAtAnInstant(String now, int open, int done, int overdue) {
        var counts = ActionItemCounter.count(PLAN, Instant.parse(now));
        assertThat(List.of(counts.open, counts.done, counts.overdue)).containsExactly(open, done, overdue);
    }

    @ParameterizedTest(name = "at {0} the counts next change at {1}")
    @CsvSource({"2026-11-19T12:00:00Z, 2026-11-21T00:00:00Z", "2026-11-22T08:00:00Z, 2026-11-24T00:00:00Z"})
    void knowsWhenTheCountsNextChange(String now, String next) {
        assertThat(ActionItemCounter.nextChange(PLAN, Instant.parse(now))).contains(Instant.parse(next));
    }

    @Test
    void nothingChangesOnceEveryDueDateHasPassed() {
        assertThat(ActionItemCounter.nextChange(PLAN, Instant.parse("2026-12-01T00:00:00Z")))
                .isEmpty();
    }

    @Test
    void aReviewNeedsItsIncidentUntilTheFactsAreCopied() {
        PostIncidentReviewSpec spec = Yaml.read("incidentRef: {name: checkout}\n", PostIncidentReviewSpec.class);
        PostIncidentReviewStatus copied = new PostIncidentReviewStatus();
        copied.incidentUID = "0b6f7c1e";

        assertThat(PostIncidentReviewValidator.validate(spec, null, false))
                .singleElement()
                .hasToString("spec.incidentRef.name: Incident checkout not found in the review's namespace");
        assertThat(PostIncidentReviewValidator.validate(spec, null, true)).isEmpty();
        assertThat(PostIncidentReviewValidator.validate(spec, copied, false)).isEmpty();
    }

    @Test
    void dueDatesMustBeRealDates() {
        PostIncidentReviewSpec spec = Yaml.read("""
                incidentRef: {name: checkout}
                improvementPlan:
                - {description: a, dueDate: "2026-02-30"}
                """, PostIncidentReviewSpec.class);

        assertThat(PostIncidentReviewValidator.validate(spec, null, true))
                .singleElement()
                .hasToString("spec.improvementPlan[0].dueDate: '2026-02-30' is not a calendar date");
    }
}
