package dev.firebreak.escalation;

import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.EscalationPolicySpec;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.OnCallSchedule;
import dev.firebreak.api.v1alpha1.Person;
import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.api.v1alpha1.status.Action;
import dev.firebreak.api.v1alpha1.status.Channel;
import dev.firebreak.api.v1alpha1.status.DigestRef;
import dev.firebreak.api.v1alpha1.status.EscalationStatus;
import dev.firebreak.api.v1alpha1.status.NotificationRecord;
import dev.firebreak.api.v1alpha1.status.NotificationResult;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.api.v1alpha1.status.TimelineType;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.Notice;
import dev.firebreak.notify.Attempt;
import dev.firebreak.notify.Backoff;
import dev.firebreak.notify.Credentials;
import dev.firebreak.notify.Dispatcher;
import dev.firebreak.notify.Message;
import dev.firebreak.notify.NotificationMetrics;
import dev.firebreak.notify.Notifier;
import dev.firebreak.notify.Notifiers;
import dev.firebreak.references.QualifiedName;
import dev.firebreak.schedule.OnCall;
import dev.firebreak.schedule.OnCallScheduleValidator;
import dev.firebreak.secrets.SecretReader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The escalation step of the incident reconcile, the effects around the pure Escalation: records the outcomes of
 * finished delivery attempts, lets Escalation decide, and starts the attempts that are due. Only notifications that
 * are Pending in the status as read (so already persisted) are attempted: a level is recorded before anyone is
 * paged for it, and a restart neither skips nor repeats it.
 */
@ApplicationScoped
public class Escalations {
    /** After new notifications are recorded, how soon the reconcile comes back to send them (its write wakes none). */
    static final Duration SEND_SOON = Duration.ofMillis(10);

    /** The step's result: the escalation status, what to note, and when to come back. */
    public record Step(EscalationStatus next, List<Notice> notices, Optional<Duration> recheck) {}

    private final FirebreakConfig config;
    private final SecretReader secrets;
    private final Dispatcher dispatcher;
    private final Notifiers notifiers;
    private final NotificationMetrics metrics;
    private final KubernetesClient client;
    private final Backoff backoff;

    public Escalations(
            FirebreakConfig config,
            SecretReader secrets,
            Dispatcher dispatcher,
            Notifiers notifiers,
            NotificationMetrics metrics,
            KubernetesClient client) {
        this.config = config;
        this.secrets = secrets;
        this.dispatcher = dispatcher;
        this.notifiers = notifiers;
        this.metrics = metrics;
        this.client = client;
        this.backoff = new Backoff(
                config.notifications().backoffBase(),
                config.notifications().backoffMax(),
                config.notifications().maxAttempts());
    }

    /**
     * @param incident the incident as read
     * @param decided the incident's next status as decided so far (phase, severity)
     * @param binding the policy chosen for it
     * @param at the reconcile's one reading of the clock
     */
    public Step step(Incident incident, IncidentStatus decided, PolicyBinding.Binding binding, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        String uid = incident.getMetadata().getUid();
        List<Notice> notices = new ArrayList<>();
        EscalationStatus folded = decided.escalation == null ? new EscalationStatus() : decided.escalation;
        fold(uid, incident.getStatus(), folded, now, notices);

        Optional<EscalationPolicy> policy = binding.policy();
        String namespace = incident.getMetadata().getNamespace();
        Escalation.Input input = new Escalation.Input(
                policy.map(EscalationPolicy::getSpec),
                policy.map(p -> label(p, namespace)),
                binding.reason(),
                decided.phase,
                Optional.ofNullable(incident.getSpec().acknowledgedBy)
                        .filter(s -> !s.isBlank())
                        .map(String::strip),
                Optional.ofNullable(decided.reopenedAt),
                incident.getSpec().updates.size(),
                now,
                schedule -> policy.flatMap(p -> onCall(p.getMetadata().getNamespace(), schedule, now)));
        Escalation.Decision decision = Escalation.decide(folded, input);
        notices.addAll(decision.notices());
        decision.firedLevels().forEach(metrics::escalated);

        Optional<Instant> retryAt = dispatch(incident, decided, decision.next(), policy, now);
        Optional<Duration> recheck = earliest(Optional.ofNullable(decision.next().nextEscalationAt), retryAt)
                .map(due -> Duration.between(at, due))
                .map(d -> d.isNegative() ? Duration.ofMillis(100) : d.plusMillis(50));
        if (!decision.added().isEmpty()) {
            recheck = Optional.of(SEND_SOON);
        } else if (policy.isEmpty() && decided.phase != Phase.Resolved) {
            recheck = shortest(recheck, Optional.of(config.escalation().unboundRecheck()));
        }
        return new Step(decision.next(), notices, recheck);
    }

    private static String label(EscalationPolicy p, String incidentNamespace) {
        return p.getMetadata().getNamespace().equals(incidentNamespace)
                ? p.getMetadata().getName()
                : p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    private Optional<Person> onCall(String namespace, String schedule, Instant now) {
        OnCallSchedule s = client.resources(OnCallSchedule.class)
                .inNamespace(namespace)
                .withName(schedule)
                .get();
        if (s == null
                || s.getSpec() == null
                || !OnCallScheduleValidator.validate(s.getSpec()).isEmpty()) {
            return Optional.empty();
        }
        return OnCall.person(s.getSpec(), now);
    }

    // --- outcomes ------------------------------------------------------------------------------------------------

    /** Records finished attempts on their notifications and forgets outcomes the read status already holds. */
    private void fold(String uid, IncidentStatus observed, EscalationStatus next, Instant now, List<Notice> notices) {
        if (observed != null && observed.escalation != null) {
            for (NotificationRecord r : observed.escalation.notifications) {
                Dispatcher.Key key = new Dispatcher.Key(uid, r.id);
                if (r.result == NotificationResult.Pending) {
                    dispatcher.recorded(key, r.attempts == null ? 0 : r.attempts);
                } else {
                    dispatcher.finished(key);
                }
            }
        }
        for (NotificationRecord r : next.notifications) {
            int attempts = r.attempts == null ? 0 : r.attempts;
            Optional<Dispatcher.Result> result = dispatcher.result(new Dispatcher.Key(uid, r.id));
            if (result.isEmpty() || result.get().attempt() <= attempts || r.result != NotificationResult.Pending) {
                continue;
            }
            Attempt a = result.get().outcome();
            r.attempts = result.get().attempt();
            r.time = result.get().at().truncatedTo(ChronoUnit.SECONDS);
            a.externalId().ifPresent(id -> r.externalId = id);
            switch (a.outcome()) {
                case Sent -> {
                    r.result = NotificationResult.Sent;
                    r.nextAttemptAt = null;
                    r.error = null;
                    result.get().digest().ifPresent(d -> r.digest = new DigestRef(d.id(), d.incidents()));
                    notices.add(Escalation.note(
                            TimelineType.Notified,
                            EventReason.Notified,
                            false,
                            "notified " + r.target + " (" + r.action + ")" + attemptsText(r.attempts)
                                    + result.get()
                                            .digest()
                                            .map(d -> ", in digest " + d.id() + " with " + (d.incidents() - 1)
                                                    + " other incidents (over the destination's rate)")
                                            .orElse("")));
                }
                case Failed -> fail(r, a.error(), notices);
                case Retry -> {
                    r.error = a.error();
                    if (a.rateLimited() ? backoff.exhaustedByRateLimits(r.attempts) : backoff.exhausted(r.attempts)) {
                        fail(r, a.error() + " (gave up after " + r.attempts + " attempts)", notices);
                    } else {
                        r.nextAttemptAt = now.plus(
                                a.rateLimited()
                                        ? backoff.afterRateLimit(
                                                a.retryAfter(),
                                                () -> ThreadLocalRandom.current()
                                                        .nextDouble())
                                        : backoff.after(
                                                r.attempts,
                                                a.retryAfter(),
                                                () -> ThreadLocalRandom.current()
                                                        .nextDouble()));
                    }
                }
                default -> throw new IllegalStateException();
            }
            if (r.result != NotificationResult.Pending) {
                dispatcher.finalResult(
                        new Dispatcher.Key(uid, r.id),
                        r.channel,
                        r.result == NotificationResult.Sent ? Attempt.Outcome.Sent : Attempt.Outcome.Failed);
            }
        }
    }

    private static void fail(NotificationRecord r, String error, List<Notice> notices) {
        r.result = NotificationResult.Failed;
        r.nextAttemptAt = null;
        r.error = error;
        notices.add(Escalation.note(
                TimelineType.Notified,
                EventReason.NotificationFailed,
                true,
                "could not notify " + r.target + " (" + r.action + "): " + error));
    }

    private static String attemptsText(int attempts) {
        return attempts <= 1 ? "" : " after " + attempts + " attempts";
    }

    // --- attempts ------------------------------------------------------------------------------------------------

    /**
     * Starts the due attempts of notifications that are Pending in the persisted status, one destination at a time
     * in order (a resolve never overtakes its trigger). Returns when the earliest waiting retry is due.
     */
    private Optional<Instant> dispatch(
            Incident incident,
            IncidentStatus decided,
            EscalationStatus next,
            Optional<EscalationPolicy> policy,
            Instant now) {
        IncidentStatus observed = incident.getStatus();
        Set<Integer> persisted = new HashSet<>();
        if (observed != null && observed.escalation != null) {
            observed.escalation.notifications.stream()
                    .filter(r -> r.result == NotificationResult.Pending)
                    .forEach(r -> persisted.add(r.id));
        }
        String uid = incident.getMetadata().getUid();
        Set<String> busy = new HashSet<>();
        Optional<Instant> earliest = Optional.empty();
        for (NotificationRecord r : next.notifications) {
            if (r.result != NotificationResult.Pending) {
                continue;
            }
            if (!busy.add(Escalation.destination(r)) || !persisted.contains(r.id)) {
                continue;
            }
            if (r.nextAttemptAt != null && r.nextAttemptAt.isAfter(now)) {
                earliest = earliest(earliest, Optional.of(r.nextAttemptAt));
                continue;
            }
            Dispatcher.Key key = new Dispatcher.Key(uid, r.id);
            if (dispatcher.inFlight(key)) {
                continue;
            }
            Optional<EscalationTarget> target = policy.flatMap(p -> target(p.getSpec(), r));
            if (target.isEmpty()) {
                r.result = NotificationResult.Failed;
                r.error = "the policy no longer has " + r.targetRef + " as a " + r.channel + " target";
                continue;
            }
            String secretNamespace = policy.get().getMetadata().getNamespace();
            Message message = Message.of(withStatus(incident, decided), r);
            Notifier.Delivery delivery = new Notifier.Delivery(
                    uid,
                    r.id,
                    (r.attempts == null ? 0 : r.attempts) + 1,
                    Escalation.recipientEmail(r.recipient).orElse(null),
                    externalId(next, r));
            Channel channel = r.channel;
            // One lane per target as the policy defines it: the same Slack webhook in two policies is two lanes.
            String destination = QualifiedName.of(policy.get()) + "|" + Escalation.destination(r);
            dispatcher.submit(new Dispatcher.Request(
                    key,
                    delivery.attempt(),
                    ResourceID.fromResource(incident),
                    destination,
                    channel,
                    message,
                    notifiers.sender(
                            channel,
                            target.get(),
                            delivery,
                            new Credentials(name -> secrets.data(secretNamespace, name)))));
        }
        return earliest;
    }

    private static Incident withStatus(Incident incident, IncidentStatus status) {
        Incident copy = new Incident();
        copy.setMetadata(incident.getMetadata());
        copy.setSpec(incident.getSpec());
        copy.setStatus(status);
        return copy;
    }

    /** The channel's own record id from this destination's latest delivered trigger (ServiceNow's sys_id). */
    private static String externalId(EscalationStatus status, NotificationRecord r) {
        String found = null;
        for (NotificationRecord other : status.notifications) {
            if (other.id >= r.id) {
                break;
            }
            if (other.action == Action.Trigger
                    && other.externalId != null
                    && Escalation.destination(other).equals(Escalation.destination(r))) {
                found = other.externalId;
            }
        }
        return found;
    }

    /** The policy target a notification record was sent to, if the policy still has it (same channel). */
    public static Optional<EscalationTarget> target(EscalationPolicySpec spec, NotificationRecord r) {
        if (spec == null || r.targetRef == null) {
            return Optional.empty();
        }
        int level = r.targetRef.level();
        int index = r.targetRef.target();
        if (level >= spec.levels.size()
                || index >= spec.levels.get(level).targets.size()) {
            return Optional.empty();
        }
        EscalationTarget t = spec.levels.get(level).targets.get(index);
        Channel channel = r.channel;
        boolean same = switch (channel) {
            case Slack -> t.slack != null;
            case Teams -> t.teams != null;
            case PagerDuty -> t.pagerDuty != null;
            case Opsgenie -> t.opsgenie != null;
            case ServiceNow -> t.serviceNow != null;
            case Webhook -> t.webhook != null;
            case Email -> t.email != null || t.person != null || t.onCallSchedule != null;
        };
        return same ? Optional.of(t) : Optional.empty();
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
    }

    private static Optional<Duration> shortest(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Optional.of(a.get().compareTo(b.get()) < 0 ? a.get() : b.get());
    }
}
