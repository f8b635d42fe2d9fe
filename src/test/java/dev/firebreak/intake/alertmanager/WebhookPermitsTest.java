package dev.firebreak.intake.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The webhook's permits bound the bytes being read and stored at once, not only the number of notifications. */
class WebhookPermitsTest {
    @ParameterizedTest(name = "{0} bytes -> {1} of 32")
    @CsvSource({
        "0, 1",
        "1024, 1",
        "1048576, 1",
        "1048577, 2",
        "1258291, 2",
        "12582912, 12",
        "67108864, 32",
        ", 8",
        "-1, 8"
    })
    void oneLargeNotificationTakesAsManyPermitsAsItHasMebibytes(Long length, int permits) {
        assertThat(AlertmanagerWebhook.permits(length, 32)).isEqualTo(permits);
    }
}
