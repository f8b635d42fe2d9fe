package dev.firebreak.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.api.v1alpha1.Condition;
import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.api.v1alpha1.HasConditions;
import dev.firebreak.api.v1alpha1.SharedStatus;
import dev.firebreak.validation.Problem;
import dev.firebreak.validation.Problems;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * Owns the status write of every reconciler: sets observedGeneration and the Ready condition from validation
 * problems, and patches only when the status actually changed, and then only what changed (see {@link #patch}): one
 * write path, the same against the real API server and the mock one of the tests.
 */
public final class StatusUpdate {
    /** The field manager of every status write by the reconcilers, as 'kubectl get --show-managed-fields' shows it. */
    public static final String FIELD_MANAGER = "firebreak";

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    static final String RECORD_REVISION = "recordRevision";
    /** add, remove and replace only: each operation carries what it sets, never a path to copy or move it from. */
    private static final EnumSet<DiffFlags> DIFF_FLAGS =
            EnumSet.of(DiffFlags.OMIT_VALUE_ON_REMOVE, DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION);

    private StatusUpdate() {}

    /** A copy of {@code current} (never null) to compute the next status on. */
    public static <S> S copy(S current, Supplier<S> empty) {
        return current == null ? empty.get() : JSON.clone(current);
    }

    /** Writes observedGeneration and Ready (from {@code problems}) into {@code next}. */
    public static void applyReady(
            HasConditions next, Long generation, List<Problem> problems, String validMessage, Instant now) {
        next.setObservedGeneration(generation);
        Condition ready = problems.isEmpty()
                ? new Condition(Conditions.READY, ConditionStatus.True, "Valid", validMessage)
                : new Condition(
                        Conditions.READY, ConditionStatus.False, Problems.reason(problems), Problems.message(problems));
        Conditions.set(next.getConditions(), ready, now, generation);
    }

    /** The value as the API server would store it, to compare. */
    public static JsonNode json(Object value) {
        return JSON.convertValue(value, JsonNode.class);
    }

    /** True when the two statuses would serialize differently. */
    public static boolean changed(Object before, Object after) {
        return !json(before).equals(json(after));
    }

    /**
     * Writes {@code next} as the status of {@code primary} now, unless it is unchanged; returns the object as stored
     * ({@code primary} itself when nothing changed). The write happens here rather than after the reconcile returns,
     * so that the reconciler records its Events only once the status they describe is stored (a conflict then raises
     * none, and the retried reconcile decides them again). The operator SDK's cache is told of the write, so the
     * next reconcile reads it, not a cache that lags behind it. A conflict (what the status was decided from changed
     * since it was read) propagates as a 409: the SDK reconciles again from fresh state.
     */
    public static <S, P extends CustomResource<?, S>> P write(P primary, S next, Context<P> context) {
        if (!changed(primary.getStatus(), next)) {
            return primary;
        }
        ArrayNode ops = patch(primary.getMetadata().getResourceVersion(), primary.getStatus(), next);
        P written;
        try {
            written = context.getClient()
                    .resource(primary)
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), ops.toString());
        } catch (KubernetesClientException e) {
            throw revisionTestFailed(e, primary.getStatus()) ? conflict(primary, e) : e;
        }
        OwnWrites.wrote(written);
        context.eventSourceRetriever()
                .getControllerEventSource()
                .handleRecentResourceUpdate(ResourceID.fromResource(primary), written, primary);
        return written;
    }

    /**
     * The JSON Patch that turns status {@code read} into {@code next}, and nothing else: only what changed is sent
     * (an appended timeline entry is that entry, not the timeline), and the API server applies it only to exactly
     * what was read. A status some of whose fields another writer owns (SharedStatus) is guarded by a test of its
     * own recordRevision, which the patch increments, and never touches those fields: the other writer's writes in
     * between do not conflict with it. Any other status, and the first write of a shared one (nothing to test yet),
     * is guarded by the resourceVersion read (a mismatch is a 409) and replaced whole, foreign fields as read.
     */
    static ArrayNode patch(String resourceVersion, Object read, Object next) {
        var nodes = JsonNodeFactory.instance;
        ArrayNode ops = nodes.arrayNode();
        Long revision = read instanceof SharedStatus shared ? shared.getRecordRevision() : null;
        JsonNode before = read == null ? null : JSON.convertValue(withoutForeignFields(read), JsonNode.class);
        if (before == null || before.isEmpty() || read instanceof SharedStatus && revision == null) {
            ops.addObject()
                    .put("op", "replace")
                    .put("path", "/metadata/resourceVersion")
                    .put("value", resourceVersion);
            ObjectNode whole = JSON.convertValue(next, ObjectNode.class);
            if (next instanceof SharedStatus) {
                whole.put(RECORD_REVISION, 1L);
            }
            // "add" replaces /status when it exists and creates it when the object has none yet.
            ops.addObject().put("op", "add").put("path", "/status").set("value", whole);
            return ops;
        }
        ObjectNode after = JSON.convertValue(withoutForeignFields(next), ObjectNode.class);
        if (revision != null) {
            ops.addObject()
                    .put("op", "test")
                    .put("path", "/status/" + RECORD_REVISION)
                    .put("value", revision);
            after.put(RECORD_REVISION, revision + 1);
        } else {
            ops.addObject()
                    .put("op", "replace")
                    .put("path", "/metadata/resourceVersion")
                    .put("value", resourceVersion);
        }
        // Arrays by their longest common subsequence: a timeline entry appended, or the oldest dropped by its budget,
        // is an operation for that entry, not the timeline again.
        for (JsonNode op : JsonDiff.asJson(before, after, DIFF_FLAGS)) {
            ObjectNode o =
                    ((ObjectNode) op).put("path", "/status" + op.get("path").asText());
            ops.add(o);
        }
        return ops;
    }

    /**
     * A failed JSON Patch test is a 422 with no causes (a validation error names its fields): for a write guarded by
     * the recordRevision, that is a conflict.
     */
    private static boolean revisionTestFailed(KubernetesClientException e, Object read) {
        return e.getCode() == 422
                && read instanceof SharedStatus shared
                && shared.getRecordRevision() != null
                && (e.getStatus() == null
                        || e.getStatus().getDetails() == null
                        || e.getStatus().getDetails().getCauses() == null
                        || e.getStatus().getDetails().getCauses().isEmpty());
    }

    private static KubernetesClientException conflict(CustomResource<?, ?> primary, KubernetesClientException e) {
        String message = primary.getKind() + " " + primary.getMetadata().getName()
                + ": its status changed since it was read (" + RECORD_REVISION + ")";
        return new KubernetesClientException(
                message,
                e,
                409,
                new StatusBuilder()
                        .withCode(409)
                        .withReason("Conflict")
                        .withMessage(message)
                        .build(),
                null);
    }

    /** A copy of the status without the fields another writer owns (see SharedStatus); the status itself if none. */
    @SuppressWarnings("unchecked")
    private static <S> S withoutForeignFields(S status) {
        if (!(status instanceof SharedStatus)) {
            return status;
        }
        S copy = (S) JSON.clone(status);
        ((SharedStatus) copy).removeFieldsOwnedByOthers();
        return copy;
    }
}
