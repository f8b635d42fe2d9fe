package dev.firebreak.notify;

import dev.firebreak.api.v1alpha1.SecretKeyRef;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The Secret values one delivery uses, read on demand from the policy's namespace. Remembers every value handed out,
 * so that errors can be scrubbed of them (Redaction).
 */
public final class Credentials {
    /** A referenced Secret or key is missing: a configuration error, reported without any value. */
    public static final class Missing extends RuntimeException {
        public Missing(String message) {
            super(message, null, false, false);
        }
    }

    private final Function<String, Optional<Map<String, byte[]>>> secrets;
    private final Set<String> used = new HashSet<>();

    public Credentials(Function<String, Optional<Map<String, byte[]>>> secrets) {
        this.secrets = secrets;
    }

    public String get(SecretKeyRef ref) {
        return get(ref.name, ref.key);
    }

    public String get(String secret, String key) {
        Map<String, byte[]> data =
                secrets.apply(secret).orElseThrow(() -> new Missing("Secret " + secret + " not found"));
        byte[] value = data.get(key);
        if (value == null) {
            throw new Missing("Secret " + secret + " has no key '" + key + "'");
        }
        String text = new String(value, StandardCharsets.UTF_8).strip();
        used.add(text);
        return text;
    }

    /** Every value handed out so far. */
    public Set<String> used() {
        return Set.copyOf(used);
    }
}
