package dev.firebreak.kubeapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.kubeapi.ApiFailure.Kind;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every class of API failure, with the answers a real kube-apiserver 1.34 and etcd 3.6 give (captured from them). */
class ApiFailureTest {
    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(
                        "conflict on the resourceVersion",
                        status(409, "Conflict", "the object has been modified"),
                        false,
                        Kind.CONFLICT,
                        true),
                Arguments.of(
                        "a JSON Patch whose test did not hold",
                        status(422, "Invalid", "the server rejected our request due to an error in our request"),
                        false,
                        Kind.CONFLICT,
                        true),
                Arguments.of(
                        "an invalid object, fields named",
                        invalid("status.phase", "Unsupported value: \"Bogus\""),
                        false,
                        Kind.INVALID,
                        false),
                Arguments.of(
                        "an annotation too long is invalid, not too large",
                        invalid("metadata.annotations", "Too long: may not be more than 262144 bytes"),
                        true,
                        Kind.INVALID,
                        false),
                Arguments.of(
                        "a bad request",
                        status(400, "BadRequest", "the body of the request was in an unknown " + "format"),
                        false,
                        Kind.INVALID,
                        false),
                Arguments.of(
                        "a body over the API server's 3 MiB",
                        status(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"),
                        false,
                        Kind.TOO_LARGE,
                        false),
                Arguments.of(
                        "a value over etcd's 1.5 MiB",
                        status(500, null, "etcdserver: request is too large"),
                        false,
                        Kind.TOO_LARGE,
                        false),
                Arguments.of(
                        "the incident is gone",
                        status(404, "NotFound", "incidents.firebreak.dev \"x\" not " + "found"),
                        false,
                        Kind.GONE,
                        true),
                Arguments.of(
                        "a create in a namespace that does not exist",
                        status(404, "NotFound", "namespaces \"nope\" not found"),
                        true,
                        Kind.NAMESPACE_UNAVAILABLE,
                        false),
                Arguments.of(
                        "a create in a terminating namespace",
                        status(
                                403,
                                "Forbidden",
                                "unable to create new " + "content in namespace x because it is being terminated"),
                        true,
                        Kind.NAMESPACE_UNAVAILABLE,
                        false),
                Arguments.of(
                        "a patch Firebreak may not make (RBAC a fix restores)",
                        status(403, "Forbidden", "incidents.firebreak.dev is forbidden"),
                        false,
                        Kind.UNAVAILABLE,
                        true),
                Arguments.of(
                        "credentials expired",
                        status(401, "Unauthorized", "Unauthorized"),
                        false,
                        Kind.UNAVAILABLE,
                        true),
                Arguments.of(
                        "throttled",
                        status(429, "TooManyRequests", "too many requests"),
                        false,
                        Kind.UNAVAILABLE,
                        true),
                Arguments.of(
                        "etcd full",
                        status(500, null, "etcdserver: mvcc: database space exceeded"),
                        false,
                        Kind.UNAVAILABLE,
                        true),
                Arguments.of(
                        "the API server overloaded",
                        status(503, "ServiceUnavailable", "the server is currently " + "unable to handle the request"),
                        false,
                        Kind.UNAVAILABLE,
                        true),
                Arguments.of(
                        "a timeout",
                        status(504, "Timeout", "Timeout: request did not complete within the " + "allotted timeout"),
                        false,
                        Kind.UNAVAILABLE,
                        true),
                Arguments.of(
                        "no answer at all",
                        new KubernetesClientException("connect timed out", new IOException("connect timed out")),
                        false,
                        Kind.UNAVAILABLE,
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void eachFailureHasAClassAndTheClassSaysWhetherARetryCanSucceed(
            String what, KubernetesClientException e, boolean create, Kind kind, boolean retryable) {
        ApiFailure.Classified c = ApiFailure.classify(e, create);
        assertThat(c.kind()).isEqualTo(kind);
        assertThat(c.kind().retryable()).isEqualTo(retryable);
        if (kind == Kind.INVALID && e.getStatus().getDetails() != null) {
            assertThat(c.field()).isPresent();
        }
    }

    private static KubernetesClientException status(int code, String reason, String message) {
        Status status = new StatusBuilder()
                .withCode(code)
                .withReason(reason)
                .withMessage(message)
                .build();
        return new KubernetesClientException(status);
    }

    private static KubernetesClientException invalid(String field, String message) {
        Status status = new StatusBuilder()
                .withCode(422)
                .withReason("Invalid")
                .withMessage("Incident.firebreak.dev \"x\" is invalid: [" + field + ": " + message + "]")
                .withNewDetails()
                .withName("x")
                .withKind("Incident")
                .addNewCause()
                .withField(field)
                .withMessage(message)
                .withReason("FieldValueInvalid")
                .endCause()
                .endDetails()
                .build();
        return new KubernetesClientException(status);
    }
}
