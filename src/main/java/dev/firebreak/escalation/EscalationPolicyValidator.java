package dev.firebreak.escalation;

import dev.firebreak.api.v1alpha1.EscalationPolicySpec;
import dev.firebreak.api.v1alpha1.SecretKeyRef;
import dev.firebreak.api.v1alpha1.spec.EscalationLevel;
import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.time.Durations;
import dev.firebreak.validation.Problem;
import dev.firebreak.validation.Problems;
import dev.firebreak.validation.Reason;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the schema cannot check about an EscalationPolicy: its references, and values that need parsing. */
public final class EscalationPolicyValidator {
    private EscalationPolicyValidator() {}

    /**
     * @param scheduleExists whether an OnCallSchedule of that name exists in the policy's namespace
     * @param secretKeys the keys of a Secret in the policy's namespace, or empty when it does not exist
     */
    public static List<Problem> validate(
            EscalationPolicySpec spec,
            Predicate<String> scheduleExists,
            Function<String, Optional<Set<String>>> secretKeys) {
        Problems problems = new Problems();
        if (spec == null || spec.levels == null || spec.levels.isEmpty()) {
            return problems.add(Reason.MissingField, "spec.levels", "at least one level is required")
                    .list();
        }
        duration(spec.repeatDelay, "spec.repeatDelay", problems);
        for (int l = 0; l < spec.levels.size(); l++) {
            EscalationLevel level = spec.levels.get(l);
            String at = "spec.levels[" + l + "]";
            duration(level.delay, at + ".delay", problems);
            if (level.targets == null || level.targets.isEmpty()) {
                problems.add(Reason.MissingField, at + ".targets", "at least one target is required");
                continue;
            }
            for (int t = 0; t < level.targets.size(); t++) {
                target(level.targets.get(t), at + ".targets[" + t + "]", scheduleExists, secretKeys, problems);
            }
        }
        return problems.list();
    }

    private static void target(
            EscalationTarget target,
            String at,
            Predicate<String> scheduleExists,
            Function<String, Optional<Set<String>>> secretKeys,
            Problems problems) {
        if (target.onCallSchedule != null && !scheduleExists.test(target.onCallSchedule.name)) {
            problems.add(
                    Reason.OnCallScheduleNotFound,
                    at + ".onCallSchedule.name",
                    "OnCallSchedule " + target.onCallSchedule.name + " not found");
        }
        if (target.slack != null) {
            secretKey(target.slack.webhookURLSecretRef, at + ".slack.webhookURLSecretRef", secretKeys, problems);
            if (target.slack.signingSecretRef != null) {
                secretKey(target.slack.signingSecretRef, at + ".slack.signingSecretRef", secretKeys, problems);
            }
        }
        if (target.teams != null) {
            secretKey(target.teams.webhookURLSecretRef, at + ".teams.webhookURLSecretRef", secretKeys, problems);
        }
        if (target.pagerDuty != null) {
            secretKey(
                    target.pagerDuty.routingKeySecretRef, at + ".pagerDuty.routingKeySecretRef", secretKeys, problems);
            url(target.pagerDuty.url, at + ".pagerDuty.url", problems);
            if (target.pagerDuty.webhookSecretRef != null) {
                secretKey(target.pagerDuty.webhookSecretRef, at + ".pagerDuty.webhookSecretRef", secretKeys, problems);
            }
        }
        if (target.opsgenie != null) {
            secretKey(target.opsgenie.apiKeySecretRef, at + ".opsgenie.apiKeySecretRef", secretKeys, problems);
            url(target.opsgenie.url, at + ".opsgenie.url", problems);
            if (target.opsgenie.webhookSecretRef != null) {
                secretKey(target.opsgenie.webhookSecretRef, at + ".opsgenie.webhookSecretRef", secretKeys, problems);
            }
        }
        if (target.serviceNow != null) {
            url(target.serviceNow.instanceURL, at + ".serviceNow.instanceURL", problems);
            String name = target.serviceNow.credentialsSecretName;
            Optional<Set<String>> keys = name == null ? Optional.empty() : secretKeys.apply(name);
            if (keys.isEmpty()) {
                problems.add(
                        Reason.SecretNotFound,
                        at + ".serviceNow.credentialsSecretName",
                        "Secret " + name + " not found");
            } else {
                Stream.of("username", "password")
                        .filter(k -> !keys.get().contains(k))
                        .forEach(k -> problems.add(
                                Reason.SecretKeyMissing,
                                at + ".serviceNow.credentialsSecretName",
                                "Secret " + name + " has no key '" + k + "'"));
            }
        }
        if (target.email != null) {
            for (int i = 0; i < target.email.to.size(); i++) {
                problems.email(target.email.to.get(i), at + ".email.to[" + i + "]");
            }
        }
        if (target.person != null) {
            if (target.person.email == null) {
                problems.add(
                        Reason.MissingField,
                        at + ".person.email",
                        "person " + target.person.name + " has no email address to be paged at");
            } else {
                problems.email(target.person.email, at + ".person.email");
            }
        }
        if (target.webhook != null) {
            url(target.webhook.url, at + ".webhook.url", problems);
            if (target.webhook.signingSecretRef != null) {
                secretKey(target.webhook.signingSecretRef, at + ".webhook.signingSecretRef", secretKeys, problems);
            }
        }
    }

    private static void secretKey(
            SecretKeyRef ref, String at, Function<String, Optional<Set<String>>> secretKeys, Problems problems) {
        if (ref == null || ref.name == null || ref.key == null) {
            problems.add(Reason.MissingField, at, "a Secret name and key are required");
            return;
        }
        Optional<Set<String>> keys = secretKeys.apply(ref.name);
        if (keys.isEmpty()) {
            problems.add(Reason.SecretNotFound, at, "Secret " + ref.name + " not found");
        } else if (!keys.get().contains(ref.key)) {
            problems.add(Reason.SecretKeyMissing, at, "Secret " + ref.name + " has no key '" + ref.key + "'");
        }
    }

    private static void duration(String value, String at, Problems problems) {
        if (value != null) {
            try {
                Durations.parse(value);
            } catch (IllegalArgumentException e) {
                problems.add(Reason.InvalidDuration, at, e.getMessage());
            }
        }
    }

    private static void url(String value, String at, Problems problems) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                problems.add(Reason.InvalidURL, at, "'" + value + "' is not an http(s) URL with a host");
            }
        } catch (Exception e) {
            problems.add(Reason.InvalidURL, at, "'" + value + "' is not a URL");
        }
    }

    /** Names of the OnCallSchedules a policy refers to. */
    public static Set<String> scheduleNames(EscalationPolicySpec spec) {
        if (spec == null || spec.levels == null) {
            return Set.of();
        }
        return spec.levels.stream()
                .filter(l -> l.targets != null)
                .flatMap(l -> l.targets.stream())
                .filter(t -> t.onCallSchedule != null && t.onCallSchedule.name != null)
                .map(t -> t.onCallSchedule.name)
                .collect(Collectors.toSet());
    }

    /** Whether a policy refers to any Secret (which Firebreak does not watch, so it re-checks them on a timer). */
    public static boolean refersToSecrets(EscalationPolicySpec spec) {
        return spec != null
                && spec.levels != null
                && spec.levels.stream()
                        .filter(l -> l.targets != null)
                        .flatMap(l -> l.targets.stream())
                        .anyMatch(t -> t.slack != null
                                || t.teams != null
                                || t.pagerDuty != null
                                || t.opsgenie != null
                                || t.serviceNow != null
                                || (t.webhook != null && t.webhook.signingSecretRef != null));
    }
}
