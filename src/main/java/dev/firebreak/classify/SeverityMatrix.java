package dev.firebreak.classify;

import dev.firebreak.api.v1alpha1.Impact;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.Urgency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Severity as a function of impact x urgency. The default is the incident-management guide's matrix. */
public final class SeverityMatrix {
    /** Rows: impact, widest first; columns: urgency, Immediate, High, Medium, Low. */
    public static final SeverityMatrix DEFAULT = new SeverityMatrix(Map.of(
            Impact.AllUsers, List.of(Severity.Critical, Severity.Critical, Severity.High, Severity.High),
            Impact.KeyFeatures, List.of(Severity.Critical, Severity.High, Severity.High, Severity.Medium),
            Impact.FewUsers, List.of(Severity.High, Severity.Medium, Severity.Medium, Severity.Low),
            Impact.Minimal, List.of(Severity.Medium, Severity.Low, Severity.Low, Severity.Low)));

    private final Map<Impact, List<Severity>> rows;

    private SeverityMatrix(Map<Impact, List<Severity>> rows) {
        this.rows = new EnumMap<>(rows);
    }

    public Severity severity(Impact impact, Urgency urgency) {
        return rows.get(impact).get(urgency.ordinal());
    }

    /**
     * The default matrix with some rows replaced, each given as four severities for Immediate, High, Medium and Low
     * urgency (for example {@code AllUsers -> "Critical,Critical,Critical,High"}).
     */
    public static SeverityMatrix withRows(Map<String, String> overrides) {
        Map<Impact, List<Severity>> rows = new EnumMap<>(DEFAULT.rows);
        overrides.forEach((impact, row) -> {
            // Keys from environment variables arrive lower-cased (..._MATRIX_KEYFEATURES -> keyfeatures).
            Impact key = Classifier.parseImpact(impact)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "matrix row '" + impact + "' is not an impact: one of " + List.of(Impact.values())));
            List<Severity> severities;
            try {
                severities = java.util.Arrays.stream(row.split(","))
                        .map(String::strip)
                        .map(Severity::valueOf)
                        .toList();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "matrix row " + impact + " '" + row + "' must list severities (Critical, High, Medium, Low)");
            }
            if (severities.size() != Urgency.values().length) {
                throw new IllegalArgumentException("matrix row " + impact + " '" + row
                        + "' needs 4 severities, for Immediate, High, Medium and Low urgency");
            }
            rows.put(key, severities);
        });
        return new SeverityMatrix(rows);
    }
}
