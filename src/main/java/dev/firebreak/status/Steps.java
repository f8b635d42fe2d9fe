package dev.firebreak.status;

import dev.firebreak.api.v1alpha1.Condition;
import dev.firebreak.api.v1alpha1.ConditionStatus;
import dev.firebreak.events.EventReason;
import dev.firebreak.events.Notice;
import dev.firebreak.text.Text;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The steps of one reconcile, each run guarded: a step that throws is recorded (its error, for the {@value #DEGRADED}
 * condition and one Warning Event) and replaced by its fallback, so that the steps after it still run and the status
 * is still written; the reconcile is then rescheduled with a backoff per object and step (2 s, then as long as it has been
 * failing: the waits double, at most 5 minutes), which a success resets. One instance per reconcile; the backoff state is
 * the shared {@link Backoffs}.
 */
public final class Steps {
    /** The condition that says whether every step of the last reconcile succeeded. */
    public static final String DEGRADED = "Degraded";

    private static final Logger LOG = Logger.getLogger(Steps.class);

    /**
     * Since when each object's step has been failing, shared by the reconciles of one controller. The wait before the
     * next try is the time it has been failing (at least 2 s, at most 5 minutes): the waits double, however many
     * reconciles other events caused in between.
     */
    public static final class Backoffs {
        private static final Duration FIRST = Duration.ofSeconds(2);
        private static final Duration MAX = Duration.ofMinutes(5);
        private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();

        Duration failed(String key, Instant now) {
            Duration failing = Duration.between(failingSince.computeIfAbsent(key, k -> now), now);
            return failing.compareTo(FIRST) < 0 ? FIRST : failing.compareTo(MAX) > 0 ? MAX : failing;
        }

        void succeeded(String key) {
            failingSince.remove(key);
        }
    }

    private final String object;
    private final Backoffs backoffs;
    private final Instant now;
    private final Map<String, String> failed = new LinkedHashMap<>();
    /** Per failed step, what failed without the details that vary: the Event's message, so that repeats bump it. */
    private final Map<String, String> kinds = new LinkedHashMap<>();

    private Optional<Duration> retry = Optional.empty();

    public Steps(String objectUid, Backoffs backoffs, Instant now) {
        this.object = objectUid;
        this.backoffs = backoffs;
        this.now = now;
    }

    /** Runs a step; when it throws, records why and returns {@code fallback}. */
    public <T> T run(String step, Supplier<T> body, Supplier<T> fallback) {
        try {
            T result = body.get();
            backoffs.succeeded(object + "/" + step);
            return result;
        } catch (RuntimeException e) {
            LOG.warnf(e, "step %s of %s failed", step, object);
            failed.put(step, Text.cut(e.getClass().getSimpleName() + ": " + e.getMessage(), 512));
            kinds.put(
                    step,
                    e.getClass().getSimpleName()
                            + (e instanceof KubernetesClientException k && k.getCode() > 0
                                    ? " (HTTP " + k.getCode() + ")"
                                    : ""));
            Duration wait = backoffs.failed(object + "/" + step, now);
            retry = retry.filter(r -> r.compareTo(wait) <= 0).or(() -> Optional.of(wait));
            return fallback.get();
        }
    }

    /** Runs a step that returns nothing. */
    public void run(String step, Runnable body) {
        run(
                step,
                () -> {
                    body.run();
                    return Boolean.TRUE;
                },
                () -> Boolean.FALSE);
    }

    /** The steps that failed, with their errors, in order. */
    public Map<String, String> failed() {
        return failed;
    }

    /** When to try the failed steps again. */
    public Optional<Duration> retry() {
        return retry;
    }

    /** Sets the {@value #DEGRADED} condition: True with the first failed step as reason, else False. */
    public void condition(List<Condition> conditions, Instant now, Long generation) {
        Condition c = failed.isEmpty()
                ? new Condition(DEGRADED, ConditionStatus.False, "StepsSucceeded", "every step succeeded")
                : new Condition(
                        DEGRADED,
                        ConditionStatus.True,
                        failed.keySet().iterator().next() + "Failed",
                        String.join(
                                        "; ",
                                        failed.entrySet().stream()
                                                .map(e -> e.getKey() + ": " + e.getValue())
                                                .toList())
                                + "; retried with backoff");
        Conditions.set(conditions, c, now, generation);
    }

    /** One Warning Event per failed step (the same Event again bumps its count). */
    public List<Notice> notices() {
        List<Notice> notices = new ArrayList<>();
        kinds.forEach((step, kind) -> notices.add(Notice.warning(
                EventReason.StepFailed,
                "step " + step
                        + " failed (" + kind + "); the other steps ran, this one is retried with backoff; the "
                        + DEGRADED
                        + " condition has the error")));
        return notices;
    }
}
