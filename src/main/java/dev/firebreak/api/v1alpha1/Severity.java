package dev.firebreak.api.v1alpha1;

/** How bad an incident is, worst first. The order of the constants is the order of severity. */
public enum Severity {
    Critical,
    High,
    Medium,
    Low;

    /** True when this severity is at least as bad as {@code threshold}. */
    public boolean atLeast(Severity threshold) {
        return compareTo(threshold) <= 0;
    }
}
