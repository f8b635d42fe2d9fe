package dev.firebreak.incident;

/** Where the current remediation of an incident stands, as the lifecycle sees it. */
public enum Remediation {
    /** Nothing is running, or the last attempt failed. */
    None,
    /** A remediation (a rollback) is running. */
    Running,
    /** A remediation succeeded since the incident last opened. */
    Succeeded
}
