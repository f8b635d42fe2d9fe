package dev.firebreak.kubeapi;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON Patch (RFC 6902) built op by op, each value serialized as the client serializes objects, never by string
 * concatenation. The status writer computes its patches as a diff ({@code status/StatusUpdate}); this is for the ones
 * written by hand: a test that guards the write, then what it changes.
 */
public final class JsonPatch {
    private final KubernetesSerialization json;
    private final List<Map<String, Object>> ops = new ArrayList<>();

    private JsonPatch(KubernetesSerialization json) {
        this.json = json;
    }

    public static JsonPatch with(KubernetesSerialization json) {
        return new JsonPatch(json);
    }

    /** Fails the whole patch unless the value at {@code path} is {@code value}. */
    public JsonPatch test(String path, Object value) {
        return op("test", path, value);
    }

    /** Sets the member (added when absent, replaced when present). */
    public JsonPatch add(String path, Object value) {
        return op("add", path, value);
    }

    /** Replaces a member that must exist. */
    public JsonPatch replace(String path, Object value) {
        return op("replace", path, value);
    }

    /** Removes a member that must exist. */
    public JsonPatch remove(String path) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("op", "remove");
        o.put("path", path);
        ops.add(o);
        return this;
    }

    private JsonPatch op(String op, String path, Object value) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("op", op);
        o.put("path", path);
        o.put("value", value);
        ops.add(o);
        return this;
    }

    public String toJson() {
        return json.asJson(ops);
    }
}
