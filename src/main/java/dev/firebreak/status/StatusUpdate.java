package dev.firebreak.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.firebreak.api.v1alpha1.Condition;
import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.api.v1alpha1.HasConditions;
import dev.firebreak.api.v1alpha1.SharedStatus;
import dev.firebreak.validation.Problem;
import dev.firebreak.validation.Problems;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Owns the status write of every reconciler: sets observedGeneration and the Ready condition from validation
 * problems, and patches only when the status actually changed. Under server-side apply the patch is a fresh object
 * holding only the status, so Firebreak owns no field it does not write; without it (the mock API server in tests)
 * it is a copy of the primary, because the SDK then diffs against the original.
 */
public final class StatusUpdate {
    /** The field manager of every status write by the reconcilers, as 'kubectl get --show-managed-fields' shows it. */
    public static final String FIELD_MANAGER = "firebreak";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private StatusUpdate() {
    }

    /** A copy of {@code current} (never null) to compute the next status on. */
    public static <S> S copy(S current, Supplier<S> empty) {
        return current == null ? empty.get() : JSON.clone(current);
    }

    /** Writes observedGeneration and Ready (from {@code problems}) into {@code next}. */
    public static void applyReady(HasConditions next, Long generation, List<Problem> problems, String validMessage,
            Instant now) {
        next.setObservedGeneration(generation);
        Condition ready = problems.isEmpty()
                ? new Condition(Conditions.READY, ConditionStatus.True, "Valid", validMessage)
                : new Condition(Conditions.READY, ConditionStatus.False, Problems.reason(problems),
                        Problems.message(problems));
        Conditions.set(next.getConditions(), ready, now, generation);
    }

    /** True when the two statuses would serialize differently. */
    public static boolean changed(Object before, Object after) {
        return !JSON.convertValue(before, JsonNode.class)
                .equals(JSON.convertValue(after, JsonNode.class));
    }

    /**
     * Writes {@code next} as the status of {@code primary} now, unless it is unchanged; returns the object as stored
     * ({@code primary} itself when nothing changed). The write
     * happens here rather than after the reconcile returns, so that the reconciler records its Events only once the
     * status they describe is stored (a conflict then raises none, and the retried reconcile decides them again). The
     * operator SDK's cache is told of the write, so the next reconcile reads it, not a cache that lags behind it. A
     * conflict (the primary changed since it was read) propagates: the SDK reconciles again from fresh state.
     */
    public static <S, P extends CustomResource<?, S>> P write(P primary, S next, Context<P> context) {
        if (!changed(primary.getStatus(), next)) {
            return primary;
        }
        boolean ssa = context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource();
        P written;
        if (ssa) {
            P patch = freshObject(primary);
            patch.setStatus(withoutForeignFields(next));
            written = context.getClient().resource(patch).subresource("status").patch(new PatchContext.Builder()
                    .withPatchType(PatchType.SERVER_SIDE_APPLY).withForce(true)
                    .withFieldManager(context.getControllerConfiguration().fieldManager()).build());
        } else {
            // Only the mock API server of the tests lacks server-side apply. Like server-side apply, this replaces
            // each changed field whole and leaves others' fields alone.
            String patch = fieldPatch(primary.getStatus() == null ? null : withoutForeignFields(primary.getStatus()),
                    withoutForeignFields(next), !(next instanceof SharedStatus));
            written = context.getClient().resource(primary).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), patch);
        }
        context.eventSourceRetriever().getControllerEventSource().handleRecentResourceUpdate(
                ResourceID.fromResource(primary), written, primary);
        return written;
    }

    /**
     * Stores {@code next} as the status at once, before the rest of the reconcile: the record of an action about to be
     * taken (a rollback), so that a crash after the action finds it. A JSON Patch that tests the resourceVersion the
     * reconcile read and replaces the status whole (under that test, what it replaces is exactly what was read, so
     * nothing written by others is lost; a stale copy fails with 422 and a conflict with 409, both propagated).
     * Returns the object as stored, which the rest of the reconcile writes over.
     */
    public static <S, P extends CustomResource<?, S>> P writeNow(P primary, S next, Context<P> context) {
        var nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        ArrayNode ops = nodes.arrayNode();
        ops.addObject().put("op", "test").put("path", "/metadata/resourceVersion")
                .put("value", primary.getMetadata().getResourceVersion());
        // "add" replaces /status when it exists and creates it when the object has none yet.
        ops.addObject().put("op", "add").put("path", "/status").set("value", JSON.convertValue(next, JsonNode.class));
        P written = context.getClient().resource(primary).subresource("status")
                .patch(PatchContext.of(PatchType.JSON), ops.toString());
        context.eventSourceRetriever().getControllerEventSource().handleRecentResourceUpdate(
                ResourceID.fromResource(primary), written, primary);
        return written;
    }

    /** A JSON Patch that sets each top-level status field that differs, whole, and removes the ones gone. */
    static String fieldPatch(Object before, Object after) {
        return fieldPatch(before, after, false);
    }

    /**
     * As above; {@code wholeIfEmpty}: an empty status before is what the client makes of a missing or null one, and
     * the mock server may hold null there (a merge patch of the spec writes it), where no field can be added: the
     * whole status is set instead. Never for a status shared with another writer, whose fields that would erase.
     */
    static String fieldPatch(Object before, Object after, boolean wholeIfEmpty) {
        JsonNode old = before == null ? null : JSON.convertValue(before, JsonNode.class);
        JsonNode now = JSON.convertValue(after, JsonNode.class);
        List<Map<String, Object>> ops = new java.util.ArrayList<>();
        if (old == null || (wholeIfEmpty && old.isEmpty())) {
            ops.add(Map.of("op", "add", "path", "/status", "value", now));
        } else {
            now.fields().forEachRemaining(f -> {
                if (!f.getValue().equals(old.get(f.getKey()))) {
                    ops.add(Map.of("op", "add", "path", "/status/" + f.getKey(), "value", f.getValue()));
                }
            });
            old.fieldNames().forEachRemaining(name -> {
                if (!now.has(name)) {
                    ops.add(Map.of("op", "remove", "path", "/status/" + name));
                }
            });
        }
        return JSON.asJson(ops);
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

    @SuppressWarnings("unchecked")
    private static <S, P extends CustomResource<?, S>> P freshObject(P primary) {
        try {
            P fresh = (P) primary.getClass().getDeclaredConstructor().newInstance();
            fresh.setMetadata(new ObjectMeta());
            fresh.getMetadata().setName(primary.getMetadata().getName());
            fresh.getMetadata().setNamespace(primary.getMetadata().getNamespace());
            // The status was decided from this version. Applied over a newer one (a cache lagging behind this
            // operator's own last write) it would roll the record back, timeline included; with the version the API
            // server answers 409 instead and the SDK reconciles again from fresh state.
            fresh.getMetadata().setResourceVersion(primary.getMetadata().getResourceVersion());
            return fresh;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + primary.getClass(), e);
        }
    }
}
