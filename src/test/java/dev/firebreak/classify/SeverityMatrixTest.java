package dev.firebreak.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firebreak.api.v1alpha1.Impact;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.Urgency;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeverityMatrixTest {
    @ParameterizedTest(name = "{0} x {1} = {2}")
    @CsvSource({
        "AllUsers, Immediate, Critical",
        "AllUsers, High, Critical",
        "AllUsers, Medium, High",
        "AllUsers, Low, High",
        "KeyFeatures, Immediate, Critical",
        "KeyFeatures, High, High",
        "KeyFeatures, Medium, High",
        "KeyFeatures, Low, Medium",
        "FewUsers, Immediate, High",
        "FewUsers, High, Medium",
        "FewUsers, Medium, Medium",
        "FewUsers, Low, Low",
        "Minimal, Immediate, Medium",
        "Minimal, High, Low",
        "Minimal, Medium, Low",
        "Minimal, Low, Low"
    })
    void defaultMatrix(Impact impact, Urgency urgency, Severity expected) {
        assertThat(SeverityMatrix.DEFAULT.severity(impact, urgency)).isEqualTo(expected);
    }

    @Test
    void aRowCanBeReplaced() {
        SeverityMatrix matrix = SeverityMatrix.withRows(Map.of("Minimal", "Low, Low, Low, Low"));
        assertThat(matrix.severity(Impact.Minimal, Urgency.Immediate)).isEqualTo(Severity.Low);
        assertThat(matrix.severity(Impact.AllUsers, Urgency.Immediate)).isEqualTo(Severity.Critical);
    }

    @Test
    void rowNamesFromEnvironmentVariablesArriveLowerCased() {
        SeverityMatrix matrix = SeverityMatrix.withRows(Map.of("keyfeatures", "High,High,High,High"));
        assertThat(matrix.severity(Impact.KeyFeatures, Urgency.Immediate)).isEqualTo(Severity.High);
    }

    @Test
    void aBadRowSaysWhatIsWrong() {
        assertThatThrownBy(() -> SeverityMatrix.withRows(Map.of("Everyone", "Low,Low,Low,Low")))
                .hasMessageContaining("matrix row 'Everyone' is not an impact");
        assertThatThrownBy(() -> SeverityMatrix.withRows(Map.of("Minimal", "Low,Low,Low")))
                .hasMessageContaining("needs 4 severities");
        assertThatThrownBy(() -> SeverityMatrix.withRows(Map.of("Minimal", "Low,Low,Low,Trivial")))
                .hasMessageContaining("must list severities");
    }
}
