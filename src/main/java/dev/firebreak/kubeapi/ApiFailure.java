package dev.firebreak.kubeapi;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Locale;
import java.util.Optional;

/**
 * What a failed Kubernetes API request means for the one who made it: read afresh and try again, try later, or stop
 * because what was written can never be accepted. Every write path that answers a client (the webhook) decides by
 * this, never by a bare status code. Pure.
 */
public final class ApiFailure {
    /** The classes of failure, each with what to do about it. */
    public enum Kind {
        /** 409, or a failed JSON Patch test: someone wrote first. Read afresh and try again. */
        CONFLICT(true),
        /** 404 of the object itself: it is gone. Read afresh and try again. */
        GONE(true),
        /** A create refused for its namespace: missing (404), terminating, or not Firebreak's to write (403). */
        NAMESPACE_UNAVAILABLE(false),
        /** 422 or 400: the object is invalid (schema, CEL rule, admission policy). The same write never succeeds. */
        INVALID(false),
        /** 413, or etcd's "request is too large": the object is too big. The same write never succeeds. */
        TOO_LARGE(false),
        /**
         * The API server could not take it now: unreachable, a timeout, 429, 5xx, or credentials and RBAC a fix can
         * restore (401, 403). A later retry can succeed.
         */
        UNAVAILABLE(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether doing the same again later can succeed. */
        public boolean retryable() {
            return retryable;
        }
    }

    /** A classified failure with the field the API server named, when it named one. */
    public record Classified(Kind kind, Optional<String> field, String message) {}

    private ApiFailure() {}

    /** Classifies a failure of a request; {@code create}: it created an object (a 404 or 403 then names its namespace). */
    public static Classified classify(KubernetesClientException e, boolean create) {
        int code = e.getCode();
        Status status = e.getStatus();
        String message = e.getMessage() == null ? "" : e.getMessage();
        String reason = status == null || status.getReason() == null ? "" : status.getReason();
        String lower = message.toLowerCase(Locale.ROOT);
        Optional<String> field = Optional.ofNullable(status)
                .map(Status::getDetails)
                .flatMap(d -> d.getCauses() == null
                        ? Optional.empty()
                        : d.getCauses().stream()
                                .map(StatusCause::getField)
                                .filter(f -> f != null && !f.isEmpty())
                                .findFirst());
        Kind kind;
        if (code == 409) {
            kind = Kind.CONFLICT;
        } else if (code == 413 || "RequestEntityTooLarge".equals(reason) || lower.contains("request is too large")) {
            // etcd's limit on a value (--max-request-bytes) comes back as a 500 with this message.
            kind = Kind.TOO_LARGE;
        } else if (code == 422 && field.isEmpty() && patchDidNotApply(lower)) {
            kind = Kind.CONFLICT;
        } else if (code == 422 || code == 400) {
            kind = Kind.INVALID;
        } else if (code == 404) {
            kind = create ? Kind.NAMESPACE_UNAVAILABLE : Kind.GONE;
        } else if (code == 403 && create) {
            kind = Kind.NAMESPACE_UNAVAILABLE;
        } else {
            kind = Kind.UNAVAILABLE;
        }
        return new Classified(kind, field, message);
    }

    /**
     * A JSON Patch that did not apply, which for Firebreak's patches (a test, then adds) means its test did not hold:
     * the optimistic lock of a write, not a bad object. The API server says only this, with no field; an object it
     * finds invalid names the fields.
     */
    private static boolean patchDidNotApply(String message) {
        return message.contains("the server rejected our request due to an error in our request");
    }
}
