package dev.firebreak.remediate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Optional;

/**
 * Who re-applies a workload from Git within seconds of a change: Argo CD (annotation argocd.argoproj.io/tracking-id
 * or label argocd.argoproj.io/instance) or Flux (labels kustomize.toolkit.fluxcd.io/name and
 * helm.toolkit.fluxcd.io/name, with their /namespace labels). A rollback of such a workload would be undone, so
 * Firebreak says what a human must do instead. Flux's per-object annotation kustomize.toolkit.fluxcd.io/reconcile:
 * disabled releases the object. Pure.
 */
public final class GitOpsOwner {
    private GitOpsOwner() {}

    /** "Flux Kustomization flux-system/shop: revert the commit in Git, or suspend it first", or empty. */
    public static Optional<String> of(HasMetadata workload) {
        Map<String, String> labels = orEmpty(workload.getMetadata().getLabels());
        Map<String, String> annotations = orEmpty(workload.getMetadata().getAnnotations());
        String namespace = workload.getMetadata().getNamespace();
        if (annotations.containsKey("argocd.argoproj.io/tracking-id")) {
            String app = annotations.get("argocd.argoproj.io/tracking-id").split(":", 2)[0];
            return Optional.of("managed by Argo CD application " + app + ": revert the commit in Git, or disable "
                    + "the application's self-heal, then roll back");
        }
        if (labels.containsKey("argocd.argoproj.io/instance")) {
            return Optional.of("managed by Argo CD application " + labels.get("argocd.argoproj.io/instance")
                    + ": revert the commit in Git, or disable the application's self-heal, then roll back");
        }
        if ("disabled".equals(annotations.get("kustomize.toolkit.fluxcd.io/reconcile"))) {
            return Optional.empty();
        }
        for (String kind : new String[] {"kustomize", "helm"}) {
            String name = labels.get(kind + ".toolkit.fluxcd.io/name");
            if (name != null) {
                String ns = labels.getOrDefault(kind + ".toolkit.fluxcd.io/namespace", namespace);
                return Optional.of("managed by Flux " + (kind.equals("helm") ? "HelmRelease " : "Kustomization ")
                        + ns + "/" + name + ": revert the commit in Git, or suspend it (spec.suspend: true), then "
                        + "roll back");
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
