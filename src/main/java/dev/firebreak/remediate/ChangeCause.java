package dev.firebreak.remediate;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The change-cause a Firebreak rollback leaves on the workload (and so on the revision it produces): which incident,
 * by namespace/name for people and by UID for Firebreak, and which revision it rolled back to which. Only the UID
 * identifies: an incident deleted and created again under the same name is another incident, and never takes this
 * rollback for its own.
 */
public record ChangeCause(String incident, String uid, long from, long to) {
    private static final Pattern FORMAT = Pattern.compile(
            "firebreak: incident (\\S+) \\(uid ([0-9A-Za-z-]+)\\) rolled back revision ([0-9]{1,18}) to ([0-9]{1,18})");

    public String format() {
        return "firebreak: incident " + incident + " (uid " + uid + ") rolled back revision " + from + " to " + to;
    }

    public static Optional<ChangeCause> parse(String annotation) {
        Matcher m = annotation == null ? null : FORMAT.matcher(annotation);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        return Optional.of(
                new ChangeCause(m.group(1), m.group(2), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
    }

    /** Whether the revision in force, {@code current}, is the one this rollback produced (the next number). */
    public boolean produced(long current) {
        return current == from + 1;
    }
}
