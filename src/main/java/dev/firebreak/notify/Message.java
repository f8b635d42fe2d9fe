package dev.firebreak.notify;

import dev.firebreak.api.v1alpha1.Impact;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.Urgency;
import dev.firebreak.api.v1alpha1.spec.StakeholderUpdate;
import dev.firebreak.api.v1alpha1.status.Action;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.NotificationRecord;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.references.QualifiedName;
import dev.firebreak.text.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What every channel says about an incident, independent of wire format. Built from the incident as it is when the
 * notification is delivered (a retried Trigger carries the current severity); an Update carries the update it was
 * created for.
 */
public record Message(
        Action action,
        boolean drill,
        String namespace,
        String name,
        String uid,
        String title,
        String description,
        Severity severity,
        Impact impact,
        Urgency urgency,
        String classificationReason,
        Phase phase,
        List<String> workloads,
        List<Link> links,
        String acknowledgedBy,
        String detail,
        Integer level,
        String recipient,
        Instant detectedAt,
        String sourceType,
        List<Covered> digest) {

    /** A link shown with the message: the alert source, Alertmanager, a runbook. */
    public record Link(String text, String url) {}

    /** An incident a digest covers. */
    public record Covered(String namespace, String name, String uid, String title, Severity severity) {}

    /** How many incidents a digest's text names one by one; the rest are counted (the payload's list has all). */
    static final int DIGEST_NAMED = 20;

    public static Message of(Incident incident, NotificationRecord record) {
        IncidentSpec spec = incident.getSpec();
        IncidentStatus status = incident.getStatus() == null ? new IncidentStatus() : incident.getStatus();
        Action action = record.action;
        List<String> workloads =
                spec.affected.stream().map(w -> w.kind + " " + w.name).toList();
        return new Message(
                action,
                spec.drill,
                incident.getMetadata().getNamespace(),
                incident.getMetadata().getName(),
                incident.getMetadata().getUid(),
                spec.title,
                spec.description,
                status.severity,
                status.classification == null ? null : status.classification.impact,
                status.classification == null ? null : status.classification.urgency,
                status.classification == null ? null : status.classification.reason,
                status.phase,
                workloads,
                links(spec, status.alerts),
                spec.acknowledgedBy,
                detail(action, spec, status, record),
                record.level,
                record.recipient,
                status.detectedAt,
                spec.source == null ? "Manual" : spec.source.type.name(),
                List.of());
    }

    /**
     * One message for several notifications of the same kind to one destination over its rate: it names every
     * incident it covers (the first {@value #DIGEST_NAMED} in its text, all of them in {@code digest}), carries the
     * worst severity, and is otherwise the first message (its identity, so the channel's deduplication key is the
     * first incident's).
     */
    public static Message digest(List<Message> messages) {
        Message first = messages.get(0);
        List<Covered> covered = messages.stream()
                .map(m -> new Covered(m.namespace(), m.name(), m.uid(), m.title(), m.severity()))
                .toList();
        Severity worst = messages.stream()
                .map(Message::severity)
                .filter(Objects::nonNull)
                .min(Comparator.naturalOrder())
                .orElse(null);
        StringBuilder text = new StringBuilder();
        covered.stream()
                .limit(DIGEST_NAMED)
                .forEach(c -> text.append(text.isEmpty() ? "" : "\n")
                        .append("- ")
                        .append(c.severity() == null ? "" : c.severity() + " ")
                        .append(c.namespace())
                        .append('/')
                        .append(c.name())
                        .append(": ")
                        .append(c.title()));
        if (covered.size() > DIGEST_NAMED) {
            text.append("\n… and ").append(covered.size() - DIGEST_NAMED).append(" more");
        }
        String title = covered.size() + " incidents (over this destination's rate, in one message)";
        return new Message(
                first.action(),
                first.drill(),
                first.namespace(),
                first.name(),
                first.uid(),
                title,
                text.toString(),
                worst,
                first.impact(),
                first.urgency(),
                null,
                first.phase(),
                List.of(),
                List.of(),
                null,
                text.toString(),
                first.level(),
                first.recipient(),
                first.detectedAt(),
                first.sourceType(),
                covered);
    }

    private static List<Link> links(IncidentSpec spec, List<AlertRecord> alerts) {
        List<Link> links = new ArrayList<>();
        Set<String> runbooks = new LinkedHashSet<>();
        alerts.stream().map(a -> a.runbookURL).filter(Objects::nonNull).forEach(runbooks::add);
        runbooks.stream().limit(3).forEach(u -> links.add(new Link("Runbook", u)));
        alerts.stream()
                .map(a -> a.generatorURL)
                .filter(Objects::nonNull)
                .findFirst()
                .ifPresent(u -> links.add(new Link("Alert source", u)));
        if (spec.source != null && spec.source.externalURL != null) {
            links.add(new Link("Alertmanager", spec.source.externalURL));
        }
        return links;
    }

    private static String detail(Action action, IncidentSpec spec, IncidentStatus status, NotificationRecord r) {
        return switch (action) {
            case Trigger -> spec.description;
            case Acknowledge -> "Acknowledged by " + spec.acknowledgedBy + ".";
            case Update -> {
                if (r.update == null || r.update >= spec.updates.size()) {
                    yield "Update.";
                }
                StakeholderUpdate u = spec.updates.get(r.update);
                yield u.message
                        + (u.eta == null ? "" : " (ETA " + u.eta + ")")
                        + (u.author == null ? "" : " — " + u.author);
            }
            case Resolve ->
                status.timeToResolve == null
                        ? "Resolved."
                        : "Resolved after " + status.timeToResolve
                                + (spec.resolution != null && spec.resolution.note != null
                                        ? ": " + spec.resolution.note
                                        : ".");
        };
    }

    /** The same message with another detail (a reminder carries its own text). */
    public Message withDetail(String text) {
        return new Message(
                action,
                drill,
                namespace,
                name,
                uid,
                title,
                description,
                severity,
                impact,
                urgency,
                classificationReason,
                phase,
                workloads,
                links,
                acknowledgedBy,
                text,
                level,
                recipient,
                detectedAt,
                sourceType,
                digest);
    }

    /** The text cut to a channel's field limit, an ellipsis marking the cut. */
    public static String cut(String text, int max) {
        return Text.cut(text, max);
    }

    /** "[DRILL] " for drills, else empty: every channel starts its text with it. */
    public String drillMark() {
        return drill ? "[DRILL] " : "";
    }

    /** For example "[DRILL] Critical incident triggered: Checkout returns 500s". */
    public String headline() {
        String what = switch (action) {
            case Trigger -> "incident triggered";
            case Acknowledge -> "incident acknowledged";
            case Update -> "incident update";
            case Resolve -> "incident resolved";
        };
        return drillMark() + (severity == null ? "" : severity + " ") + what + ": " + title;
    }

    /** namespace/name. */
    public String ref() {
        return new QualifiedName(namespace, name).toString();
    }

    /** The workloads, or "none recorded". */
    public String workloadText() {
        return workloads.isEmpty() ? "none recorded" : String.join(", ", workloads);
    }

    /** The command a responder runs to acknowledge. */
    public String ackCommand() {
        return "kubectl firebreak ack " + name + " -n " + namespace;
    }
}
