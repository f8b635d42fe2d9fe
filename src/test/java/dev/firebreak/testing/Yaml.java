package dev.firebreak.testing;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Reads test fixtures written as YAML, the way users write them. */
public final class Yaml {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Yaml() {}

    public static <T> T read(String yaml, Class<T> type) {
        return SERIALIZATION.unmarshal(yaml.stripIndent(), type);
    }
}
