package dev.firebreak.api.v1alpha1.spec;

/** Where a post-incident review stands. */
public enum ReviewState {
    Draft,
    InReview,
    Published
}
