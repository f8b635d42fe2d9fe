package dev.firebreak.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as hex: whole, or its first 6 bytes for names derived from an identity (12 hex digits). */
public final class Sha256 {
    private Sha256() {}

    public static String hex(String text) {
        return HexFormat.of().formatHex(digest(text));
    }

    /** The first 12 hex digits: short enough for an object name, long enough not to collide in practice. */
    public static String shortHex(String text) {
        return HexFormat.of().formatHex(digest(text), 0, 6);
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
