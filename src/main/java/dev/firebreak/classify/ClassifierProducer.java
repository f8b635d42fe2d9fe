package dev.firebreak.classify;

import dev.firebreak.config.FirebreakConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The classifier with the configured matrix; a bad matrix stops the operator at start with the reason. */
public class ClassifierProducer {
    @Produces
    @Singleton
    Classifier classifier(FirebreakConfig config) {
        return new Classifier(SeverityMatrix.withRows(config.classification().matrix()));
    }
}
