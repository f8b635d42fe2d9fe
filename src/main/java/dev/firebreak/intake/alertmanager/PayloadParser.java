package dev.firebreak.intake.alertmanager;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.firebreak.digest.Sha256;
import dev.firebreak.text.Text;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses Alertmanager's webhook payload (version "4") as a stream, so that memory stays bounded whatever the size of
 * the body: it keeps at most {@link Limits#trackedAlerts} alerts (the rest are counted by state), the labels and
 * annotations of alerts only while {@link Limits#detailBytes} allow (later alerts keep their fingerprint, name,
 * state and times), each alert's labels and annotations within a byte budget of their own, and every value cut to
 * its limit at a code-point boundary with "…". Lone surrogates become U+FFFD. It says precisely what is wrong with a
 * notification that can never be stored (a 400 naming the field). Unknown fields (notification_reason, routeLabels,
 * whatever comes next) are ignored. Firing alerts carry endsAt 0001-01-01T00:00:00Z, which means "not ended" and is
 * read as absent, as is a startsAt of that zero time.
 */
public final class PayloadParser {
    /** What one parse keeps, whatever the body holds. */
    public record Limits(int trackedAlerts, long detailBytes) {
        /**
         * 10,000 alerts tracked and 192 KiB of their labels and annotations (half as much again as the alert budget
         * keeps in full): a few MiB of memory at most.
         */
        public static final Limits DEFAULT = new Limits(10_000, 192 * 1024);
    }

    /** A label or annotation value of an alert, in code points. */
    static final int VALUE_LENGTH = 1024;
    /** A label or annotation name, in code points. */
    static final int KEY_LENGTH = 256;
    /** An alert's labels, and separately its annotations, as stored. */
    static final long ALERT_MAP_BYTES = 8 * 1024;
    /** A value of the notification's common labels and annotations (the description becomes the incident's). */
    static final int COMMON_VALUE_LENGTH = 16384;

    static final long COMMON_MAP_BYTES = 64 * 1024;
    static final int FINGERPRINT_LENGTH = 128;
    static final int URL_LENGTH = 2048;
    /** Any string is cut here as it is read, before the parser holds it (see BoundedBody). */
    static final int STRING_BYTES = 256 * 1024;

    private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");
    /** The range of times the API server can store: RFC 3339 with a four-digit year. */
    private static final Instant EARLIEST = ZERO_TIME;

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxNumberLength(64)
                    .maxStringLength(2 * STRING_BYTES)
                    .build())
            .build();

    private PayloadParser() {}

    /** A whole body in memory (tests, small notifications), with the default limits. */
    public static WebhookNotification parse(byte[] body) throws BadPayload {
        try {
            return parse(new ByteArrayInputStream(body), Limits.DEFAULT);
        } catch (BadPayload e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses the body as it arrives. IOExceptions of the stream itself (a body too large, too slow, a client gone)
     * propagate; everything wrong with the document is a BadPayload.
     */
    public static WebhookNotification parse(InputStream body, Limits limits) throws BadPayload, IOException {
        try (JsonParser p = JSON.createParser(body)) {
            return new Reader(p, limits).notification();
        } catch (JsonProcessingException e) {
            throw new BadPayload(
                    "body",
                    "not valid JSON: " + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " at byte " + e.getLocation().getByteOffset()));
        }
    }

    /** One parse: the state of the stream and what it kept. */
    private static final class Reader {
        private final JsonParser p;
        private final Limits limits;
        private final List<WebhookAlert> alerts = new ArrayList<>();
        private long detailBytes;
        private int untrackedFiring;
        private int untrackedResolved;
        private int alertCount;
        private Instant earliestStartsAt;

        Reader(JsonParser p, Limits limits) {
            this.p = p;
            this.limits = limits;
        }

        WebhookNotification notification() throws IOException, BadPayload {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadPayload("body", "expected a JSON object");
            }
            String version = null;
            String receiver = null;
            String groupKey = null;
            String status = null;
            String externalURL = null;
            int truncated = 0;
            boolean sawAlerts = false;
            Map<String, String> groupLabels = new LinkedHashMap<>();
            Map<String, String> commonLabels = new LinkedHashMap<>();
            Map<String, String> commonAnnotations = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "version" -> version = string(value, "version");
                    case "receiver" -> receiver = Text.cut(string(value, "receiver"), 253);
                    case "groupKey" -> groupKey = string(value, "groupKey");
                    case "status" -> status = string(value, "status");
                    case "externalURL" -> externalURL = Text.cut(string(value, "externalURL"), URL_LENGTH);
                    case "truncatedAlerts" -> truncated = count(value, "truncatedAlerts");
                    case "groupLabels" ->
                        groupLabels = map(value, "groupLabels", VALUE_LENGTH, COMMON_MAP_BYTES, true).entries;
                    case "commonLabels" ->
                        commonLabels = map(value, "commonLabels", VALUE_LENGTH, COMMON_MAP_BYTES, true).entries;
                    case "commonAnnotations" ->
                        commonAnnotations =
                                map(value, "commonAnnotations", COMMON_VALUE_LENGTH, COMMON_MAP_BYTES, true).entries;
                    case "alerts" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new BadPayload(
                                    "alerts", value == JsonToken.VALUE_NULL ? "missing" : "expected an array");
                        }
                        sawAlerts = true;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            alert("alerts[" + alertCount + "]");
                            alertCount++;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new BadPayload("body", "expected a JSON object");
            }
            if (p.nextToken() != null) {
                throw new BadPayload("body", "unexpected content after the notification");
            }
            required(version, "version");
            if (!"4".equals(version)) {
                throw new BadPayload(
                        "version", "unsupported version '" + Text.cut(version, 32) + "': Firebreak reads version 4");
            }
            required(receiver, "receiver");
            required(groupKey, "groupKey");
            required(status, "status");
            state(status, "status");
            if (!sawAlerts) {
                throw new BadPayload("alerts", "missing");
            }
            return new WebhookNotification(
                    receiver,
                    status,
                    groupKey,
                    truncated,
                    groupLabels,
                    commonLabels,
                    commonAnnotations,
                    externalURL,
                    alerts,
                    new WebhookNotification.Untracked(untrackedFiring, untrackedResolved),
                    earliestStartsAt);
        }

        private void alert(String at) throws IOException, BadPayload {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new BadPayload(at, "expected an object");
            }
            boolean tracked = alerts.size() < limits.trackedAlerts();
            boolean details = tracked && detailBytes < limits.detailBytes();
            String status = null;
            String fingerprint = null;
            String generatorURL = null;
            Instant startsAt = null;
            Instant endsAt = null;
            Entries labels = Entries.NONE;
            Entries annotations = Entries.NONE;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "status" -> status = string(value, at + ".status");
                    case "labels" -> labels = map(value, at + ".labels", VALUE_LENGTH, ALERT_MAP_BYTES, details);
                    case "annotations" ->
                        annotations = map(value, at + ".annotations", VALUE_LENGTH, ALERT_MAP_BYTES, details);
                    case "startsAt" -> startsAt = time(value, at + ".startsAt");
                    case "endsAt" -> endsAt = time(value, at + ".endsAt");
                    case "generatorURL" -> generatorURL = Text.cut(string(value, at + ".generatorURL"), URL_LENGTH);
                    case "fingerprint" -> fingerprint = string(value, at + ".fingerprint");
                    default -> p.skipChildren();
                }
            }
            if (fingerprint == null || fingerprint.isBlank()) {
                throw new BadPayload(at + ".fingerprint", "missing: Firebreak tracks alerts by fingerprint");
            }
            required(status, at + ".status");
            boolean firing = state(status, at + ".status");
            if (startsAt != null && (earliestStartsAt == null || startsAt.isBefore(earliestStartsAt))) {
                earliestStartsAt = startsAt;
            }
            if (!tracked) {
                if (firing) {
                    untrackedFiring++;
                } else {
                    untrackedResolved++;
                }
                return;
            }
            // A fingerprint longer than any Alertmanager makes is kept as a digest: identity without the bytes.
            String id = Text.wellFormed(fingerprint);
            if (id.length() > FINGERPRINT_LENGTH) {
                id = "sha256:" + Sha256.hex(id);
            }
            String alertname = labels.alertname == null ? null : Text.cut(labels.alertname, 256);
            boolean keep = details && !labels.entries.isEmpty();
            if (keep) {
                detailBytes += labels.bytes + annotations.bytes;
            }
            alerts.add(new WebhookAlert(
                    status,
                    alertname,
                    keep ? labels.entries : null,
                    keep ? annotations.entries : null,
                    keep ? labels.omitted + annotations.omitted : 0,
                    startsAt,
                    firing ? null : endsAt,
                    generatorURL,
                    id));
        }

        /** A map's kept entries, their stored size, how many were left out, and the alertname label's value. */
        private record Entries(Map<String, String> entries, long bytes, int omitted, String alertname) {
            static final Entries NONE = new Entries(Map.of(), 0, 0, null);
        }

        /**
         * An object of strings. Entries are kept while {@code keep} and the budget allow, each name and value cut to
         * its limit; the rest are type-checked and counted, never held.
         */
        private Entries map(JsonToken value, String at, int valueLength, long budget, boolean keep)
                throws IOException, BadPayload {
            if (value == JsonToken.VALUE_NULL) {
                return Entries.NONE;
            }
            if (value != JsonToken.START_OBJECT) {
                throw new BadPayload(at, "expected an object of strings");
            }
            Map<String, String> entries = new LinkedHashMap<>();
            long bytes = 2;
            int omitted = 0;
            String alertname = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = Text.wellFormed(p.currentName());
                JsonToken token = p.nextToken();
                if (token != JsonToken.VALUE_STRING) {
                    throw new BadPayload(at + "." + Text.cut(Text.forDisplay(key), 64), "expected a string");
                }
                boolean isName = key.equals("alertname");
                if (!keep && !isName) {
                    continue;
                }
                String v = Text.cut(Text.wellFormed(p.getText()), valueLength);
                if (isName) {
                    alertname = v;
                }
                if (!keep) {
                    continue;
                }
                String k = Text.cut(key, KEY_LENGTH);
                long size = Text.encodedLength(k) + Text.encodedLength(v) + 2;
                if (entries.containsKey(k)) {
                    continue;
                }
                if (bytes + size > budget) {
                    omitted++;
                    continue;
                }
                entries.put(k, v);
                bytes += size;
            }
            return new Entries(entries, bytes, omitted, alertname);
        }

        private String string(JsonToken value, String at) throws IOException, BadPayload {
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            if (value != JsonToken.VALUE_STRING) {
                throw new BadPayload(at, "expected a string, got " + describe(value));
            }
            return Text.wellFormed(p.getText());
        }

        private int count(JsonToken value, String at) throws IOException, BadPayload {
            if (value == JsonToken.VALUE_NULL) {
                return 0;
            }
            if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new BadPayload(at, "expected a number");
            }
            double n = p.getValueAsDouble();
            if (n < 0 || Double.isNaN(n)) {
                throw new BadPayload(at, "expected a number of alerts, not " + p.getText());
            }
            return n >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
        }

        private Instant time(JsonToken value, String at) throws IOException, BadPayload {
            String text = string(value, at);
            if (text == null || text.isEmpty()) {
                return null;
            }
            Instant t;
            try {
                t = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new BadPayload(at, "'" + Text.cut(Text.forDisplay(text), 64) + "' is not an RFC 3339 time");
            }
            if (t.equals(ZERO_TIME)) {
                return null;
            }
            if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
                throw new BadPayload(
                        at,
                        "'" + Text.cut(Text.forDisplay(text), 64)
                                + "' is outside the years 0001 to 9999 that Kubernetes can store");
            }
            return t;
        }
    }

    private static void required(String value, String at) throws BadPayload {
        if (value == null) {
            throw new BadPayload(at, "missing");
        }
        if (value.isEmpty()) {
            throw new BadPayload(at, "empty");
        }
    }

    /** True for firing, false for resolved. */
    private static boolean state(String status, String at) throws BadPayload {
        return switch (status) {
            case "firing" -> true;
            case "resolved" -> false;
            default ->
                throw new BadPayload(
                        at, "'" + Text.cut(Text.forDisplay(status), 64) + "' is neither firing nor resolved");
        };
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            default -> token.name().toLowerCase(Locale.ROOT);
        };
    }
}
