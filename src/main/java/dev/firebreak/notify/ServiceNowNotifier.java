package dev.firebreak.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.api.v1alpha1.Impact;
import dev.firebreak.api.v1alpha1.Urgency;
import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.api.v1alpha1.spec.ServiceNowTarget;
import dev.firebreak.api.v1alpha1.status.Action;
import dev.firebreak.api.v1alpha1.status.Channel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * ServiceNow Table API: the trigger creates an {@code incident} record (its sys_id is kept in the notification
 * record); acknowledgement sets it In Progress, updates add work notes, resolution sets it Resolved with close code
 * and notes. Basic authentication from the policy's Secret (keys username and password).
 */
public final class ServiceNowNotifier implements Notifier {
    static final String STATE_IN_PROGRESS = "2";
    static final String STATE_RESOLVED = "6";
    static final String CLOSE_CODE = "Solved (Permanently)";

    private final HttpChannel http;

    public ServiceNowNotifier(HttpChannel http) {
        this.http = http;
    }

    @Override
    public Channel channel() {
        return Channel.ServiceNow;
    }

    @Override
    public Attempt send(Message message, EscalationTarget target, Delivery delivery, Credentials credentials) {
        ServiceNowTarget sn = target.serviceNow;
        String user = credentials.get(sn.credentialsSecretName, "username");
        String password = credentials.get(sn.credentialsSecretName, "password");
        String auth =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = Map.of("Authorization", auth, "Accept", "application/json");
        if (message.action() == Action.Trigger) {
            return http.send(
                    Channel.ServiceNow,
                    "POST",
                    HttpChannel.join(sn.instanceURL, "/api/now/table/incident"),
                    HttpChannel.write(payload(message, sn)),
                    headers,
                    credentials,
                    body -> Optional.ofNullable(
                            body.path("result").path("sys_id").textValue()));
        }
        if (delivery.externalId() == null) {
            return Attempt.failed("ServiceNow: no incident record to update (its creation was not delivered)");
        }
        return http.send(
                Channel.ServiceNow,
                "PATCH",
                HttpChannel.join(sn.instanceURL, "/api/now/table/incident/" + delivery.externalId()),
                HttpChannel.write(payload(message, sn)),
                headers,
                credentials,
                body -> Optional.empty());
    }

    public static ObjectNode payload(Message m, ServiceNowTarget target) {
        ObjectNode body = HttpChannel.object();
        switch (m.action()) {
            case Trigger -> {
                body.put("short_description", Message.cut(m.drillMark() + m.title(), 160));
                body.put(
                        "description",
                        m.headline() + "\nIncident: " + m.ref() + "\nWorkloads: " + m.workloadText()
                                + (m.classificationReason() == null
                                        ? ""
                                        : "\nClassification: " + m.classificationReason())
                                + (m.detail() == null ? "" : "\n\n" + m.detail()));
                body.put("impact", impact(m.impact())).put("urgency", urgency(m.urgency()));
                if (target.callerId != null) {
                    body.put("caller_id", target.callerId);
                }
                if (target.assignmentGroup != null) {
                    body.put("assignment_group", target.assignmentGroup);
                }
                body.put("correlation_id", m.uid()).put("correlation_display", "Firebreak");
            }
            case Acknowledge -> body.put("state", STATE_IN_PROGRESS).put("work_notes", m.drillMark() + m.detail());
            case Update -> body.put("work_notes", m.drillMark() + m.detail());
            case Resolve ->
                body.put("state", STATE_RESOLVED)
                        .put("close_code", CLOSE_CODE)
                        .put("close_notes", m.drillMark() + m.detail());
            default -> throw new IllegalStateException();
        }
        return body;
    }

    /** AllUsers → 1 (High), KeyFeatures → 2 (Medium), FewUsers and Minimal → 3 (Low). */
    static String impact(Impact impact) {
        if (impact == null) {
            return "2";
        }
        return switch (impact) {
            case AllUsers -> "1";
            case KeyFeatures -> "2";
            case FewUsers, Minimal -> "3";
        };
    }

    /** Immediate → 1, High → 2, Medium and Low → 3. */
    static String urgency(Urgency urgency) {
        if (urgency == null) {
            return "2";
        }
        return switch (urgency) {
            case Immediate -> "1";
            case High -> "2";
            case Medium, Low -> "3";
        };
    }
}
