package dev.firebreak.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.api.v1alpha1.status.Channel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one way the HTTP channels deliver: one request with a timeout, and the response classified the way every one
 * of their APIs documents it: 2xx delivered; 429 and 5xx (and network errors) retried, honouring Retry-After; any
 * other status refused for good. Errors name the channel and status, never the URL (for Slack and Teams the URL is the
 * credential) and are scrubbed of every credential used.
 */
public final class HttpChannel {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final int BODY_IN_ERROR = 200;

    private final HttpClient client;
    private final Duration timeout;

    public HttpChannel(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A POST/PATCH of a JSON body. {@code externalId} reads the channel's record id from a 2xx body. */
    public Attempt send(
            Channel channel,
            String method,
            String url,
            String body,
            Map<String, String> headers,
            Credentials credentials,
            Function<JsonNode, Optional<String>> externalId) {
        Set<String> secrets = credentials.used();
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "firebreak")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } catch (IllegalArgumentException e) {
            return Attempt.failed(channel + ": invalid URL");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return Attempt.sent(parse(response.body()).flatMap(externalId));
            }
            String error = channel + " answered HTTP " + status + snippet(response.body());
            Optional<Duration> retryAfter =
                    response.headers().firstValue("Retry-After").flatMap(HttpChannel::retryAfter);
            return classify(status, Redaction.scrub(error, secrets), retryAfter);
        } catch (HttpTimeoutException e) {
            return Attempt.retry(channel + ": no answer within " + timeout.toSeconds() + "s", Optional.empty());
        } catch (IOException e) {
            return Attempt.retry(
                    Redaction.scrub(
                            channel + ": " + e.getClass().getSimpleName()
                                    + (e.getMessage() == null ? "" : ": " + withoutUrls(e.getMessage())),
                            secrets),
                    Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.retry(channel + ": interrupted", Optional.empty());
        }
    }

    /** 429 and 5xx are worth retrying; any other non-2xx status will never succeed as sent. */
    static Attempt classify(int status, String error, Optional<Duration> retryAfter) {
        if (status == 429) {
            return Attempt.rateLimited(error, retryAfter);
        }
        if (status >= 500) {
            return Attempt.retry(error, retryAfter);
        }
        return Attempt.failed(error);
    }

    /** Retry-After as seconds or an HTTP date. */
    static Optional<Duration> retryAfter(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(Instant.now(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (RuntimeException ignored) {
                return Optional.empty();
            }
        }
    }

    private static Optional<JsonNode> parse(String body) {
        try {
            return body == null || body.isBlank() ? Optional.empty() : Optional.of(JSON.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String b = body.strip();
        return ": " + (b.length() > BODY_IN_ERROR ? b.substring(0, BODY_IN_ERROR) + "…" : b);
    }

    private static String withoutUrls(String text) {
        return text.replaceAll("https?://\\S+", "<url>");
    }

    /** A new JSON object, for the payload builders. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Serializes a payload. */
    public static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code base} without a trailing slash, then {@code path}. */
    public static String join(String base, String path) {
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }
}
