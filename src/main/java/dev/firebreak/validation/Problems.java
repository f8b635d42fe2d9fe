package dev.firebreak.validation;

import dev.firebreak.api.v1alpha1.ApiGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Collects problems while a validator walks a spec. */
public final class Problems {
    private static final Pattern EMAIL = Pattern.compile(ApiGroup.EMAIL_PATTERN);

    private final List<Problem> list = new ArrayList<>();

    /** The email rule of the schema (ApiGroup.EMAIL_PATTERN), for the places the schema cannot reach. */
    public Problems email(String value, String field) {
        if (value == null || !EMAIL.matcher(value).matches()) {
            add(Reason.InvalidEmail, field, "'" + value + "' is not an email address");
        }
        return this;
    }

    public Problems add(Reason reason, String field, String message) {
        list.add(new Problem(reason, field, message));
        return this;
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    /** The condition reason: the first problem's. */
    public static String reason(List<Problem> problems) {
        return problems.get(0).reason().name();
    }

    /** The condition message: every problem, in order. */
    public static String message(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }
}
