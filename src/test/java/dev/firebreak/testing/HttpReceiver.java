package dev.firebreak.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process HTTP server standing in for Slack, PagerDuty, a webhook...: records every request (with the status it
 * was answered and when it arrived) and answers each path prefix with scripted statuses (then 200 or the fallback
 * status), or with a rate limit.
 */
public final class HttpReceiver implements AutoCloseable {
    /** One request as received, the status it was answered, and when it arrived ({@link System#nanoTime}). */
    public record Request(
            String method,
            String path,
            Map<String, List<String>> headers,
            String body,
            int status,
            long receivedNanos) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Integer> always = new ConcurrentHashMap<>();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final Map<String, RateLimit> limits = new ConcurrentHashMap<>();

    /** One request per interval; beyond it, 429 with a Retry-After of the interval in whole seconds (at least 1). */
    private static final class RateLimit {
        final long intervalNanos;
        long nextAllowed = Long.MIN_VALUE;

        RateLimit(long intervalNanos) {
            this.intervalNanos = intervalNanos;
        }

        synchronized boolean allow(long now) {
            if (nextAllowed != Long.MIN_VALUE && now - nextAllowed < 0) {
                return false;
            }
            nextAllowed = now + intervalNanos;
            return true;
        }
    }

    public HttpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            long received = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().toString();
            int status = 200;
            String answer = "{}";
            for (String prefix : scripted.keySet()) {
                if (path.startsWith(prefix)) {
                    Integer next = scripted.get(prefix).poll();
                    status = next == null ? always.getOrDefault(prefix, 200) : next;
                    answer = bodies.getOrDefault(prefix, answer);
                }
            }
            for (Map.Entry<String, RateLimit> limit : limits.entrySet()) {
                if (path.startsWith(limit.getKey()) && !limit.getValue().allow(received)) {
                    status = 429;
                    answer = "{\"error\":\"rate limited\"}";
                    exchange.getResponseHeaders()
                            .add(
                                    "Retry-After",
                                    Long.toString(Math.max(
                                            1, (limit.getValue().intervalNanos + 999_999_999) / 1_000_000_000)));
                }
            }
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    path,
                    Map.copyOf(exchange.getRequestHeaders()),
                    body,
                    status,
                    received));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** Requests to paths starting with {@code prefix} get these statuses first, then {@code otherwise}. */
    public HttpReceiver answer(String prefix, int otherwise, String body, Integer... first) {
        scripted.put(prefix, new ConcurrentLinkedDeque<>(List.of(first)));
        always.put(prefix, otherwise);
        if (body != null) {
            bodies.put(prefix, body);
        }
        return this;
    }

    /**
     * Requests to paths starting with {@code prefix} are answered at most one per {@code interval} (as scripted, or
     * 200); the others 429 with Retry-After, as a rate-limited paging service answers.
     */
    public HttpReceiver limit(String prefix, Duration interval) {
        limits.put(prefix, new RateLimit(interval.toNanos()));
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Request> requests(String prefix) {
        List<Request> out = new ArrayList<>();
        requests.stream().filter(r -> r.path().startsWith(prefix)).forEach(out::add);
        return out;
    }

    /** Bodies of the requests to {@code prefix} that contain every fragment, e.g. a dedup key and an event action. */
    public List<String> bodies(String prefix, String... fragments) {
        return requests(prefix).stream()
                .map(Request::body)
                .filter(b -> Arrays.stream(fragments).allMatch(b::contains))
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
