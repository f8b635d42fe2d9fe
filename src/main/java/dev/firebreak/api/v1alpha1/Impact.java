package dev.firebreak.api.v1alpha1;

/** Who is affected, widest first. */
public enum Impact {
    AllUsers,
    KeyFeatures,
    FewUsers,
    Minimal
}
