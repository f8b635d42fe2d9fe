package dev.firebreak.intake.alertmanager;

/** A notification that can never succeed, with the field and the reason: answered 400, which Alertmanager drops. */
public final class BadPayload extends Exception {
    private final String field;
    private final String reason;

    public BadPayload(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
