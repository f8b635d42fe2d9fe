package dev.firebreak.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Firebreak's own settings (prefix {@code firebreak.}, or environment variables such as
 * {@code FIREBREAK_WEBHOOK_AUTH_MODE}). Invalid values stop the operator at start with a message naming the key.
 */
@ConfigMapping(prefix = "firebreak")
public interface FirebreakConfig {
    /** The operator's own namespace (the pod's, from the downward API): the webhook auth Secret lives there. */
    @WithDefault("firebreak-system")
    String namespace();

    Webhook webhook();

    Inbound inbound();

    Intake intake();

    Rollouts rollouts();

    Rollback rollback();

    LeaderElection leaderElection();

    /**
     * Where the process stops dead, as a SIGKILL would (see {@link CrashPoints}): for the end-to-end tests of crash
     * safety only. Unset in every real deployment.
     */
    Optional<String> crashAt();

    Incidents incidents();

    Classification classification();

    Escalation escalation();

    @io.smallrye.config.WithName("notify")
    Notify notifications();

    Events events();

    interface Events {
        /**
         * Events Firebreak writes per second at most, across all objects (bursts of five seconds' worth): beyond it
         * an Event is dropped and counted (firebreak_events_dropped_total), so that a storm of incidents pages first
         * and never floods the API server with Events; the timelines keep the whole record.
         */
        @WithDefault("20")
        int perSecond();

        /**
         * Events written at the same time, off the reconcilers' threads (a hundred more may wait, half a minute at a
         * slow API server; beyond them an Event is dropped and counted): Events take what the API server has left,
         * they never hold up a status write or a page.
         */
        @WithDefault("2")
        int inFlight();
    }

    interface Escalation {
        /**
         * The policy for incidents that name none and match none in their namespace: {@code namespace/name}, or a name
         * in the operator's namespace. Unset: such incidents page nobody (and say so on their timeline).
         */
        Optional<String> defaultPolicy();

        /** An incident bound to no policy looks again this often (a matching policy may have been created). */
        @WithDefault("1m")
        Duration unboundRecheck();
    }

    /** Delivery of notifications: one attempt at a time per notification, retried by rescheduling. */
    interface Notify {
        /** Connect and answer timeout of one HTTP attempt. */
        @WithDefault("10s")
        Duration timeout();

        /** Attempts per notification before it is recorded as Failed. */
        @WithDefault("8")
        int maxAttempts();

        /** Wait after the first failed attempt; doubled per attempt, with jitter. */
        @WithDefault("2s")
        Duration backoffBase();

        /** Longest wait between attempts, Retry-After included. */
        @WithDefault("2m")
        Duration backoffMax();

        /** Deliveries in flight at once, across all incidents. */
        @WithDefault("8")
        int concurrency();

        /** Sender address of notification emails (the SMTP server is configured with quarkus.mailer.*). */
        @WithDefault("firebreak@localhost")
        String emailFrom();
    }

    interface Intake {
        /** Namespace of incidents whose alerts name no namespace Firebreak watches; unset: the operator's. */
        Optional<String> defaultNamespace();

        /** A group firing again within this long after its incident resolved reopens it; later, a new one opens. */
        @WithDefault("1h")
        Duration reopenWindow();

        /**
         * What the intake may have stored for one incident per minute, each alerts write charged its alerts' bytes plus
         * 192 KiB for the rest of the object (which etcd stores again with them). Beyond it the webhook answers 503
         * with the time to wait (Alertmanager retries): a group that changes faster than this cannot fill etcd.
         */
        @WithDefault("4M")
        MemorySize maxBytesPerMinute();

        /**
         * Bytes one incident's status.alerts may take as the API server stores them, half of it for alerts in full
         * (labels and annotations), the rest compact; alertsSummary counts what has no room. With the rest of the
         * object this keeps an Incident far below 512 KiB.
         */
        @WithDefault("256K")
        MemorySize alertBudget();
    }

    /**
     * Failing-rollout detection. Opt-in per namespace: listed here, or labelled
     * {@code firebreak.dev/detect-rollouts: "true"}. Pods are never watched: Firebreak lists the pods of a workload's
     * newest revision only while its rollout is unfinished.
     */
    interface Rollouts {
        /** Namespaces to watch for failing rollouts besides labelled ones; {@code *} means every watched namespace. */
        Optional<List<String>> namespaces();

        /** A pod of the newest revision waiting in a failing state counts once it restarted this often... */
        @WithDefault("3")
        int restarts();

        /** ...or once it has existed this long (image pull errors never restart). */
        @WithDefault("2m")
        Duration failingFor();

        /** How often an unfinished rollout is looked at again: pod restarts do not change the workload. */
        @WithDefault("30s")
        Duration recheck();
    }

    interface Incidents {
        /** Resolve an incident by itself when its evidence is over: every alert resolved, or the workload healthy. */
        @WithDefault("true")
        boolean autoResolve();

        /**
         * How often at most the timeline narrates a stream of alert changes: within it an incident's alert-only
         * reconciles write nothing (the intake has stored the alerts), and the next write narrates them all. Any other
         * decision is written at once. 0 narrates every change as it comes.
         */
        @WithDefault("10s")
        Duration alertNarrationInterval();
    }

    interface Classification {
        /**
         * Rows of the severity matrix replacing the default, by impact, each four severities for Immediate, High,
         * Medium and Low urgency, e.g. {@code firebreak.classification.matrix.Minimal=Low,Low,Low,Low}.
         */
        Map<String, String> matrix();

        /**
         * Whether an alert's {@code severity} label sets the least severity of its incident (the matrix may raise it,
         * never lower it).
         */
        @WithDefault("true")
        boolean severityLabelFloor();

        /**
         * Label values and the least severity each gives, replacing the default table (critical, page, p1: Critical;
         * error, high, major, p2: High; warning, warn, medium, minor, p3: Medium; info, low, none, p4, p5: Low), for
         * example {@code firebreak.classification.severity-labels.sev1=Critical}.
         */
        Map<String, String> severityLabels();
    }

    /** Acknowledgements and resolutions from PagerDuty, Opsgenie and Slack (docs/escalation.md). */
    interface Inbound {
        /**
         * Whether the inbound endpoints act. Off by default: acting needs 'patch' on incidents, which the chart grants
         * only with inbound.enabled. Off, they answer 404.
         */
        @WithDefault("false")
        boolean enabled();

        /**
         * How long an inbound action may take to be applied before the answer is 503 (the tool retries, and the retry
         * changes nothing when the first attempt finished). Below PagerDuty's 5 s and Slack's 3 s.
         */
        @WithDefault("2500ms")
        Duration applyTimeout();

        /**
         * Slack's response_url is followed (to update the clicked message in place) only when it starts with this.
         * Slack's is always on hooks.slack.com; tests point it at a local stand-in.
         */
        @WithDefault("https://hooks.slack.com/")
        String slackResponseUrlPrefix();
    }

    interface Webhook {
        Auth auth();

        /**
         * Larger notifications are refused with 413, which Alertmanager does not retry. The body is parsed as it
         * arrives, with memory bounded whatever its size, so this only bounds the time spent reading.
         */
        @WithDefault("64M")
        MemorySize maxBodySize();

        /** The whole body must arrive within this long (a slow sender holds a permit); else 503. */
        @WithDefault("60s")
        Duration bodyTimeout();

        /**
         * How long a notification may take to persist before the webhook answers 503 (Alertmanager retries; the
         * work may still finish, and a retry of it changes nothing). Bounds the client's own retries in an outage.
         */
        @WithDefault("5s")
        Duration persistTimeout();

        /** Notifications persisted at once; beyond this the webhook answers 503 with Retry-After. */
        @WithDefault("32")
        int maxConcurrent();

        interface Auth {
            /** How Alertmanager authenticates to the webhook. {@code none} must be chosen explicitly. */
            @WithDefault("bearer")
            AuthMode mode();

            /** Secret in the operator's namespace with key {@code token} and/or {@code username}/{@code password}. */
            @WithDefault("firebreak-webhook-auth")
            String secret();
        }
    }

    interface Rollback {
        /** Global switch: false forbids every automatic rollback, whatever workloads and incidents say. */
        @WithDefault("true")
        boolean enabled();

        /** Go through every rollback decision and record it, but patch nothing. */
        @WithDefault("false")
        boolean dryRun();

        /** The current revision must have rolled out at most this long before the incident was detected. */
        @WithDefault("30m")
        Duration causeWindow();

        /** A workload is rolled back automatically at most once in this long. */
        @WithDefault("30m")
        Duration cooldown();

        /** More than this many automatic rollbacks in the cluster within breaker-window stop automatic rollbacks. */
        @WithDefault("3")
        int breakerMax();

        @WithDefault("10m")
        Duration breakerWindow();

        /** How long a rolled-back workload may take to become available before the rollback counts as failed. */
        @WithDefault("5m")
        Duration timeout();
    }

    interface LeaderElection {
        @WithDefault("firebreak-leader")
        String leaseName();

        /** Namespace of the Lease; unset means the namespace of the client's context (the pod's own, in a cluster). */
        Optional<String> leaseNamespace();

        /** This replica's name in the Lease; unset means the pod name (HOSTNAME), so 'kubectl get lease' names the pod. */
        Optional<String> identity();

        /**
         * How often a standby tries to take the Lease: how soon it takes over after the leader released it at
         * shutdown (a leader that died is replaced once the Lease expires, 15 s).
         */
        @WithDefault("1s")
        Duration retryPeriod();
    }

    enum AuthMode {
        BEARER,
        BASIC,
        BEARER_OR_BASIC,
        NONE
    }
}
