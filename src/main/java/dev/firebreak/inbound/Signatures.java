package dev.firebreak.inbound;

import dev.firebreak.secrets.Hmac;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Whether an inbound request comes from the tool it claims, checked on the raw bytes before anything is parsed. Each
 * check takes the list of secrets currently configured (more than one while a secret is rotated) and accepts a
 * request that any of them signed. Every comparison is constant-time. Pure.
 */
public final class Signatures {
    /** Slack refuses requests whose timestamp is more than five minutes from now, so do we (replays). */
    public static final Duration SLACK_WINDOW = Duration.ofMinutes(5);

    /** At most this many signatures in one header are checked (PagerDuty sends one per active secret). */
    static final int MAX_SIGNATURES = 8;

    /** The outcome of a check. */
    public enum Verdict {
        VALID,
        /** No or a wrong signature or secret. */
        INVALID,
        /** Signed, but with a timestamp outside the accepted window. */
        STALE
    }

    private Signatures() {}

    /**
     * PagerDuty Webhooks v3: {@code X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]}, each the hex HMAC-SHA256 of the raw
     * body with one of the subscription's secrets.
     */
    public static Verdict pagerDuty(byte[] body, String header, List<byte[]> secrets) {
        if (header == null || secrets.isEmpty()) {
            return Verdict.INVALID;
        }
        String[] values = header.split(",", MAX_SIGNATURES + 1);
        boolean any = false;
        for (int i = 0; i < Math.min(values.length, MAX_SIGNATURES); i++) {
            String v = values[i].strip();
            if (!v.startsWith("v1=")) {
                continue;
            }
            byte[] presented = v.substring(3).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            for (byte[] secret : secrets) {
                // No early exit: every pair is compared, so the time taken does not say which one matched.
                any |= Hmac.constantTimeEquals(
                        presented, Hmac.sha256Hex(secret, body).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return any ? Verdict.VALID : Verdict.INVALID;
    }

    /**
     * Slack request signing: {@code X-Slack-Signature: v0=<hex>} of HMAC-SHA256 over {@code
     * "v0:" + X-Slack-Request-Timestamp + ":" + raw body}; a timestamp more than {@link #SLACK_WINDOW} from now is
     * {@link Verdict#STALE} even when signed (checked after the signature, so that an unsigned request learns
     * nothing).
     */
    public static Verdict slack(byte[] body, String timestamp, String signature, List<byte[]> secrets, Instant now) {
        if (timestamp == null || signature == null || secrets.isEmpty() || !signature.startsWith("v0=")) {
            return Verdict.INVALID;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return Verdict.INVALID;
        }
        byte[] prefix = ("v0:" + timestamp.strip() + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] presented =
                signature.substring(3).strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        boolean any = false;
        for (byte[] secret : secrets) {
            any |= Hmac.constantTimeEquals(
                    presented, Hmac.sha256Hex(secret, prefix, body).getBytes(StandardCharsets.US_ASCII));
        }
        if (!any) {
            return Verdict.INVALID;
        }
        long skew = Math.abs(now.getEpochSecond() - seconds);
        return skew > SLACK_WINDOW.toSeconds() ? Verdict.STALE : Verdict.VALID;
    }

    /** A shared secret sent as a header (Opsgenie has no signatures): equal to any configured one. */
    public static Verdict sharedSecret(String presented, List<byte[]> secrets) {
        if (presented == null || presented.isEmpty() || secrets.isEmpty()) {
            return Verdict.INVALID;
        }
        byte[] p = presented.strip().getBytes(StandardCharsets.UTF_8);
        boolean any = false;
        for (byte[] secret : secrets) {
            any |= Hmac.constantTimeEquals(p, secret);
        }
        return any ? Verdict.VALID : Verdict.INVALID;
    }

    /**
     * The secrets one Secret value holds: one per line (two while a secret is rotated), blank lines and surrounding
     * whitespace ignored (a value written with 'echo' ends in a newline no tool sends).
     */
    public static List<byte[]> secrets(byte[] value) {
        return new String(value, StandardCharsets.UTF_8)
                .lines()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .toList();
    }
}
