package dev.firebreak.classify;

import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.config.FirebreakConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The classifier with the configured matrix; a bad matrix stops the operator at start with the reason. */
public class ClassifierProducer {
    @Produces
    @Singleton
    Classifier classifier(FirebreakConfig config) {
        var c = config.classification();
        Map<String, Severity> floors = new LinkedHashMap<>();
        if (c.severityLabelFloor()) {
            if (c.severityLabels().isEmpty()) {
                floors.putAll(Classifier.DEFAULT_LABEL_FLOORS);
            }
            c.severityLabels().forEach((label, severity) -> {
                try {
                    floors.put(label.strip().toLowerCase(Locale.ROOT), Severity.valueOf(severity.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("firebreak.classification.severity-labels." + label + ": '"
                            + severity + "' is not one of Critical, High, Medium, Low");
                }
            });
        }
        return new Classifier(SeverityMatrix.withRows(c.matrix()), Map.copyOf(floors));
    }
}
