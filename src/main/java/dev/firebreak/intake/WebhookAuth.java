package dev.firebreak.intake;

import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.config.FirebreakConfig.AuthMode;
import dev.firebreak.secrets.Hmac;
import dev.firebreak.secrets.SecretReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Checks Alertmanager's credentials (bearer token and/or basic auth) against the webhook Secret, in constant time.
 * The Secret is read at most every {@link #REFRESH}, by one request at a time (the others meanwhile check against
 * what was read last), so a storm does not read it per call, and a rotated Secret is used within that time. Never
 * says, logs or records anything about the expected values.
 */
@ApplicationScoped
public class WebhookAuth {
    static final Duration REFRESH = Duration.ofSeconds(30);

    /** The answer: allowed, refused (401), or impossible to check now (503: Alertmanager retries). */
    public enum Verdict {
        ALLOWED,
        REFUSED,
        UNAVAILABLE
    }

    record Credentials(Optional<byte[]> token, Optional<byte[]> basic, Instant readAt) {}

    private final FirebreakConfig config;
    private final Supplier<Optional<Map<String, byte[]>>> secret;
    private final Clock clock;
    private volatile Credentials cached;
    private final AtomicBoolean reading = new AtomicBoolean();

    @Inject
    public WebhookAuth(FirebreakConfig config, SecretReader secrets, Clock clock) {
        this(
                config,
                () -> secrets.data(config.namespace(), config.webhook().auth().secret()),
                clock);
    }

    WebhookAuth(FirebreakConfig config, Supplier<Optional<Map<String, byte[]>>> secret, Clock clock) {
        this.config = config;
        this.secret = secret;
        this.clock = clock;
    }

    public Verdict check(String authorization) {
        AuthMode mode = config.webhook().auth().mode();
        if (mode == AuthMode.NONE) {
            return Verdict.ALLOWED;
        }
        Optional<Credentials> credentials = credentials();
        if (credentials.isEmpty()) {
            return Verdict.UNAVAILABLE;
        }
        if (authorization == null) {
            return Verdict.REFUSED;
        }
        boolean bearer = (mode == AuthMode.BEARER || mode == AuthMode.BEARER_OR_BASIC)
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && credentials
                        .get()
                        .token()
                        .map(t -> matches(authorization.substring(7).strip(), t))
                        .orElse(false);
        boolean basic = (mode == AuthMode.BASIC || mode == AuthMode.BEARER_OR_BASIC)
                && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                && credentials
                        .get()
                        .basic()
                        .map(b -> matches(decodeBasic(authorization.substring(6).strip()), b))
                        .orElse(false);
        return bearer || basic ? Verdict.ALLOWED : Verdict.REFUSED;
    }

    /** The credentials to check against: read afresh when due, unless another request is reading them now. */
    Optional<Credentials> credentials() {
        Credentials current = cached;
        Instant now = clock.instant();
        if (current != null && current.readAt().plus(REFRESH).isAfter(now)) {
            return Optional.of(current);
        }
        boolean mine = reading.compareAndSet(false, true);
        if (!mine && current != null) {
            return Optional.of(current);
        }
        try {
            return read(current, now);
        } finally {
            if (mine) {
                reading.set(false);
            }
        }
    }

    private Optional<Credentials> read(Credentials current, Instant now) {
        Optional<Map<String, byte[]>> data;
        try {
            data = secret.get();
        } catch (RuntimeException e) {
            return Optional.ofNullable(current);
        }
        if (data.isEmpty()) {
            return Optional.empty();
        }
        Map<String, byte[]> d = data.get();
        Optional<byte[]> basic = d.containsKey("username") && d.containsKey("password")
                ? Optional.of(join(d.get("username"), d.get("password")))
                : Optional.empty();
        Credentials fresh =
                new Credentials(Optional.ofNullable(d.get("token")).map(WebhookAuth::trimNewline), basic, now);
        cached = fresh;
        return Optional.of(fresh);
    }

    /** A token written with 'echo' into a Secret ends in a newline that no client sends. */
    private static byte[] trimNewline(byte[] value) {
        return new String(value, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] join(byte[] username, byte[] password) {
        return (new String(username, StandardCharsets.UTF_8) + ":" + new String(password, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String decodeBasic(String encoded) {
        try {
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static boolean matches(String presented, byte[] expected) {
        return Hmac.constantTimeEquals(presented.getBytes(StandardCharsets.UTF_8), expected);
    }
}
