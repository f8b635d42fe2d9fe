package dev.firebreak.api.v1alpha1;

/** Names shared by the four kinds. */
public final class ApiGroup {
    public static final String GROUP = "firebreak.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    /** Go-style durations as Kubernetes writes them: {@code 30s}, {@code 5m}, {@code 1h30m}. */
    public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
    /** Wall-clock time of day, 24-hour, {@code HH:mm}. */
    public static final String TIME_OF_DAY_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
    /** A calendar date, {@code YYYY-MM-DD}. */
    public static final String DATE_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
    /** An email address: something@domain.tld. The operator applies the same rule where the schema cannot. */
    public static final String EMAIL_PATTERN = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";
    /** A DNS-1123 subdomain, the form of most Kubernetes object names. */
    public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    private ApiGroup() {}
}
