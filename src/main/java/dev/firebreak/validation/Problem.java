package dev.firebreak.validation;

/** One thing wrong with a resource: which field, why, and what to do about it, in words. */
public record Problem(Reason reason, String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
