package dev.firebreak.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({
        "0s, PT0S",
        "30s, PT30S",
        "5m, PT5M",
        "1h30m, PT1H30M",
        "250ms, PT0.25S",
        "1.5h, PT1H30M",
        "72h, PT72H",
        "1h0m5s, PT1H5S"
    })
    void parsesGoDurations(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "m", "5 m", "-5m", "5d", "1h 30m", "PT5M"})
    void rejectsWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not a duration");
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0s", "PT45S, 45s", "PT1H2M3S, 1h2m3s", "PT2H, 2h", "PT61M, 1h1m", "PT0.9S, 0s"})
    void formatsToTheSecond(String duration, String expected) {
        assertThat(Durations.format(Duration.parse(duration))).isEqualTo(expected);
    }
}
