package dev.firebreak.classify;

import dev.firebreak.api.v1alpha1.Impact;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.Urgency;

/** How bad an incident is, and why, in words. */
public record Classification(Impact impact, Urgency urgency, Severity severity, String reason) {}
