package dev.firebreak.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/** Removes credentials from text that ends up in status, Events or logs. */
public final class Redaction {
    static final String MARK = "[REDACTED]";
    private static final int MAX = 300;

    private Redaction() {}

    /** The text with every secret value (and its URL-encoded form) replaced, cut to a readable length. */
    public static String scrub(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            if (s != null && s.length() >= 4) {
                out = out.replace(s, MARK).replace(URLEncoder.encode(s, StandardCharsets.UTF_8), MARK);
            }
        }
        out = out.replaceAll("[\\r\\n\\t]+", " ").strip();
        return out.length() > MAX ? out.substring(0, MAX - 1) + "…" : out;
    }
}
