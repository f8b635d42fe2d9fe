package dev.firebreak.schedule;

import dev.firebreak.api.v1alpha1.OnCallScheduleSpec;
import dev.firebreak.api.v1alpha1.spec.Restriction;
import dev.firebreak.api.v1alpha1.spec.RotationType;
import dev.firebreak.api.v1alpha1.spec.ScheduleLayer;
import dev.firebreak.api.v1alpha1.spec.ScheduleOverride;
import dev.firebreak.time.Durations;
import dev.firebreak.validation.Problem;
import dev.firebreak.validation.Problems;
import dev.firebreak.validation.Reason;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/** What the schema cannot check about an OnCallSchedule: the time zone, empty rotations, overlapping overrides. */
public final class OnCallScheduleValidator {
    private OnCallScheduleValidator() {}

    public static List<Problem> validate(OnCallScheduleSpec spec) {
        Problems problems = new Problems();
        if (spec == null) {
            return problems.add(Reason.MissingField, "spec", "a spec is required")
                    .list();
        }
        try {
            if (spec.timeZone == null) {
                problems.add(Reason.InvalidTimeZone, "spec.timeZone", "an IANA time zone is required");
            } else {
                ZoneId.of(spec.timeZone);
            }
        } catch (DateTimeException e) {
            problems.add(
                    Reason.InvalidTimeZone,
                    "spec.timeZone",
                    "'" + spec.timeZone + "' is not an IANA time zone such as Europe/Berlin");
        }
        if (spec.layers == null || spec.layers.isEmpty()) {
            problems.add(Reason.MissingField, "spec.layers", "at least one layer is required");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < spec.layers.size(); i++) {
                ScheduleLayer layer = spec.layers.get(i);
                String at = "spec.layers[" + i + "]";
                if (!names.add(layer.name)) {
                    problems.add(Reason.DuplicateName, at + ".name", "layer name '" + layer.name + "' is used twice");
                }
                layer(layer, at, problems);
            }
        }
        overrides(spec.overrides, problems);
        return problems.list();
    }

    private static void layer(ScheduleLayer layer, String at, Problems problems) {
        if (layer.participants == null || layer.participants.isEmpty()) {
            problems.add(
                    Reason.EmptyRotation,
                    at + ".participants",
                    "layer '" + layer.name + "' has nobody in its rotation");
        }
        if (layer.participants != null) {
            for (int p = 0; p < layer.participants.size(); p++) {
                if (layer.participants.get(p).email != null) {
                    problems.email(layer.participants.get(p).email, at + ".participants[" + p + "].email");
                }
            }
        }
        if (layer.start == null) {
            problems.add(Reason.MissingField, at + ".start", "the rotation needs a start instant");
        }
        if (layer.rotation != null && layer.rotation.type == RotationType.Custom) {
            if (layer.rotation.length == null) {
                problems.add(Reason.InvalidDuration, at + ".rotation.length", "a Custom rotation needs a length");
            } else {
                try {
                    if (Durations.parse(layer.rotation.length).compareTo(Duration.ofMinutes(1)) < 0) {
                        problems.add(Reason.InvalidDuration, at + ".rotation.length", "a shift must last at least 1m");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(Reason.InvalidDuration, at + ".rotation.length", e.getMessage());
                }
            }
        }
        if (layer.restrictions != null) {
            for (int r = 0; r < layer.restrictions.size(); r++) {
                Restriction restriction = layer.restrictions.get(r);
                if (restriction.from != null && restriction.from.equals(restriction.to)) {
                    problems.add(
                            Reason.InvalidRestriction,
                            at + ".restrictions[" + r + "]",
                            "from and to are both " + restriction.from + ": the window is empty");
                }
            }
        }
    }

    private static void overrides(List<ScheduleOverride> overrides, Problems problems) {
        if (overrides == null) {
            return;
        }
        for (int i = 0; i < overrides.size(); i++) {
            ScheduleOverride o = overrides.get(i);
            if (o.from == null || o.to == null || !o.to.isAfter(o.from)) {
                problems.add(
                        Reason.InvalidOverride, "spec.overrides[" + i + "]", "an override must end after it starts");
            }
            if (o.who != null && o.who.email != null) {
                problems.email(o.who.email, "spec.overrides[" + i + "].who.email");
            }
        }
        List<Integer> byStart = IntStream.range(0, overrides.size())
                .filter(i -> overrides.get(i).from != null && overrides.get(i).to != null)
                .boxed()
                .sorted(Comparator.comparing(i -> overrides.get(i).from))
                .toList();
        for (int k = 1; k < byStart.size(); k++) {
            ScheduleOverride previous = overrides.get(byStart.get(k - 1));
            ScheduleOverride current = overrides.get(byStart.get(k));
            if (current.from.isBefore(previous.to)) {
                problems.add(
                        Reason.OverlappingOverrides,
                        "spec.overrides[" + byStart.get(k) + "]",
                        "overlaps spec.overrides[" + byStart.get(k - 1) + "] (" + previous.from + " to " + previous.to
                                + "): who is on call would be ambiguous");
            }
        }
    }
}
