package dev.firebreak.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process HTTP server standing in for Slack, PagerDuty, a webhook...: records every request and answers each
 * path prefix with scripted statuses (then 200 or the fallback status).
 */
public final class HttpReceiver implements AutoCloseable {
    /** One request as received. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Integer> always = new ConcurrentHashMap<>();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();

    public HttpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().toString();
            requests.add(new Request(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()),
                    body));
            int status = 200;
            String answer = "{}";
            for (String prefix : scripted.keySet()) {
                if (path.startsWith(prefix)) {
                    Integer next = scripted.get(prefix).poll();
                    status = next == null ? always.getOrDefault(prefix, 200) : next;
                    answer = bodies.getOrDefault(prefix, answer);
                }
            }
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
        return requests(prefix).stream().map(Request::body)
                .filter(b -> java.util.Arrays.stream(fragments).allMatch(b::contains)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
