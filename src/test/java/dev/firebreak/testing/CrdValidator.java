package dev.firebreak.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Validates an object against a committed CRD's schema the way the API server does on create: types, required
 * fields, enums, lengths in code points, list and map sizes, patterns, date-time formats, nulls, unknown fields (which
 * the API server would silently drop: reported here, since dropping what Firebreak wrote is a bug too) and the CEL
 * rules that do not compare with an old object. Returns the problems as "path: what", empty when the object passes.
 */
public final class CrdValidator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().build();
    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();
    private static final Map<String, JsonNode> SCHEMAS = new ConcurrentHashMap<>();

    private CrdValidator() {}

    /** Problems of an Incident (any object serializable to JSON) against crds/incidents.firebreak.dev-v1.yml. */
    public static List<String> incident(Object incident) {
        return validate("incidents.firebreak.dev-v1.yml", JSON.valueToTree(YAML.convertValue(incident, Map.class)));
    }

    public static List<String> validate(String crdFile, JsonNode object) {
        JsonNode schema = SCHEMAS.computeIfAbsent(crdFile, f -> {
            try {
                JsonNode crd = JSON.valueToTree(YAML.unmarshal(Files.readString(Path.of("crds", f)), Map.class));
                return crd.at("/spec/versions/0/schema/openAPIV3Schema");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<String> problems = new ArrayList<>();
        for (String part : List.of("spec", "status")) {
            if (object.has(part)) {
                check(part, object.get(part), schema.path("properties").path(part), problems);
            }
        }
        return problems;
    }

    private static void check(String path, JsonNode value, JsonNode schema, List<String> problems) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                problems.add(path + ": null");
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add(path + ": not an object");
                    return;
                }
                JsonNode properties = schema.path("properties");
                JsonNode additional = schema.get("additionalProperties");
                boolean open =
                        schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (properties.has(field.getKey())) {
                        check(path + "." + field.getKey(), field.getValue(), properties.get(field.getKey()), problems);
                    } else if (additional != null && additional.isObject()) {
                        check(path + "[" + field.getKey() + "]", field.getValue(), additional, problems);
                    } else if (!open) {
                        problems.add(path + "." + field.getKey() + ": unknown field (the API server drops it)");
                    }
                }
                schema.path("required").forEach(r -> {
                    if (!value.has(r.asText())) {
                        problems.add(path + "." + r.asText() + ": required");
                    }
                });
                if (schema.has("maxProperties")
                        && value.size() > schema.get("maxProperties").asInt()) {
                    problems.add(path + ": more than " + schema.get("maxProperties") + " properties");
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(path + ": not an array");
                    return;
                }
                if (schema.has("maxItems")
                        && value.size() > schema.get("maxItems").asInt()) {
                    problems.add(path + ": " + value.size() + " items, more than " + schema.get("maxItems"));
                }
                if (schema.has("minItems")
                        && value.size() < schema.get("minItems").asInt()) {
                    problems.add(path + ": fewer than " + schema.get("minItems") + " items");
                }
                for (int i = 0; i < value.size(); i++) {
                    check(path + "[" + i + "]", value.get(i), schema.path("items"), problems);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(path + ": not a string");
                    return;
                }
                String text = value.asText();
                int length = text.codePointCount(0, text.length());
                if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                    problems.add(path + ": " + length + " characters, more than " + schema.get("maxLength"));
                }
                if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                    problems.add(path + ": shorter than " + schema.get("minLength"));
                }
                if (schema.has("pattern")
                        && !Pattern.compile(schema.get("pattern").asText())
                                .matcher(text)
                                .find()) {
                    problems.add(path + ": '" + text + "' does not match "
                            + schema.get("pattern").asText());
                }
                if (schema.has("enum")) {
                    boolean listed = false;
                    for (JsonNode e : schema.get("enum")) {
                        listed |= e.asText().equals(text);
                    }
                    if (!listed) {
                        problems.add(path + ": '" + text + "' is not one of " + schema.get("enum"));
                    }
                }
                if ("date-time".equals(schema.path("format").asText()) && !dateTime(text)) {
                    problems.add(path + ": '" + text + "' is not an RFC 3339 date-time Kubernetes can store");
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    problems.add(path + ": not an integer");
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    problems.add(path + ": not a number");
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(path + ": not a boolean");
                }
            }
            default -> {}
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String expression = rule.get("rule").asText();
            if (expression.contains("oldSelf")) {
                continue;
            }
            try {
                Object result = PROGRAMS.computeIfAbsent(expression, CrdValidator::program)
                        .eval(Map.of("self", cel(value)));
                if (!Boolean.TRUE.equals(result)) {
                    problems.add(path + ": " + rule.path("message").asText(expression));
                }
            } catch (Exception e) {
                problems.add(path + ": rule '" + expression + "' failed to evaluate: " + e.getMessage());
            }
        }
    }

    private static CelRuntime.Program program(String expression) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return RUNTIME.createProgram(ast);
        } catch (Exception e) {
            throw new IllegalStateException("cannot compile " + expression, e);
        }
    }

    /** RFC 3339 with a four-digit year, as the API server's date-time format requires. */
    private static boolean dateTime(String text) {
        if (!text.matches("^[0-9]{4}-.*")) {
            return false;
        }
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Object cel(JsonNode value) {
        if (value.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            value.fields().forEachRemaining(e -> out.put(e.getKey(), cel(e.getValue())));
            return out;
        }
        if (value.isArray()) {
            List<Object> out = new ArrayList<>();
            value.forEach(v -> out.add(cel(v)));
            return out;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.asText();
    }
}
