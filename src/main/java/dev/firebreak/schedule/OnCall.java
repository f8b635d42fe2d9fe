package dev.firebreak.schedule;

import dev.firebreak.api.v1alpha1.OnCallScheduleSpec;
import dev.firebreak.api.v1alpha1.Person;
import dev.firebreak.api.v1alpha1.spec.Restriction;
import dev.firebreak.api.v1alpha1.spec.RotationType;
import dev.firebreak.api.v1alpha1.spec.ScheduleLayer;
import dev.firebreak.api.v1alpha1.spec.ScheduleOverride;
import dev.firebreak.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who an OnCallSchedule has on call at an instant, and when that next changes. Pure time math in the schedule's
 * zone:
 * <ul>
 * <li>A Daily or Weekly rotation hands off at {@code handoffTime} local time, every 1 or 7 calendar days counted from
 * the local date of {@code start}; the first handoff is the first of those instants strictly after {@code start}
 * (so a start exactly at a handoff time gives the first participant a full shift). Calendar days keep the handoff at
 * the same wall-clock time across daylight-saving changes (a shift is then 23 or 25 hours long).</li>
 * <li>A Custom rotation hands off first like a Daily one, then every {@code length}: in calendar days when the length
 * is whole days, otherwise in elapsed time.</li>
 * <li>A handoff time that does not exist on a day (the spring-forward gap) happens at the first instant after the gap;
 * one that exists twice (fall back) happens at the first of the two.</li>
 * <li>A restricted layer has nobody on call outside its windows; a higher layer (later in the list) wins wherever it
 * has someone; an override wins over every layer.</li>
 * </ul>
 */
public final class OnCall {
    /** How far ahead the next change is looked for; a schedule that never changes has no next handoff. */
    static final Duration HORIZON = Duration.ofDays(400);

    private static final int MAX_STEPS = 20_000;

    /** Who is on call at an instant: the person (empty when nobody), each layer's, and when that next changes. */
    public record Now(Optional<Person> person, List<LayerNow> layers, Optional<Instant> nextHandoff) {
        public Optional<String> name() {
            return person.map(p -> p.name);
        }
    }

    /** Who one layer has on call; empty outside its restrictions. */
    public record LayerNow(String layer, Optional<Person> person) {}

    private OnCall() {}

    /** The schedule at {@code at}. The spec must be valid (see OnCallScheduleValidator). */
    public static Now at(OnCallScheduleSpec spec, Instant at) {
        ZoneId zone = ZoneId.of(spec.timeZone);
        List<LayerNow> layers = spec.layers.stream()
                .map(l -> new LayerNow(l.name, layer(l, zone, at)))
                .toList();
        Optional<Person> person = resolve(spec, zone, at);
        return new Now(person, layers, nextChange(spec, zone, at, person.map(p -> p.name)));
    }

    /** Just the person on call at an instant. */
    public static Optional<Person> person(OnCallScheduleSpec spec, Instant at) {
        return resolve(spec, ZoneId.of(spec.timeZone), at);
    }

    private static Optional<Person> resolve(OnCallScheduleSpec spec, ZoneId zone, Instant at) {
        for (ScheduleOverride o : spec.overrides) {
            if (!at.isBefore(o.from) && at.isBefore(o.to)) {
                return Optional.of(o.who);
            }
        }
        for (int i = spec.layers.size() - 1; i >= 0; i--) {
            Optional<Person> p = layer(spec.layers.get(i), zone, at);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    /** Who a layer has on call at an instant, if it is active then and has participants. */
    static Optional<Person> layer(ScheduleLayer layer, ZoneId zone, Instant at) {
        if (layer.participants.isEmpty() || at.isBefore(layer.start) || !active(layer.restrictions, zone, at)) {
            return Optional.empty();
        }
        long handoffs = new Rotation(layer, zone).handoffsUpTo(at);
        return Optional.of(layer.participants.get((int) (handoffs % layer.participants.size())));
    }

    // --- when the person changes --------------------------------------------------------------------------------

    /**
     * Walks the instants at which anything could change (handoffs, restriction edges, override edges, layer starts) in
     * order and returns the first at which the person on call differs from now.
     */
    private static Optional<Instant> nextChange(
            OnCallScheduleSpec spec, ZoneId zone, Instant at, Optional<String> now) {
        Instant horizon = at.plus(HORIZON);
        Instant cursor = at;
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<Instant> next = nextBoundary(spec, zone, cursor);
            if (next.isEmpty() || next.get().isAfter(horizon)) {
                return Optional.empty();
            }
            cursor = next.get();
            if (!Objects.equals(resolve(spec, zone, cursor).map(p -> p.name), now)) {
                return Optional.of(cursor);
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> nextBoundary(OnCallScheduleSpec spec, ZoneId zone, Instant after) {
        List<Instant> candidates = new ArrayList<>();
        for (ScheduleOverride o : spec.overrides) {
            if (o.from.isAfter(after)) {
                candidates.add(o.from);
            }
            if (o.to.isAfter(after)) {
                candidates.add(o.to);
            }
        }
        for (ScheduleLayer layer : spec.layers) {
            if (layer.start.isAfter(after)) {
                candidates.add(layer.start);
            } else {
                candidates.add(new Rotation(layer, zone).nextHandoffAfter(after));
            }
            for (Restriction r : layer.restrictions) {
                candidates.add(nextLocalTime(LocalTime.parse(r.from), zone, after));
                candidates.add(nextLocalTime(LocalTime.parse(r.to), zone, after));
            }
        }
        return candidates.stream().min(Instant::compareTo);
    }

    /** The first instant strictly after {@code after} at which the local clock shows {@code time}. */
    private static Instant nextLocalTime(LocalTime time, ZoneId zone, Instant after) {
        LocalDate day = after.atZone(zone).toLocalDate();
        for (int i = 0; i < 3; i++) {
            Instant candidate = ZonedDateTime.of(day.plusDays(i), time, zone).toInstant();
            if (candidate.isAfter(after)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + time + " within three days after " + after);
    }

    // --- restrictions --------------------------------------------------------------------------------------------

    /** Whether any restriction window covers the instant; no restrictions means always. */
    static boolean active(List<Restriction> restrictions, ZoneId zone, Instant at) {
        if (restrictions.isEmpty()) {
            return true;
        }
        ZonedDateTime local = at.atZone(zone);
        LocalTime time = local.toLocalTime();
        LocalDate date = local.toLocalDate();
        for (Restriction r : restrictions) {
            LocalTime from = LocalTime.parse(r.from);
            LocalTime to = LocalTime.parse(r.to);
            if (from.isBefore(to)) {
                if (onDay(r, date) && !time.isBefore(from) && time.isBefore(to)) {
                    return true;
                }
            } else if ((onDay(r, date) && !time.isBefore(from)) || (onDay(r, date.minusDays(1)) && time.isBefore(to))) {
                // A window spanning midnight belongs to the day it starts on.
                return true;
            }
        }
        return false;
    }

    private static boolean onDay(Restriction r, LocalDate date) {
        return r.days.isEmpty() || r.days.stream().anyMatch(d -> d.toDayOfWeek() == date.getDayOfWeek());
    }

    // --- rotations -----------------------------------------------------------------------------------------------

    /** The handoff instants of one layer. */
    private static final class Rotation {
        private final ZoneId zone;
        private final Instant start;
        private final LocalDate startDate;
        private final LocalTime handoff;
        /** Calendar days between handoffs, or 0 when the period is an elapsed duration. */
        private final long days;

        private final Duration elapsed;
        private final boolean custom;

        Rotation(ScheduleLayer layer, ZoneId zone) {
            this.zone = zone;
            this.start = layer.start;
            this.startDate = layer.start.atZone(zone).toLocalDate();
            this.handoff = LocalTime.parse(layer.handoffTime == null ? "09:00" : layer.handoffTime);
            RotationType type = layer.rotation == null ? RotationType.Weekly : layer.rotation.type;
            this.custom = type == RotationType.Custom;
            switch (type) {
                case Daily -> {
                    days = 1;
                    elapsed = null;
                }
                case Weekly -> {
                    days = 7;
                    elapsed = null;
                }
                default -> {
                    Duration length = Durations.parse(layer.rotation.length);
                    boolean wholeDays = length.toSeconds() % 86_400 == 0;
                    days = wholeDays ? length.toDays() : 0;
                    elapsed = wholeDays ? null : length;
                }
            }
        }

        /** The local handoff on a date, resolved in the zone (gaps move forward, overlaps take the earlier). */
        private Instant on(LocalDate date) {
            return ZonedDateTime.of(date, handoff, zone).toInstant();
        }

        /**
         * The first handoff. Daily and Weekly: the first handoff time strictly after start, on the start date or a
         * period later (so weekly handoffs keep the start's weekday). Custom: shifts are anchored at the first handoff
         * time at or after start, and the first handoff is the first anchored boundary strictly after start.
         */
        private Instant first() {
            if (!custom) {
                Instant sameDay = on(startDate);
                return sameDay.isAfter(start) ? sameDay : on(startDate.plusDays(days));
            }
            Instant anchor = on(startDate).isBefore(start) ? on(startDate.plusDays(1)) : on(startDate);
            if (anchor.isAfter(start)) {
                return anchor;
            }
            return days == 0
                    ? anchor.plus(elapsed)
                    : on(anchor.atZone(zone).toLocalDate().plusDays(days));
        }

        /** How many handoffs happened in (start, at]. */
        long handoffsUpTo(Instant at) {
            Instant first = first();
            if (at.isBefore(first)) {
                return 0;
            }
            if (days == 0) {
                return Duration.between(first, at).toMillis() / elapsed.toMillis() + 1;
            }
            LocalDate firstDate = first.atZone(zone).toLocalDate();
            long periods = Math.floorDiv(
                    ChronoUnit.DAYS.between(firstDate, at.atZone(zone).toLocalDate()), days);
            // The date arithmetic may land one period late when 'at' is on a handoff day but before its handoff.
            if (on(firstDate.plusDays(periods * days)).isAfter(at)) {
                periods--;
            }
            return periods + 1;
        }

        /** The first handoff strictly after {@code after}. */
        Instant nextHandoffAfter(Instant after) {
            Instant first = first();
            if (first.isAfter(after)) {
                return first;
            }
            long done = handoffsUpTo(after);
            if (days == 0) {
                return first.plus(elapsed.multipliedBy(done));
            }
            return on(first.atZone(zone).toLocalDate().plusDays(done * days));
        }
    }
}
