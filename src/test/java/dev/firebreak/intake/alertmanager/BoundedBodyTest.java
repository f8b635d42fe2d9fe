package dev.firebreak.intake.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.testing.MovableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BoundedBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String through(String json, int maxString) throws IOException {
        try (InputStream in = new BoundedBody(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                64 << 20,
                maxString,
                Duration.ofMinutes(1),
                Clock.systemUTC())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Stream<Arguments> strings() {
        return Stream.of(
                Arguments.of("{\"k\":\"abcd\"}", "{\"k\":\"abcd\"}"),
                Arguments.of("{\"k\":\"abcdefghij\"}", "{\"k\":\"abcd…\"}"),
                Arguments.of("{\"k\":\"ab\\\"cdefgh\",\"n\":1}", "{\"k\":\"ab\\\"c…\",\"n\":1}"),
                Arguments.of("{\"k\":\"ab\\u00e9cdefgh\"}", "{\"k\":\"ab\\u00e9c…\"}"),
                Arguments.of("{\"k\":\"aéééééé\"}", "{\"k\":\"aéé…\"}"),
                Arguments.of("{\"abcdefghij\":\"v\"}", "{\"abcd…\":\"v\"}"),
                Arguments.of("{\"k\":\"abcd\\\\\\\\\\\\\"}", "{\"k\":\"abcd…\"}"));
    }

    /** Strings beyond the limit are cut at a character boundary, never inside an escape, and stay valid JSON. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("strings")
    void longStringsAreCutAsTheyPass(String in, String out) throws IOException {
        String cut = through(in, 4);
        assertThat(cut).isEqualTo(out);
        assertThat(JSON.readTree(cut)).isNotNull();
    }

    @Test
    void aStringOfManyMegabytesNeverReachesTheParserWhole() throws IOException {
        String huge = "{\"description\":\"" + "x".repeat(5_000_000) + "\",\"after\":\"kept\"}";
        String cut = through(huge, 1024);
        assertThat(cut.length()).isLessThan(1200);
        assertThat(JSON.readTree(cut).get("after").asText()).isEqualTo("kept");
    }

    @Test
    void aBodyBeyondTheLimitIsTooLarge() {
        InputStream in = new BoundedBody(
                new ByteArrayInputStream(new byte[100_000]), 50_000, 1024, Duration.ofMinutes(1), Clock.systemUTC());
        assertThatThrownBy(in::readAllBytes).isInstanceOf(BoundedBody.TooLarge.class);
    }

    @Test
    void aBodyThatTakesTooLongIsTooSlow() {
        MovableClock clock = new MovableClock();
        InputStream slow = new InputStream() {
            @Override
            public int read() {
                clock.advance(Duration.ofSeconds(1));
                return '{';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                b[off] = (byte) read();
                return 1;
            }
        };
        InputStream in = new BoundedBody(slow, 1 << 20, 1024, Duration.ofSeconds(30), clock);
        assertThatThrownBy(in::readAllBytes).isInstanceOf(BoundedBody.TooSlow.class);
    }
}
