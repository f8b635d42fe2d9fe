package dev.firebreak.incident;

import dev.firebreak.api.v1alpha1.Incident;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where a test makes a step of the incident reconcile fail (the operator tier replaces this bean with switches, to
 * prove that every other step still runs and escalation still pages). Does nothing here.
 */
@ApplicationScoped
public class StepFaults {
    /** Called at the start of a step; a test's replacement throws to make it fail. */
    public void before(String step, Incident incident) {}
}
