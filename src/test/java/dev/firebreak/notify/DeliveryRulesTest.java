package dev.firebreak.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveryRulesTest {
    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
        "400,Failed",
        "401,Failed",
        "403,Failed",
        "404,Failed",
        "413,Failed",
        "429,Retry",
        "500,Retry",
        "502,Retry",
        "503,Retry"
    })
    void statusClassification(int status, Attempt.Outcome outcome) {
        assertThat(HttpChannel.classify(status, "x", Optional.empty()).outcome())
                .isEqualTo(outcome);
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        assertThat(HttpChannel.retryAfter("7")).contains(Duration.ofSeconds(7));
        assertThat(HttpChannel.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
        assertThat(HttpChannel.retryAfter("soon")).isEmpty();
    }

    @Test
    void backoffDoublesWithJitterCapsAndHonoursALongerRetryAfter() {
        Backoff b = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(2), 8);
        assertThat(b.after(1, Optional.empty(), () -> 0.5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.after(3, Optional.empty(), () -> 0.5)).isEqualTo(Duration.ofSeconds(8));
        assertThat(b.after(3, Optional.empty(), () -> 0.0)).isEqualTo(Duration.ofMillis(6400));
        assertThat(b.after(3, Optional.empty(), () -> 1.0)).isEqualTo(Duration.ofMillis(9600));
        assertThat(b.after(20, Optional.empty(), () -> 1.0)).isEqualTo(Duration.ofMinutes(2));
        assertThat(b.after(1, Optional.of(Duration.ofSeconds(30)), () -> 0.5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.after(1, Optional.of(Duration.ofHours(5)), () -> 0.5)).isEqualTo(Duration.ofMinutes(2));
        assertThat(b.exhausted(7)).isFalse();
        assertThat(b.exhausted(8)).isTrue();
    }

    @Test
    void redactionRemovesSecretsPlainAndUrlEncoded() {
        String url = "https://hooks.slack.com/services/T000/B000/XXXXsecret";
        assertThat(Redaction.scrub(
                        "failed posting to " + url + " and " + URLEncoder.encode(url, StandardCharsets.UTF_8),
                        List.of(url)))
                .isEqualTo("failed posting to [REDACTED] and [REDACTED]");
        assertThat(Redaction.scrub("line1\nline2", List.of())).isEqualTo("line1 line2");
    }
}
