package dev.firebreak.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.OnCallScheduleSpec;
import dev.firebreak.api.v1alpha1.Person;
import dev.firebreak.api.v1alpha1.spec.Restriction;
import dev.firebreak.api.v1alpha1.spec.Rotation;
import dev.firebreak.api.v1alpha1.spec.RotationType;
import dev.firebreak.api.v1alpha1.spec.ScheduleLayer;
import dev.firebreak.api.v1alpha1.spec.ScheduleOverride;
import dev.firebreak.api.v1alpha1.spec.Weekday;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OnCallTest {

    /** Weekly in Berlin from Monday 2026-03-02 09:00 CET; Europe moves to CEST on Sunday 2026-03-29. */
    static OnCallScheduleSpec weeklyBerlin() {
        return schedule(
                "Europe/Berlin",
                layer("primary", RotationType.Weekly, null, "09:00", "2026-03-02T08:00:00Z", "ann", "bob", "cat"));
    }

    static Stream<Arguments> table() {
        OnCallScheduleSpec weekly = weeklyBerlin();

        OnCallScheduleSpec daily = schedule(
                "America/New_York",
                layer("daily", RotationType.Daily, null, "09:00", "2026-10-30T13:00:00Z", "ann", "bob"));

        OnCallScheduleSpec gap = schedule(
                "America/New_York",
                layer("night", RotationType.Daily, null, "02:30", "2026-03-06T12:00:00Z", "ann", "bob"));

        OnCallScheduleSpec overridden = weeklyBerlin();
        overridden.overrides.add(override("dan", "2026-03-08T20:00:00Z", "2026-03-09T20:00:00Z"));

        OnCallScheduleSpec layered = weeklyBerlin();
        ScheduleLayer business =
                layer("business-hours", RotationType.Daily, null, "09:00", "2026-03-02T08:00:00Z", "eve", "fay");
        business.restrictions.add(restriction(
                "09:00",
                "17:00",
                Weekday.Monday,
                Weekday.Tuesday,
                Weekday.Wednesday,
                Weekday.Thursday,
                Weekday.Friday));
        layered.layers.add(business);

        OnCallScheduleSpec nights = schedule(
                "UTC", layer("weekend-nights", RotationType.Weekly, null, "00:00", "2026-03-02T00:00:00Z", "gus"));
        nights.layers.get(0).restrictions.add(restriction("22:00", "06:00", Weekday.Friday));

        OnCallScheduleSpec empty = weeklyBerlin();
        ScheduleLayer nobody = layer("empty", RotationType.Daily, null, "09:00", "2026-03-02T08:00:00Z");
        empty.layers.add(nobody);

        OnCallScheduleSpec custom = schedule(
                "UTC",
                layer(
                        "follow-the-sun",
                        RotationType.Custom,
                        "12h",
                        "06:00",
                        "2026-03-02T06:00:00Z",
                        "ann",
                        "bob",
                        "cat"));
        OnCallScheduleSpec threeDays = schedule(
                "Europe/Berlin",
                layer("3d", RotationType.Custom, "72h", "09:00", "2026-03-26T08:00:00Z", "ann", "bob"));

        OnCallScheduleSpec notYet =
                schedule("UTC", layer("later", RotationType.Weekly, null, "09:00", "2026-06-01T09:00:00Z", "ann"));

        return Stream.of(
                // name, schedule, at, expected person (null = nobody), expected next handoff (null = none)
                Arguments.of(
                        "weekly: start instant, first participant",
                        weekly,
                        "2026-03-02T08:00:00Z",
                        "ann",
                        "2026-03-09T08:00:00Z"),
                Arguments.of(
                        "weekly: one second before the handoff",
                        weekly,
                        "2026-03-09T07:59:59Z",
                        "ann",
                        "2026-03-09T08:00:00Z"),
                Arguments.of("weekly: at the handoff", weekly, "2026-03-09T08:00:00Z", "bob", "2026-03-16T08:00:00Z"),
                Arguments.of("weekly: wraps around", weekly, "2026-03-23T09:00:00Z", "ann", "2026-03-30T07:00:00Z"),
                Arguments.of(
                        "weekly: after spring forward the handoff is 09:00 CEST = 07:00Z",
                        weekly,
                        "2026-03-30T06:59:59Z",
                        "ann",
                        "2026-03-30T07:00:00Z"),
                Arguments.of(
                        "weekly: after spring forward, handed off",
                        weekly,
                        "2026-03-30T07:00:00Z",
                        "bob",
                        "2026-04-06T07:00:00Z"),
                Arguments.of(
                        "daily: fall back makes a 25h shift (09:00 EDT = 13:00Z, 09:00 EST = 14:00Z)",
                        daily,
                        "2026-10-31T13:00:00Z",
                        "bob",
                        "2026-11-01T14:00:00Z"),
                Arguments.of(
                        "daily: before the late handoff after fall back",
                        daily,
                        "2026-11-01T13:30:00Z",
                        "bob",
                        "2026-11-01T14:00:00Z"),
                Arguments.of(
                        "daily: handoff in the spring-forward gap (02:30) happens at 03:30 EDT = 07:30Z",
                        gap,
                        "2026-03-08T07:00:00Z",
                        "bob",
                        "2026-03-08T07:30:00Z"),
                Arguments.of(
                        "override spanning a handoff wins",
                        overridden,
                        "2026-03-09T09:00:00Z",
                        "dan",
                        "2026-03-09T20:00:00Z"),
                Arguments.of(
                        "override: before it starts, next change is its start",
                        overridden,
                        "2026-03-08T19:00:00Z",
                        "ann",
                        "2026-03-08T20:00:00Z"),
                Arguments.of(
                        "override ended: the layer's person after the handoff it spanned",
                        overridden,
                        "2026-03-09T20:00:00Z",
                        "bob",
                        "2026-03-16T08:00:00Z"),
                Arguments.of(
                        "restriction: higher layer inside business hours",
                        layered,
                        "2026-03-03T10:00:00Z",
                        "fay",
                        "2026-03-03T16:00:00Z"),
                Arguments.of(
                        "restriction: lower layer outside business hours",
                        layered,
                        "2026-03-03T17:00:00Z",
                        "ann",
                        "2026-03-04T08:00:00Z"),
                Arguments.of(
                        "restriction: weekend, lower layer all day",
                        layered,
                        "2026-03-07T10:00:00Z",
                        "ann",
                        "2026-03-09T08:00:00Z"),
                Arguments.of(
                        "restriction spanning midnight belongs to its start day",
                        nights,
                        "2026-03-07T03:00:00Z",
                        "gus",
                        "2026-03-07T06:00:00Z"),
                Arguments.of(
                        "restriction spanning midnight: not on the next evening",
                        nights,
                        "2026-03-07T23:00:00Z",
                        null,
                        "2026-03-13T22:00:00Z"),
                Arguments.of(
                        "empty layer above: the lower layer's person",
                        empty,
                        "2026-03-02T12:00:00Z",
                        "ann",
                        "2026-03-09T08:00:00Z"),
                Arguments.of(
                        "custom 12h elapsed rotation", custom, "2026-03-03T07:00:00Z", "cat", "2026-03-03T18:00:00Z"),
                Arguments.of(
                        "custom 72h = 3 calendar days keeps 09:00 local across spring forward",
                        threeDays,
                        "2026-03-29T06:59:59Z",
                        "ann",
                        "2026-03-29T07:00:00Z"),
                Arguments.of(
                        "before the layer starts: nobody, next change at its start",
                        notYet,
                        "2026-05-01T00:00:00Z",
                        null,
                        "2026-06-01T09:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void whoIsOnCall(String name, OnCallScheduleSpec spec, String at, String person, String nextHandoff) {
        OnCall.Now now = OnCall.at(spec, Instant.parse(at));
        assertThat(now.name().orElse(null)).isEqualTo(person);
        assertThat(now.nextHandoff().map(Instant::toString).orElse(null)).isEqualTo(nextHandoff);
    }

    static OnCallScheduleSpec schedule(String zone, ScheduleLayer... layers) {
        OnCallScheduleSpec spec = new OnCallScheduleSpec();
        spec.timeZone = zone;
        spec.layers.addAll(Arrays.asList(layers));
        return spec;
    }

    static ScheduleLayer layer(
            String name, RotationType type, String length, String handoff, String start, String... people) {
        ScheduleLayer layer = new ScheduleLayer();
        layer.name = name;
        layer.rotation = new Rotation();
        layer.rotation.type = type;
        layer.rotation.length = length;
        layer.handoffTime = handoff;
        layer.start = Instant.parse(start);
        for (String p : people) {
            layer.participants.add(new Person(p, p + "@example.com"));
        }
        return layer;
    }

    static ScheduleOverride override(String who, String from, String to) {
        ScheduleOverride o = new ScheduleOverride();
        o.who = new Person(who, who + "@example.com");
        o.from = Instant.parse(from);
        o.to = Instant.parse(to);
        return o;
    }

    static Restriction restriction(String from, String to, Weekday... days) {
        Restriction r = new Restriction();
        r.from = from;
        r.to = to;
        r.days = List.of(days);
        return r;
    }
}
