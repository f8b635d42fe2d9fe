package dev.firebreak.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random Alertmanager notifications, hostile but plausible, from a seed (the same seed, the same body: a failure names
 * its seed and reproduces). They mix what Alertmanager sends with what it never would: empty and huge strings,
 * control, bidirectional and HTML characters, lone surrogates, names that are not Kubernetes names, duplicate and
 * empty fingerprints, times at the extremes, groups far larger than the alert budget, and now and then one field of
 * the wrong shape or a time no API server can store.
 */
public final class HostileNotifications {
    private static final String[] SAMPLES = {
        "",
        " ",
        "shop",
        "kube-system",
        "default",
        "checkout",
        "Shop Prod!",
        "-bad-",
        "a..b",
        "UPPER",
        "a".repeat(64),
        "a".repeat(254),
        "<script>&amp;</script>",
        "\u202Egnp.exe",
        "\u0000\u0007\n\t",
        "é",
        "🔥",
        "\uD800",
        "\uDC00x",
        "<>&".repeat(3000),
        "x".repeat(20_000),
        "🔥".repeat(5000),
        "crash-7d9f8c6b5-abcde",
        "db-0"
    };
    private static final String[] LABELS = {
        "alertname",
        "namespace",
        "deployment",
        "statefulset",
        "daemonset",
        "pod",
        "severity",
        "instance",
        "impact",
        "urgency"
    };
    private static final String[] ANNOTATIONS = {"summary", "description", "runbook_url", "runbook"};
    private static final String[] TIMES = {
        "2026-11-30T10:00:00Z",
        "1970-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:01Z",
        "9999-12-31T23:59:59Z",
        "2026-11-30t10:00:00.123456789+05:30",
        "2027-01-01T00:00:00Z",
        ""
    };
    /** One field of the wrong shape, as {what is there, what replaces it}. */
    private static final String[][] CORRUPTIONS = {
        {"\"version\":\"4\"", "\"version\":4"},
        {"\"version\":\"4\"", "\"version\":\"3\""},
        {"\"externalURL\":\"http://am\"", "\"externalURL\":{}"},
        {"\"status\":\"firing\",\"alerts\"", "\"status\":\"burning\",\"alerts\""},
        {"\"truncatedAlerts\":0", "\"truncatedAlerts\":\"none\""},
        {"\"startsAt\":\"2026-11-30T10:00:00Z\"", "\"startsAt\":\"soon\""},
        {"\"startsAt\":\"2026-11-30T10:00:00Z\"", "\"startsAt\":\"9999-12-31T23:59:59-01:00\""},
        {"\"startsAt\":\"2026-11-30T10:00:00Z\"", "\"startsAt\":\"+10000-01-01T00:00:00Z\""},
        {"\"fingerprint\":\"a\"", "\"fingerprint\":\"\""},
        {"\"fingerprint\":\"b\"", "\"fingerprint\":7"},
        {"\"labels\":{", "\"labels\":{\"n\":1,"}
    };

    private final Random random;

    private HostileNotifications(long seed) {
        this.random = new Random(seed);
    }

    /** The notification of this seed, as the JSON text a sender would post. */
    public static String of(long seed) {
        return new HostileNotifications(seed).notification();
    }

    private String notification() {
        List<String> alerts = new ArrayList<>();
        int n = random.nextInt(31);
        for (int i = 0; i < n; i++) {
            alerts.add(alert());
        }
        String list = "[" + String.join(",", alerts) + "]";
        if (random.nextInt(13) == 0) {
            String realistic = Notifications.group("r", "Bulk", "shop")
                    .realistic(0, random.nextBoolean() ? 1500 : 6000, true)
                    .json();
            String bulk =
                    realistic.substring(realistic.indexOf("\"alerts\":[") + 10, realistic.indexOf("],\"groupLabels\""));
            list = alerts.isEmpty() ? "[" + bulk + "]" : list.substring(0, list.length() - 1) + "," + bulk + "]";
        }
        String common = labels();
        String json = "{\"receiver\":" + text() + ",\"status\":" + status() + ",\"alerts\":" + list
                + ",\"groupLabels\":" + common + ",\"commonLabels\":" + common + ",\"commonAnnotations\":"
                + annotations() + ",\"externalURL\":\"http://am\",\"version\":\"4\",\"groupKey\":" + text()
                + ",\"truncatedAlerts\":0}";
        if (random.nextInt(10) == 0) {
            String[] c = CORRUPTIONS[random.nextInt(CORRUPTIONS.length)];
            int at = json.indexOf(c[0]);
            if (at >= 0) {
                json = json.substring(0, at) + c[1] + json.substring(at + c[0].length());
            }
        }
        return json;
    }

    private String alert() {
        String fingerprint = switch (random.nextInt(4)) {
            case 0 -> quote(new String[] {"a", "b", "c"}[random.nextInt(3)]);
            case 1 -> quote(String.format("%016x", random.nextLong()));
            case 2 -> quote("f".repeat(500));
            default -> text();
        };
        return "{\"status\":" + status() + ",\"labels\":" + labels() + ",\"annotations\":" + annotations()
                + ",\"startsAt\":" + quote(TIMES[random.nextInt(TIMES.length)]) + ",\"endsAt\":"
                + quote(TIMES[random.nextInt(TIMES.length)]) + ",\"generatorURL\":" + text() + ",\"fingerprint\":"
                + fingerprint + "}";
    }

    private String status() {
        return random.nextInt(3) < 2 ? "\"firing\"" : "\"resolved\"";
    }

    private String labels() {
        List<String> entries = new ArrayList<>();
        int n = random.nextInt(13);
        for (int i = 0; i < n; i++) {
            entries.add((random.nextInt(3) < 2 ? quote(LABELS[random.nextInt(LABELS.length)]) : text()) + ":" + text());
        }
        return "{" + String.join(",", entries) + "}";
    }

    private String annotations() {
        List<String> entries = new ArrayList<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            entries.add(quote(ANNOTATIONS[random.nextInt(ANNOTATIONS.length)]) + ":" + text());
        }
        return "{" + String.join(",", entries) + "}";
    }

    /** A JSON string of hostile but plausible text: a sample, or up to 40 random UTF-16 code units. */
    private String text() {
        if (random.nextInt(3) < 2) {
            return quote(SAMPLES[random.nextInt(SAMPLES.length)]);
        }
        char[] chars = new char[random.nextInt(41)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) random.nextInt(0x10000);
        }
        return quote(new String(chars));
    }

    /** A JSON string literal; every code unit outside printable ASCII escaped, lone surrogates included. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
