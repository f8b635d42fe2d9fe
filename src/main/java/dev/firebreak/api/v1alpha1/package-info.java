/**
 * Firebreak's API, group {@code firebreak.dev}, version {@code v1alpha1}. Human intent lives in each kind's
 * spec; what the operator observed or decided lives in its status. Shared value types are here; sub-objects of
 * specs are in {@code spec}, sub-objects of statuses in {@code status}.
 */
package dev.firebreak.api.v1alpha1;
