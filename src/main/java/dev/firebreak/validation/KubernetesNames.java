package dev.firebreak.validation;

import dev.firebreak.api.v1alpha1.ApiGroup;
import java.util.regex.Pattern;

/** What the API server accepts as an object's name and as a namespace's. */
public final class KubernetesNames {
    private static final Pattern NAME = Pattern.compile(ApiGroup.NAME_PATTERN);
    private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

    private KubernetesNames() {}

    /** A DNS-1123 subdomain of at most 253 characters: most objects' names. */
    public static boolean isName(String value) {
        return value != null
                && !value.isEmpty()
                && value.length() <= 253
                && NAME.matcher(value).matches();
    }

    /** A DNS-1123 label of at most 63 characters: a namespace's name. */
    public static boolean isNamespace(String value) {
        return value != null
                && !value.isEmpty()
                && value.length() <= 63
                && LABEL.matcher(value).matches();
    }
}
