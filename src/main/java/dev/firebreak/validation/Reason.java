package dev.firebreak.validation;

/** Why a resource is not ready. Each is also the reason of its Ready=False condition. */
public enum Reason {
    EscalationPolicyNotFound,
    OnCallScheduleNotFound,
    SecretNotFound,
    SecretKeyMissing,
    InvalidDuration,
    InvalidTimeZone,
    EmptyRotation,
    InvalidRestriction,
    InvalidOverride,
    OverlappingOverrides,
    DuplicateName,
    InvalidEmail,
    InvalidURL,
    IncidentNotFound,
    InvalidDueDate,
    MissingField
}
