package dev.firebreak.classify;

import dev.firebreak.api.v1alpha1.Impact;
import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.Urgency;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertState;
import dev.firebreak.workload.WorkloadHealth;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Classifies an incident. Inputs, strongest first: the human overrides in the spec (severity, then impact and urgency);
 * the alerts' labels ({@code impact}, {@code urgency}, and the conventional {@code severity}); the measured impact of
 * the affected workloads. Without any evidence, impact is FewUsers and urgency Medium (a Medium incident): an incident
 * someone declared matters, but nothing says it is worse.
 */
public final class Classifier {
    static final Impact DEFAULT_IMPACT = Impact.FewUsers;
    static final Urgency DEFAULT_URGENCY = Urgency.Medium;

    private final SeverityMatrix matrix;
    private final Map<String, Severity> labelFloors;

    public Classifier(SeverityMatrix matrix) {
        this(matrix, DEFAULT_LABEL_FLOORS);
    }

    /** {@code labelFloors}: the least severity an alert's {@code severity} label value gives; empty turns it off. */
    public Classifier(SeverityMatrix matrix, Map<String, Severity> labelFloors) {
        this.matrix = matrix;
        this.labelFloors = labelFloors;
    }

    /**
     * The least severity an alert's {@code severity} label gives, by the Prometheus convention and its common
     * synonyms: the matrix may raise it, never lower it, so that {@code severity=critical} reaches a policy for
     * Critical incidents even when no impact is measured.
     */
    public static final Map<String, Severity> DEFAULT_LABEL_FLOORS = Map.ofEntries(
            Map.entry("critical", Severity.Critical),
            Map.entry("crit", Severity.Critical),
            Map.entry("page", Severity.Critical),
            Map.entry("p1", Severity.Critical),
            Map.entry("error", Severity.High),
            Map.entry("high", Severity.High),
            Map.entry("major", Severity.High),
            Map.entry("p2", Severity.High),
            Map.entry("warning", Severity.Medium),
            Map.entry("warn", Severity.Medium),
            Map.entry("medium", Severity.Medium),
            Map.entry("minor", Severity.Medium),
            Map.entry("p3", Severity.Medium),
            Map.entry("info", Severity.Low),
            Map.entry("low", Severity.Low),
            Map.entry("none", Severity.Low),
            Map.entry("p4", Severity.Low),
            Map.entry("p5", Severity.Low));

    public Classification classify(IncidentSpec spec, List<AlertRecord> alerts, List<WorkloadHealth> workloads) {
        List<AlertRecord> evidence = firingOrAll(alerts);
        Decision<Impact> impact = impact(spec, evidence, workloads);
        Decision<Urgency> urgency = urgency(spec, evidence);
        if (spec.severity != null) {
            return new Classification(
                    impact.value, urgency.value, spec.severity, "set in the incident's spec (spec.severity)");
        }
        Severity severity = matrix.severity(impact.value, urgency.value);
        String reason =
                "impact " + impact.value + ": " + impact.why + "; urgency " + urgency.value + ": " + urgency.why;
        Optional<Decision<Severity>> floor = Classifier.<Severity>worstLabel(
                evidence,
                "severity",
                v -> Optional.ofNullable(labelFloors.get(v.strip().toLowerCase(Locale.ROOT))),
                Comparator.<Severity>naturalOrder());
        if (floor.isPresent() && floor.get().value.compareTo(severity) < 0) {
            return new Classification(
                    impact.value,
                    urgency.value,
                    floor.get().value,
                    reason + "; at least " + floor.get().value + ": " + floor.get().why);
        }
        return new Classification(impact.value, urgency.value, severity, reason);
    }

    private record Decision<T>(T value, String why) {}

    private static List<AlertRecord> firingOrAll(List<AlertRecord> alerts) {
        List<AlertRecord> firing =
                alerts.stream().filter(a -> a.state == AlertState.Firing).toList();
        return firing.isEmpty() ? alerts : firing;
    }

    private static Decision<Impact> impact(
            IncidentSpec spec, List<AlertRecord> alerts, List<WorkloadHealth> workloads) {
        if (spec.impact != null) {
            return new Decision<>(spec.impact, "set in the incident's spec");
        }
        Optional<Decision<Impact>> fromLabels =
                worstLabel(alerts, "impact", Classifier::parseImpact, Comparator.naturalOrder());
        if (fromLabels.isPresent()) {
            return fromLabels.get();
        }
        return workloads.stream()
                .filter(WorkloadHealth::found)
                .map(Classifier::measured)
                .min(Comparator.comparing(Decision::value))
                .orElse(new Decision<>(DEFAULT_IMPACT, "no alert label or workload measurement says otherwise"));
    }

    /** All replicas down: AllUsers; at least half: KeyFeatures; some: FewUsers; none: Minimal. Tier critical: a step worse. */
    static Decision<Impact> measured(WorkloadHealth w) {
        Impact impact;
        if (w.desired() == 0 || w.unavailable() == 0) {
            impact = Impact.Minimal;
        } else if (w.available() == 0) {
            impact = Impact.AllUsers;
        } else if (w.unavailable() * 2 >= w.desired()) {
            impact = Impact.KeyFeatures;
        } else {
            impact = Impact.FewUsers;
        }
        if (w.critical() && impact != Impact.AllUsers) {
            impact = Impact.values()[impact.ordinal() - 1];
        }
        return new Decision<>(impact, w.describe());
    }

    private static Decision<Urgency> urgency(IncidentSpec spec, List<AlertRecord> alerts) {
        if (spec.urgency != null) {
            return new Decision<>(spec.urgency, "set in the incident's spec");
        }
        return worstLabel(alerts, "urgency", Classifier::parseUrgency, Comparator.naturalOrder())
                .or(() -> worstLabel(alerts, "severity", Classifier::urgencyOfSeverityLabel, Comparator.naturalOrder()))
                .orElse(new Decision<>(DEFAULT_URGENCY, "no alert label or override says otherwise"));
    }

    /** The worst (lowest ordinal) value any alert's label gives, with the alert it came from. */
    private static <T extends Enum<T>> Optional<Decision<T>> worstLabel(
            List<AlertRecord> alerts, String label, Function<String, Optional<T>> parse, Comparator<T> order) {
        return alerts.stream()
                .flatMap(a -> Optional.ofNullable(a.labels)
                        .map(l -> l.get(label))
                        .flatMap(parse)
                        .map(v -> new Decision<>(
                                v,
                                "label " + label + "=\"" + a.labels.get(label) + "\" on alert "
                                        + (a.alertname == null ? a.fingerprint : a.alertname)))
                        .stream())
                .min(Comparator.comparing(Decision::value, order));
    }

    static Optional<Impact> parseImpact(String value) {
        return parse(value, Impact.values());
    }

    static Optional<Urgency> parseUrgency(String value) {
        return parse(value, Urgency.values());
    }

    /** The conventional alert severity label as an urgency: critical, error/high, warning, info/none. */
    static Optional<Urgency> urgencyOfSeverityLabel(String value) {
        return Optional.ofNullable(SEVERITY_LABELS.get(value.strip().toLowerCase(Locale.ROOT)));
    }

    private static final Map<String, Urgency> SEVERITY_LABELS = Map.of(
            "critical", Urgency.Immediate,
            "error", Urgency.High,
            "high", Urgency.High,
            "warning", Urgency.Medium,
            "info", Urgency.Low,
            "none", Urgency.Low);

    /** Matches enum names ignoring case, dashes and underscores: "all-users", "AllUsers" and "all_users" alike. */
    private static <T extends Enum<T>> Optional<T> parse(String value, T[] values) {
        String wanted = value.replaceAll("[-_\\s]", "").toLowerCase(Locale.ROOT);
        for (T v : values) {
            if (v.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
