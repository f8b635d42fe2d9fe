package dev.firebreak.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a notification's target is defined in its policy: {@code levels[level].targets[target]}, stored as that
 * text (readable in {@code kubectl get -o yaml}; the CRD's pattern refuses any other).
 */
public record TargetRef(int level, int target) {
    /** The CRD's pattern for the stored text. */
    public static final String PATTERN = "^levels\\[[0-9]+\\]\\.targets\\[[0-9]+\\]$";

    private static final Pattern TEXT = Pattern.compile("levels\\[([0-9]{1,9})]\\.targets\\[([0-9]{1,9})]");

    public TargetRef {
        if (level < 0 || target < 0) {
            throw new IllegalArgumentException("levels[" + level + "].targets[" + target + "] is not a target");
        }
    }

    /** The stored text; {@code text} is what this type writes, anything else is refused. */
    @JsonCreator
    public static TargetRef parse(String text) {
        return parsed(text)
                .orElseThrow(() -> new IllegalArgumentException(
                        "'" + text + "' is not a target reference like levels[1].targets[0]"));
    }

    private static Optional<TargetRef> parsed(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text);
        return m.matches()
                ? Optional.of(new TargetRef(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))
                : Optional.empty();
    }

    @JsonValue
    @Override
    public String toString() {
        return "levels[" + level + "].targets[" + target + "]";
    }
}
