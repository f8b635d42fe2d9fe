package dev.firebreak.intake.alertmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses Alertmanager's webhook payload (version "4") and says precisely what is wrong with a bad one. Unknown fields
 * (notification_reason, routeLabels, whatever comes next) are ignored. Firing alerts carry endsAt
 * 0001-01-01T00:00:00Z, which means "not ended" and is read as absent.
 */
public final class PayloadParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private PayloadParser() {
    }

    public static WebhookNotification parse(byte[] body) throws BadPayload {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadPayload("body", "not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new BadPayload("body", "unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadPayload("body", "expected a JSON object");
        }
        String version = text(root, "version", true);
        if (!"4".equals(version)) {
            throw new BadPayload("version", "unsupported version '" + version + "': Firebreak reads version 4");
        }
        String receiver = text(root, "receiver", true);
        String groupKey = text(root, "groupKey", true);
        String status = status(root, "status");
        JsonNode truncated = root.get("truncatedAlerts");
        if (truncated != null && !truncated.isNull() && !truncated.canConvertToInt()) {
            throw new BadPayload("truncatedAlerts", "expected a number");
        }
        JsonNode alertsNode = root.get("alerts");
        if (alertsNode == null || !alertsNode.isArray()) {
            throw new BadPayload("alerts", alertsNode == null ? "missing" : "expected an array");
        }
        List<WebhookAlert> alerts = new ArrayList<>();
        for (int i = 0; i < alertsNode.size(); i++) {
            alerts.add(alert(alertsNode.get(i), "alerts[" + i + "]"));
        }
        return new WebhookNotification(receiver, status, groupKey, truncated == null ? 0 : truncated.asInt(),
                labels(root, "groupLabels", "groupLabels"), labels(root, "commonLabels", "commonLabels"),
                labels(root, "commonAnnotations", "commonAnnotations"), text(root, "externalURL", false), alerts);
    }

    private static WebhookAlert alert(JsonNode node, String at) throws BadPayload {
        if (node == null || !node.isObject()) {
            throw new BadPayload(at, "expected an object");
        }
        String fingerprint = text(node, "fingerprint", false);
        if (fingerprint == null || fingerprint.isBlank()) {
            throw new BadPayload(at + ".fingerprint", "missing: Firebreak tracks alerts by fingerprint");
        }
        Instant startsAt = time(node, "startsAt", at + ".startsAt");
        Instant endsAt = time(node, "endsAt", at + ".endsAt");
        return new WebhookAlert(status(node, at + ".status"), labels(node, "labels", at + ".labels"),
                labels(node, "annotations", at + ".annotations"), startsAt,
                endsAt == null || endsAt.equals(ZERO_TIME) ? null : endsAt, text(node, "generatorURL", false),
                fingerprint);
    }

    private static String status(JsonNode node, String at) throws BadPayload {
        String field = at.contains(".") ? at.substring(at.lastIndexOf('.') + 1) : at;
        String status = text(node, field, true, at);
        if (!status.equals("firing") && !status.equals("resolved")) {
            throw new BadPayload(at, "'" + status + "' is neither firing nor resolved");
        }
        return status;
    }

    private static String text(JsonNode node, String field, boolean required) throws BadPayload {
        return text(node, field, required, field);
    }

    private static String text(JsonNode node, String field, boolean required, String at) throws BadPayload {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new BadPayload(at, "missing");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new BadPayload(at, "expected a string, got " + value.getNodeType().name().toLowerCase());
        }
        if (required && value.asText().isEmpty()) {
            throw new BadPayload(at, "empty");
        }
        return value.asText();
    }

    private static Map<String, String> labels(JsonNode node, String field, String at) throws BadPayload {
        JsonNode value = node.get(field);
        Map<String, String> labels = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return labels;
        }
        if (!value.isObject()) {
            throw new BadPayload(at, "expected an object of strings");
        }
        var fields = value.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            if (!entry.getValue().isTextual()) {
                throw new BadPayload(at + "." + entry.getKey(), "expected a string");
            }
            labels.put(entry.getKey(), entry.getValue().asText());
        }
        return labels;
    }

    private static Instant time(JsonNode node, String field, String at) throws BadPayload {
        String text = text(node, field, false, at);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadPayload(at, "'" + text + "' is not an RFC 3339 time");
        }
    }
}
