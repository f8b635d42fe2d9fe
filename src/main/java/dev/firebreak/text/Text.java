package dev.firebreak.text;

/**
 * Text as the Kubernetes API server sees it. Its schema limits (maxLength) count code points, not Java chars; it
 * stores JSON as Go's encoder writes it, where {@code <}, {@code >}, {@code &}, U+2028, U+2029 and control characters
 * take six bytes each; and it cannot store a lone surrogate. Pure.
 */
public final class Text {
    /** Marks where text was cut. One code point, so a cut string stays within its limit. */
    public static final String CUT = "…";

    private static final char REPLACEMENT = '\uFFFD';

    private Text() {}

    /** The text cut to at most {@code max} code points at a code-point boundary, the last one being {@link #CUT}. */
    public static String cut(String text, int max) {
        if (!longerThan(text, max)) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, Math.max(0, max - 1))) + CUT;
    }

    /** Whether {@link #cut} would change the text. */
    public static boolean longerThan(String text, int max) {
        return text != null && text.length() > max && text.codePointCount(0, text.length()) > max;
    }

    /** The text with every lone surrogate (which no UTF-8 document can hold) replaced by U+FFFD. */
    public static String wellFormed(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lone = Character.isHighSurrogate(c)
                    ? i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
            if (lone && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(lone ? REPLACEMENT : c);
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * Text fit to be shown on one line to a human (a title, a person's name): line breaks and tabs become spaces, other
     * control characters and the bidirectional controls that can make a terminal show something other than what is
     * stored become U+FFFD, so that the substitution is visible.
     */
    public static String forDisplay(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\n' || cp == '\r' || cp == '\t') {
                out.append(' ');
            } else if (Character.getType(cp) == Character.CONTROL || bidiControl(cp)) {
                out.append(REPLACEMENT);
            } else {
                out.appendCodePoint(cp);
            }
        });
        return wellFormed(out.toString());
    }

    static boolean bidiControl(int cp) {
        return cp == 0x061C
                || cp == 0x200E
                || cp == 0x200F
                || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069);
    }

    /** Bytes of the text as a JSON string (quotes included) the way the API server encodes and stores it. */
    public static long encodedLength(String text) {
        long bytes = 2;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t') {
                bytes += 2;
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                bytes += 6;
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 6;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Bytes a JSON document (as Jackson writes it: UTF-8, control characters escaped, nothing else) takes once the API
     * server has re-encoded it: each {@code <}, {@code >}, {@code &} grows from one byte to six, U+2028 and U+2029
     * from three to six.
     */
    public static long storedLength(String json) {
        long bytes = 0;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '<' || c == '>' || c == '&') {
                bytes += 6;
            } else if (c == '\u2028' || c == '\u2029') {
                bytes += 6;
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < json.length()
                    && Character.isLowSurrogate(json.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
