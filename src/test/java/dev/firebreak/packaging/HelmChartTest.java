package dev.firebreak.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packaging checks for the Helm chart (helm/firebreak) and the plain manifests (deploy/).
 *
 * <p>Plain JUnit 5, no Quarkus: Helm runs in-process through helm-java. The working directory is
 * the repository root.
 */
class HelmChartTest {

    private static final Path CHART = Paths.get("helm/firebreak");
    private static final Path DEPLOY = Paths.get("deploy");
    private static final Path TOP_LEVEL_CRDS = Paths.get("crds");

    private static final String RELEASE = "firebreak";
    private static final String NAMESPACE = "firebreak-system";
    /**
     * helm-java renders client-only against Kubernetes 1.20 unless told otherwise, which the chart's
     * kubeVersion (>=1.30.0-0) rejects; render against the oldest supported version.
     */
    private static final String KUBE_VERSION = "1.30.0";

    /** Labels only Helm adds; deploy/ does not carry them. */
    private static final Set<String> HELM_ONLY_LABELS = Set.of("helm.sh/chart", "app.kubernetes.io/managed-by");

    private static final List<String> CRD_FILES = List.of(
            "incidents.firebreak.dev-v1.yml",
            "escalationpolicies.firebreak.dev-v1.yml",
            "oncallschedules.firebreak.dev-v1.yml",
            "postincidentreviews.firebreak.dev-v1.yml");

    private static final Set<String> FIREBREAK_KINDS =
            Set.of("incidents", "escalationpolicies", "oncallschedules", "postincidentreviews");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    // ---------------------------------------------------------------- 1. lint

    @Test
    void lintPassesInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();
        result.getMessages().forEach(m -> System.out.println("helm lint: " + m));
        assertThat(result.isFailed())
                .as("helm lint --strict %s failed:%n%s", CHART, String.join("\n", result.getMessages()))
                .isFalse();
    }

    // ------------------------------------------- 2. chart defaults == deploy/

    @Test
    void defaultRenderingMatchesPlainManifestsInDeploy() throws IOException {
        // Rendered by Helm, with the two Helm-only labels removed (after checking they are there).
        Map<String, JsonNode> rendered = new LinkedHashMap<>();
        for (JsonNode object : parseYamlDocuments(template().call(), "helm template")) {
            String key = key(object);
            JsonNode labels = object.path("metadata").path("labels");
            assertThat(labels.path("helm.sh/chart").asText())
                    .as("%s: helm.sh/chart label", key)
                    .isEqualTo("firebreak-0.1.0");
            assertThat(labels.path("app.kubernetes.io/managed-by").asText())
                    .as("%s: app.kubernetes.io/managed-by label", key)
                    .isEqualTo("Helm");
            stripHelmOnlyLabels(object);
            assertThat(rendered.put(key, object))
                    .as("helm template renders %s twice", key)
                    .isNull();
        }

        // The plain manifests listed in deploy/kustomization.yaml.
        Map<String, JsonNode> deployed = new LinkedHashMap<>();
        Map<String, String> sourceFile = new LinkedHashMap<>();
        for (String resource : kustomizationResources()) {
            Path file = DEPLOY.resolve(resource);
            for (JsonNode object : parseYamlDocuments(Files.readString(file), file.toString())) {
                String key = key(object);
                assertThat(deployed.put(key, object))
                        .as("%s is defined twice in deploy/", key)
                        .isNull();
                sourceFile.put(key, file.toString());
            }
        }

        // The one intended difference: deploy/ creates the Namespace, the chart does not
        // (`helm install --create-namespace` does).
        String namespaceKey = "Namespace " + NAMESPACE;
        assertThat(deployed).as("deploy/ must create the Namespace").containsKey(namespaceKey);
        assertThat(rendered.keySet())
                .as("the chart must not render a Namespace")
                .noneMatch(k -> k.startsWith("Namespace "));
        deployed.remove(namespaceKey);

        Set<String> onlyInChart = new TreeSet<>(rendered.keySet());
        onlyInChart.removeAll(deployed.keySet());
        Set<String> onlyInDeploy = new TreeSet<>(deployed.keySet());
        onlyInDeploy.removeAll(rendered.keySet());
        assertThat(onlyInChart.isEmpty() && onlyInDeploy.isEmpty())
                .as(
                        "objects differ between `helm template` and deploy/:%n  only in the chart:  %s%n  only in deploy/:   %s",
                        onlyInChart, onlyInDeploy)
                .isTrue();

        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : rendered.entrySet()) {
            String key = entry.getKey();
            List<String> differences = new ArrayList<>();
            diff("", deployed.get(key), entry.getValue(), differences);
            if (!differences.isEmpty()) {
                mismatches.add(key + " (" + sourceFile.get(key) + " vs helm template):\n    "
                        + String.join("\n    ", differences));
            }
        }
        assertThat(mismatches)
                .as(
                        "helm template (defaults, release %s, namespace %s) and deploy/ differ"
                                + " (path: deploy/ value -> chart value):%n%s",
                        RELEASE, NAMESPACE, String.join("\n", mismatches))
                .isEmpty();
    }

    // ------------------------------------------------- 3. values are wired

    @Test
    void nonDefaultValuesAreWiredIntoTheDeployment() {
        // Same as: --set 'watchNamespaces={shop,payments}' --set webhook.auth.mode=basic --set replicaCount=2
        // (helm-java escapes '{', ',' and '}' in values, so the list is given index by index.)
        List<JsonNode> objects = parseYamlDocuments(
                template()
                        .set("watchNamespaces[0]", "shop")
                        .set("watchNamespaces[1]", "payments")
                        .set("webhook.auth.mode", "basic")
                        .set("replicaCount", 2)
                        .call(),
                "helm template --set ...");

        JsonNode deployment = find(objects, "Deployment", NAMESPACE, RELEASE);
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        Map<String, String> env = env(deployment);
        assertThat(env)
                .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "shop,payments")
                .containsEntry("FIREBREAK_WEBHOOK_AUTH_MODE", "basic")
                // untouched values keep their defaults
                .containsEntry("FIREBREAK_WEBHOOK_AUTH_SECRET", "firebreak-webhook-auth")
                .containsEntry("FIREBREAK_LEADER_ELECTION_LEASE_NAME", "firebreak-leader")
                .containsEntry("FIREBREAK_ROLLBACK_ENABLED", "true")
                .containsEntry("FIREBREAK_ROLLBACK_DRY_RUN", "false");
    }

    @Test
    void otherValuesAreWiredThroughAValuesFile(@TempDir Path tmp) throws IOException {
        Path values = tmp.resolve("values.yaml");
        Files.writeString(
                values,
                String.join(
                        "\n",
                        "image:",
                        "  repository: registry.example.com/firebreak",
                        "  tag: 9.9.9",
                        "leaderElection:",
                        "  leaseName: firebreak-leader-blue",
                        "webhook:",
                        "  auth:",
                        "    secretName: am-credentials",
                        "    mode: none",
                        "rollback:",
                        "  enabled: false",
                        "  dryRun: true",
                        "extraEnv:",
                        "  - name: QUARKUS_LOG_LEVEL",
                        "    value: DEBUG",
                        "serviceAccount:",
                        "  name: custom-sa",
                        ""));
        List<JsonNode> objects =
                parseYamlDocuments(template().withValuesFile(values).call(), "helm template -f");

        JsonNode deployment = find(objects, "Deployment", NAMESPACE, RELEASE);
        JsonNode podSpec = deployment.path("spec").path("template").path("spec");
        assertThat(podSpec.path("containers").get(0).path("image").asText())
                .isEqualTo("registry.example.com/firebreak:9.9.9");
        assertThat(podSpec.path("serviceAccountName").asText()).isEqualTo("custom-sa");
        assertThat(env(deployment))
                .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "JOSDK_ALL_NAMESPACES")
                .containsEntry("FIREBREAK_LEADER_ELECTION_LEASE_NAME", "firebreak-leader-blue")
                .containsEntry("FIREBREAK_WEBHOOK_AUTH_SECRET", "am-credentials")
                .containsEntry("FIREBREAK_WEBHOOK_AUTH_MODE", "none")
                .containsEntry("FIREBREAK_ROLLBACK_ENABLED", "false")
                .containsEntry("FIREBREAK_ROLLBACK_DRY_RUN", "true")
                .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG");

        // The leader-election Role follows the Lease name; the bindings follow the ServiceAccount.
        JsonNode role = find(objects, "Role", NAMESPACE, RELEASE + "-leader-election");
        assertThat(stream(role.path("rules")).flatMap(r -> texts(r.path("resourceNames")).stream()))
                .containsExactly("firebreak-leader-blue");
        find(objects, "ServiceAccount", NAMESPACE, "custom-sa");
        for (String binding : List.of(
                "ClusterRoleBinding " + RELEASE, "RoleBinding " + NAMESPACE + "/" + RELEASE + "-leader-election")) {
            JsonNode subject = objects.stream()
                    .filter(o -> key(o).equals(binding))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + binding))
                    .path("subjects")
                    .get(0);
            assertThat(subject.path("name").asText()).as(binding).isEqualTo("custom-sa");
            assertThat(subject.path("namespace").asText()).as(binding).isEqualTo(NAMESPACE);
        }
    }

    /**
     * inbound.enabled adds exactly one verb, 'patch' on incidents (the spec change an acknowledgement makes), and the
     * Ingress exposes only /api/v1/inbound/: not metrics, health or the Alertmanager webhook.
     */
    @Test
    void inboundAddsOnlyPatchOnIncidentsAndExposesOnlyTheInboundPaths() {
        List<JsonNode> off = parseYamlDocuments(template().call(), "helm template");
        assertThat(off).noneMatch(o -> o.path("kind").asText().equals("Ingress"));
        List<JsonNode> on = parseYamlDocuments(
                template()
                        .set("inbound.enabled", true)
                        .set("inbound.ingress.enabled", true)
                        .set("inbound.ingress.host", "firebreak.example.com")
                        .set("inbound.ingress.tlsSecretName", "firebreak-tls")
                        .call(),
                "helm template --set inbound...");
        assertThat(env(find(on, "Deployment", NAMESPACE, RELEASE))).containsEntry("FIREBREAK_INBOUND_ENABLED", "true");
        assertThat(env(find(off, "Deployment", NAMESPACE, RELEASE)))
                .containsEntry("FIREBREAK_INBOUND_ENABLED", "false");
        // Its own ClusterRole, so that the end-to-end tests can grant it alone; the operator's is unchanged.
        assertThat(grants(find(on, "ClusterRole", "", RELEASE)))
                .isEqualTo(grants(find(off, "ClusterRole", "", RELEASE)));
        assertThat(grants(find(on, "ClusterRole", "", RELEASE + "-inbound")))
                .containsExactly("firebreak.dev/incidents patch");
        JsonNode binding = find(on, "ClusterRoleBinding", "", RELEASE + "-inbound");
        assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(RELEASE + "-inbound");
        assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo(RELEASE);
        // Namespaced mode: a Role per watched namespace, no ClusterRole.
        List<JsonNode> scoped = parseYamlDocuments(
                template()
                        .set("inbound.enabled", true)
                        .set("watchNamespaces[0]", "shop")
                        .call(),
                "helm template --set inbound.enabled,watchNamespaces");
        assertThat(scoped).noneMatch(o -> key(o).equals("ClusterRole " + RELEASE + "-inbound"));
        assertThat(grants(find(scoped, "Role", "shop", RELEASE + "-inbound")))
                .containsExactly("firebreak.dev/incidents patch");

        JsonNode ingress = find(on, "Ingress", NAMESPACE, RELEASE + "-inbound");
        JsonNode rule = ingress.path("spec").path("rules").get(0);
        assertThat(rule.path("host").asText()).isEqualTo("firebreak.example.com");
        assertThat(rule.path("http").path("paths").size()).isEqualTo(1);
        JsonNode path = rule.path("http").path("paths").get(0);
        assertThat(path.path("path").asText()).isEqualTo("/api/v1/inbound/");
        assertThat(path.path("pathType").asText()).isEqualTo("Prefix");
        assertThat(path.path("backend").path("service").path("name").asText()).isEqualTo(RELEASE);
        assertThat(ingress.path("spec").path("tls").get(0).path("secretName").asText())
                .isEqualTo("firebreak-tls");
    }

    private static Set<String> grants(JsonNode role) {
        Set<String> granted = new TreeSet<>();
        for (JsonNode rule : role.path("rules")) {
            for (String group : texts(rule.path("apiGroups"))) {
                for (String resource : texts(rule.path("resources"))) {
                    texts(rule.path("verbs")).forEach(verb -> granted.add(group + "/" + resource + " " + verb));
                }
            }
        }
        return granted;
    }

    @Test
    void schemaRejectsAnUnknownWebhookAuthMode() {
        try {
            template().set("webhook.auth.mode", "token").call();
            fail("values.schema.json accepted webhook.auth.mode=token");
        } catch (IllegalStateException expected) {
            assertThat(expected.getMessage()).contains("/webhook/auth/mode");
        }
    }

    // ------------------------------------------- 4. chart CRDs == crds/

    @Test
    void chartCrdsDirectoryIsByteForByteCopyOfTopLevelCrdsDirectory() throws IOException {
        Path chartCrds = CHART.resolve("crds");
        assertThat(TOP_LEVEL_CRDS).as("top-level crds/ directory").isDirectory();
        assertThat(chartCrds).as("chart crds/ directory").isDirectory();

        List<String> topLevel = fileNames(TOP_LEVEL_CRDS);
        List<String> inChart = fileNames(chartCrds);
        assertThat(topLevel).as("files in crds/").containsAll(CRD_FILES);
        assertThat(inChart)
                .as("files in %s (must be the same as in crds/)", chartCrds)
                .containsExactlyElementsOf(topLevel);
        for (String name : topLevel) {
            assertThat(Arrays.equals(
                            Files.readAllBytes(TOP_LEVEL_CRDS.resolve(name)),
                            Files.readAllBytes(chartCrds.resolve(name))))
                    .as(
                            "%s differs from %s: copy crds/ into the chart again",
                            chartCrds.resolve(name), TOP_LEVEL_CRDS.resolve(name))
                    .isTrue();
        }
    }

    // ---------------------------------------------------- 5. least privilege

    @Test
    void clusterRoleIsLeastPrivilege() {
        List<JsonNode> objects = parseYamlDocuments(template().call(), "helm template");
        JsonNode clusterRole = find(objects, "ClusterRole", "", RELEASE);
        JsonNode rules = clusterRole.path("rules");
        assertThat(rules.size()).as("ClusterRole rules").isPositive();

        Set<String> granted = new LinkedHashSet<>(); // "group/resource verb"
        for (JsonNode rule : rules) {
            List<String> groups = texts(rule.path("apiGroups"));
            List<String> resources = texts(rule.path("resources"));
            List<String> verbs = texts(rule.path("verbs"));
            assertThat(rule.has("nonResourceURLs"))
                    .as("nonResourceURLs in %s", rule)
                    .isFalse();
            assertThat(groups).as("apiGroups of %s", rule).isNotEmpty().doesNotContain("*");
            assertThat(resources)
                    .as("resources of %s", rule)
                    .isNotEmpty()
                    .doesNotContain("*")
                    .noneMatch(r -> r.endsWith("/*"));
            assertThat(verbs).as("verbs of %s", rule).isNotEmpty().doesNotContain("*");
            for (String group : groups) {
                for (String resource : resources) {
                    assertThat(isAllowedResource(group, resource))
                            .as(
                                    "ClusterRole grants %s on '%s' in group '%s', outside"
                                            + " {firebreak.dev CRs and their status, events, secrets, configmaps, apps workloads}",
                                    verbs, resource, group)
                            .isTrue();
                    verbs.forEach(verb -> granted.add(group + "/" + resource + " " + verb));
                }
            }
        }

        // Credentials are read one by one: never list or watch Secrets.
        assertThat(granted)
                .as("verbs on secrets")
                .doesNotContain("/secrets list", "/secrets watch")
                .filteredOn(g -> g.startsWith("/secrets "))
                .containsExactly("/secrets get");
        // Review documents: a dependent resource's informer (list, watch: labelled ones only), created or updated;
        // never deleted (garbage collection does) nor read one by one.
        assertThat(granted)
                .filteredOn(g -> g.startsWith("/configmaps "))
                .containsExactlyInAnyOrder(
                        "/configmaps list", "/configmaps watch", "/configmaps create", "/configmaps update");
        // ... and what the operator does need is there.
        for (String kind : FIREBREAK_KINDS) {
            assertThat(granted)
                    .contains(
                            "firebreak.dev/" + kind + " get",
                            "firebreak.dev/" + kind + " list",
                            "firebreak.dev/" + kind + " watch",
                            "firebreak.dev/" + kind + "/status patch");
        }
        assertThat(granted).contains("/events create");
        // The intake opens incidents and the incident reconciler drafts reviews; nothing creates, updates or deletes
        // the other kinds, and only a review's spec is ever patched (its empty sections, once).
        assertThat(granted)
                .filteredOn(g -> g.startsWith("firebreak.dev/") && g.endsWith(" create"))
                .containsExactlyInAnyOrder(
                        "firebreak.dev/incidents create", "firebreak.dev/postincidentreviews create");
        assertThat(granted)
                .filteredOn(g -> g.startsWith("firebreak.dev/") && !g.contains("/status ") && g.endsWith(" patch"))
                .containsExactly("firebreak.dev/postincidentreviews patch");
        assertThat(granted)
                .filteredOn(g -> g.startsWith("firebreak.dev/") && (g.endsWith(" update") || g.endsWith(" delete")))
                .isEmpty();
        // Workloads are read and patched by a rollback; ReplicaSets and ControllerRevisions marked healthy.
        assertThat(granted)
                .filteredOn(g -> g.startsWith("apps/"))
                .containsExactlyInAnyOrder(
                        "apps/deployments patch",
                        "apps/statefulsets patch",
                        "apps/daemonsets patch",
                        "apps/replicasets patch",
                        "apps/controllerrevisions patch",
                        "apps/deployments get",
                        "apps/deployments list",
                        "apps/deployments watch",
                        "apps/statefulsets get",
                        "apps/statefulsets list",
                        "apps/statefulsets watch",
                        "apps/daemonsets get",
                        "apps/daemonsets list",
                        "apps/daemonsets watch",
                        "apps/replicasets get",
                        "apps/replicasets list",
                        "apps/controllerrevisions list");
        // Pods are read by name (an alert's workload) or listed by selector (a rollout's newest revision), deleted only
        // by a StatefulSet forced rollback; never watched: a cluster's pods would not fit in the operator's memory.
        assertThat(granted)
                .filteredOn(g -> g.startsWith("/pods "))
                .containsExactlyInAnyOrder("/pods get", "/pods list", "/pods delete");
        assertThat(granted).filteredOn(g -> g.startsWith("/namespaces ")).containsExactly("/namespaces get");
        // The reviews endpoint asks the API server who a caller is and whether it may get the review; nothing else.
        assertThat(granted)
                .filteredOn(g -> g.startsWith("authentication.k8s.io/") || g.startsWith("authorization"))
                .containsExactlyInAnyOrder(
                        "authentication.k8s.io/tokenreviews create",
                        "authorization.k8s.io/subjectaccessreviews create");

        // Leader election: leases only, in the release namespace, with the verbs JOSDK checks for.
        JsonNode role = find(objects, "Role", NAMESPACE, RELEASE + "-leader-election");
        Set<String> leaseVerbs = new TreeSet<>();
        for (JsonNode rule : role.path("rules")) {
            assertThat(texts(rule.path("apiGroups"))).containsExactly("coordination.k8s.io");
            assertThat(texts(rule.path("resources"))).containsExactly("leases");
            leaseVerbs.addAll(texts(rule.path("verbs")));
        }
        assertThat(leaseVerbs).doesNotContain("*", "delete", "list", "watch").contains("get", "create", "update");
    }

    /**
     * Namespaced mode (watchNamespaces set): every namespaced verb is granted by a Role in each watched namespace and
     * nowhere else; the ClusterRole keeps only what has no namespace (those namespaces by name, token and access
     * reviews). rbac.remediationNamespaces narrows rollbacks further.
     */
    @Test
    void namespacedModeGrantsOnlyInTheWatchedNamespaces() {
        List<JsonNode> objects = parseYamlDocuments(
                template()
                        .set("watchNamespaces[0]", "shop")
                        .set("watchNamespaces[1]", "payments")
                        .set("rbac.remediationNamespaces[0]", "shop")
                        .call(),
                "helm template");
        JsonNode clusterRole = find(objects, "ClusterRole", "", RELEASE);
        Set<String> cluster = new TreeSet<>();
        for (JsonNode rule : clusterRole.path("rules")) {
            for (String group : texts(rule.path("apiGroups"))) {
                for (String resource : texts(rule.path("resources"))) {
                    texts(rule.path("verbs"))
                            .forEach(v ->
                                    cluster.add(group + "/" + resource + " " + v + texts(rule.path("resourceNames"))));
                }
            }
        }
        assertThat(cluster)
                .containsExactlyInAnyOrder(
                        "/namespaces get[shop, payments]",
                        "authentication.k8s.io/tokenreviews create[]",
                        "authorization.k8s.io/subjectaccessreviews create[]");

        for (String ns : List.of("shop", "payments")) {
            JsonNode role = find(objects, "Role", ns, RELEASE);
            Set<String> granted = new TreeSet<>();
            for (JsonNode rule : role.path("rules")) {
                for (String group : texts(rule.path("apiGroups"))) {
                    for (String resource : texts(rule.path("resources"))) {
                        texts(rule.path("verbs")).forEach(v -> granted.add(group + "/" + resource + " " + v));
                    }
                }
            }
            assertThat(granted)
                    .contains(
                            "firebreak.dev/incidents watch",
                            "/secrets get",
                            "/events create",
                            "apps/deployments watch");
            if (ns.equals("shop")) {
                assertThat(granted)
                        .contains("apps/deployments patch", "/pods delete", "apps/controllerrevisions patch");
            } else {
                assertThat(granted)
                        .as("no rollback outside rbac.remediationNamespaces")
                        .doesNotContain(
                                "apps/deployments patch",
                                "apps/statefulsets patch",
                                "/pods delete",
                                "apps/replicasets patch",
                                "apps/controllerrevisions patch");
            }
            JsonNode binding = find(objects, "RoleBinding", ns, RELEASE);
            assertThat(binding.path("subjects").get(0).path("namespace").asText())
                    .isEqualTo(NAMESPACE);
        }
        JsonNode auth = find(objects, "Role", NAMESPACE, RELEASE + "-webhook-auth");
        assertThat(texts(auth.path("rules").get(0).path("resourceNames"))).containsExactly("firebreak-webhook-auth");
        assertThat(objects)
                .extracting(HelmChartTest::key)
                .filteredOn(k -> k.startsWith("Role "))
                .containsExactlyInAnyOrder(
                        "Role shop/" + RELEASE,
                        "Role payments/" + RELEASE,
                        "Role " + NAMESPACE + "/" + RELEASE + "-webhook-auth",
                        "Role " + NAMESPACE + "/" + RELEASE + "-leader-election");
    }

    /** All-namespaces mode with rbac.remediationNamespaces: rollback verbs only in those namespaces. */
    @Test
    void remediationCanBeLimitedToListedNamespacesInAllNamespacesMode() {
        List<JsonNode> objects = parseYamlDocuments(
                template().set("rbac.remediationNamespaces[0]", "shop").call(), "helm template");
        for (JsonNode rule : find(objects, "ClusterRole", "", RELEASE).path("rules")) {
            if (texts(rule.path("apiGroups")).contains("apps")) {
                assertThat(texts(rule.path("verbs"))).as("%s", rule).doesNotContain("patch");
            }
            assertThat(texts(rule.path("verbs"))).as("%s", rule).doesNotContain("delete");
        }
        JsonNode role = find(objects, "Role", "shop", RELEASE + "-remediation");
        assertThat(role.path("rules").toString()).contains("deployments", "\"patch\"", "\"delete\"");
    }

    // ------------------------------------------------------ documentation

    @Test
    void everyValueIsDocumented() throws IOException {
        JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
        List<String> keys = new ArrayList<>();
        valueKeys("", values, keys);
        assertThat(keys).contains("image.repository", "watchNamespaces", "webhook.auth.mode", "rbac.create");
        for (Path doc : List.of(CHART.resolve("README.md"), Paths.get("docs/deployment.md"))) {
            String text = Files.readString(doc);
            assertThat(keys).as("values without a `row` in %s", doc).allMatch(k -> text.contains("| `" + k + "` |"));
        }
    }

    /** Dotted value paths; objects whose content is free-form Kubernetes YAML count as one value. */
    private static void valueKeys(String prefix, JsonNode node, List<String> out) {
        Set<String> freeForm = Set.of("resources", "podSecurityContext", "securityContext");
        node.fieldNames().forEachRemaining(field -> {
            JsonNode child = node.get(field);
            String path = prefix.isEmpty() ? field : prefix + "." + field;
            if (child.isObject() && !child.isEmpty() && !freeForm.contains(path)) {
                valueKeys(path, child, out);
            } else {
                out.add(path);
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    private static TemplateCommand template() {
        return new Helm(CHART)
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
    }

    private static boolean isAllowedResource(String group, String resource) {
        if (group.equals("firebreak.dev")) {
            return FIREBREAK_KINDS.contains(
                    resource.endsWith("/status")
                            ? resource.substring(0, resource.length() - "/status".length())
                            : resource);
        }
        if (group.equals("apps")) {
            return Set.of("deployments", "statefulsets", "daemonsets", "replicasets", "controllerrevisions")
                    .contains(resource);
        }
        if (group.equals("authentication.k8s.io") || group.equals("authorization.k8s.io")) {
            return Set.of("tokenreviews", "subjectaccessreviews").contains(resource);
        }
        return group.isEmpty()
                && Set.of("events", "secrets", "pods", "namespaces", "configmaps")
                        .contains(resource);
    }

    /** Parses a multi-document YAML stream, skipping empty documents. */
    private static List<JsonNode> parseYamlDocuments(String yaml, String source) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isMissingNode() && !document.isEmpty()) {
                    assertThat(document.isObject())
                            .as("a document in %s is not a mapping: %s", source, document)
                            .isTrue();
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse YAML from " + source, e);
        }
        assertThat(documents).as("objects in %s", source).isNotEmpty();
        return documents;
    }

    /** "Kind namespace/name", or "Kind name" for cluster-scoped objects. */
    private static String key(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        String namespace = metadata.path("namespace").asText("");
        return object.path("kind").asText("?") + " " + (namespace.isEmpty() ? "" : namespace + "/")
                + metadata.path("name").asText("?");
    }

    private static JsonNode find(List<JsonNode> objects, String kind, String namespace, String name) {
        String wanted = kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
        return objects.stream()
                .filter(o -> key(o).equals(wanted))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + wanted + " among "
                        + objects.stream().map(HelmChartTest::key).collect(Collectors.toList())));
    }

    /** Removes the Helm-only labels from every metadata.labels (the object's and the pod template's). */
    private static void stripHelmOnlyLabels(JsonNode node) {
        if (node.isObject()) {
            JsonNode labels = node.path("metadata").path("labels");
            if (labels.isObject()) {
                ((ObjectNode) labels).remove(HELM_ONLY_LABELS);
            }
            node.forEach(HelmChartTest::stripHelmOnlyLabels);
        } else if (node.isArray()) {
            node.forEach(HelmChartTest::stripHelmOnlyLabels);
        }
    }

    /** The operator container's plain-value environment variables (valueFrom entries map to ""). */
    private static Map<String, String> env(JsonNode deployment) {
        JsonNode container = deployment
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
        assertThat(container).as("operator container").isNotNull();
        Map<String, String> env = new LinkedHashMap<>();
        container
                .path("env")
                .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText("")));
        return env;
    }

    private static List<String> kustomizationResources() throws IOException {
        JsonNode kustomization =
                YAML.readTree(DEPLOY.resolve("kustomization.yaml").toFile());
        List<String> resources = texts(kustomization.path("resources"));
        assertThat(resources).as("resources in deploy/kustomization.yaml").isNotEmpty();
        return resources;
    }

    private static List<String> texts(JsonNode array) {
        return stream(array).map(JsonNode::asText).collect(Collectors.toList());
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** Collects "path: expected -> actual" lines for every place two trees differ. */
    private static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected == null || actual == null) {
            out.add((path.isEmpty() ? "/" : path) + ": " + render(expected) + " -> " + render(actual));
        } else if (expected.isObject() && actual.isObject()) {
            Set<String> fields = new TreeSet<>();
            expected.fieldNames().forEachRemaining(fields::add);
            actual.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                diff(
                        path + "/" + field.replace("~", "~0").replace("/", "~1"),
                        expected.get(field),
                        actual.get(field),
                        out);
            }
        } else if (expected.isArray() && actual.isArray()) {
            int size = Math.max(expected.size(), actual.size());
            for (int i = 0; i < size; i++) {
                diff(path + "/" + i, expected.get(i), actual.get(i), out);
            }
        } else if (!expected.equals(actual)) {
            out.add((path.isEmpty() ? "/" : path) + ": " + render(expected) + " -> " + render(actual));
        }
    }

    private static String render(JsonNode node) {
        if (node == null) {
            return "<absent>";
        }
        // Show the type too: "8080" (string) and 8080 (number) look alike otherwise.
        return node.isTextual() ? "\"" + node.asText() + "\"" : node.toString();
    }
}
