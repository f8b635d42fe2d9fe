package dev.firebreak.inbound;

import dev.firebreak.api.v1alpha1.Person;
import java.util.Collection;
import java.util.Optional;

/**
 * Who did an outside action, as Firebreak records it: a person Firebreak knows (matched by email, or by Slack member
 * ID) under the name Firebreak knows them by, so that 'kubectl firebreak ack --by' and the tool agree; anyone else
 * under the name the tool gives, marked with the tool ("Jane via PagerDuty"), since Firebreak could not match them.
 * Who may act at all is the tool's business (whoever can acknowledge in PagerDuty can acknowledge here). Pure.
 */
public final class Identity {
    /** The schema's limit on acknowledgedBy, resolution.by and an update's author. */
    static final int MAX_NAME = 128;

    private Identity() {}

    /**
     * @param email the actor's email when the tool gives one (Opsgenie's username is one)
     * @param slackUserId the actor's Slack member ID (Slack only)
     * @param name the actor's name as the tool gives it
     */
    public static String by(
            OutsideAction.Tool tool, String email, String slackUserId, String name, Collection<Person> known) {
        Optional<Person> match = known.stream()
                .filter(p -> p.name != null && !p.name.isBlank())
                .filter(p -> (email != null && p.email != null && p.email.equalsIgnoreCase(email.strip()))
                        || (slackUserId != null && slackUserId.equals(p.slackUserId)))
                .findFirst();
        if (match.isPresent()) {
            return cut(match.get().name.strip());
        }
        String given = clean(name);
        if (given.isEmpty()) {
            given = clean(email);
        }
        if (given.isEmpty()) {
            given = "someone";
        }
        String suffix = " via " + tool;
        return cut(given, MAX_NAME - suffix.length()) + suffix;
    }

    /** Control characters out (a name is shown on one line), whitespace collapsed. */
    private static String clean(String s) {
        if (s == null) {
            return "";
        }
        return s.replaceAll("\\p{Cntrl}", " ").replaceAll("\\s+", " ").strip();
    }

    private static String cut(String s) {
        return cut(s, MAX_NAME);
    }

    private static String cut(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }
}
