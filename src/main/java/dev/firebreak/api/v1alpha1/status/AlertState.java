package dev.firebreak.api.v1alpha1.status;

/** The state of one alert, as Alertmanager last reported it. */
public enum AlertState {
    Firing,
    Resolved
}
