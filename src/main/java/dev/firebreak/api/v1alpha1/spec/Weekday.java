package dev.firebreak.api.v1alpha1.spec;

import java.time.DayOfWeek;

/** A day of the week, spelled as people write it. */
public enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday;

    public DayOfWeek toDayOfWeek() {
        return DayOfWeek.of(ordinal() + 1);
    }
}
