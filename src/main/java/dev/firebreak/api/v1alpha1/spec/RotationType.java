package dev.firebreak.api.v1alpha1.spec;

/** How often the on-call person changes. */
public enum RotationType {
    Daily,
    Weekly,
    Custom
}
