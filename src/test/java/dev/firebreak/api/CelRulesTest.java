package dev.firebreak.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiles every CEL rule of the committed CRDs with a CEL implementation and evaluates it on objects that must pass
 * and objects that must fail, so a rule that does not parse or does not say what its message claims fails here.
 * (The API server's own evaluation, with its cost limits, is exercised by the end-to-end tier.)
 */
class CelRulesTest {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().build();
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    /** Every rule in the CRDs, by message. */
    static Map<String, String> rules() {
        Map<String, String> rules = new LinkedHashMap<>();
        CrdSchemaTest.crds().values().forEach(crd -> collect(CrdSchemaTest.schema(crd), rules));
        return rules;
    }

    private static void collect(JsonNode node, Map<String, String> rules) {
        node.path("x-kubernetes-validations")
                .forEach(v -> rules.put(v.get("message").asText(), v.get("rule").asText()));
        node.path("properties").forEach(child -> collect(child, rules));
        if (node.has("items")) {
            collect(node.get("items"), rules);
        }
    }

    @Test
    void everyRuleCompiles() {
        assertThat(rules()).isNotEmpty().allSatisfy((message, rule) -> {
            CelValidationResult result = COMPILER.compile(rule);
            assertThat(result.hasError())
                    .as("rule for '%s' does not compile: %s", message, result.getErrorString())
                    .isFalse();
        });
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // Incident
                pass(
                        "an Alertmanager source needs receiver and groupKey",
                        "{type: Alertmanager, receiver: r, groupKey: g}"),
                fail("an Alertmanager source needs receiver and groupKey", "{type: Alertmanager, receiver: r}"),
                pass("an Alertmanager source needs receiver and groupKey", "{type: Manual}"),
                pass("receiver, groupKey and externalURL are only for an Alertmanager source", "{type: Rollout}"),
                fail(
                        "receiver, groupKey and externalURL are only for an Alertmanager source",
                        "{type: Manual, groupKey: g}"),
                pass(
                        "revision, images and signal are only for a Rollout source",
                        "{type: Rollout, revision: '7', images: [shop/checkout:2], signal: CrashLoopBackOff}"),
                fail("revision, images and signal are only for a Rollout source", "{type: Manual, revision: '7'}"),
                pass(
                        "affected workloads must be unique",
                        "[{kind: Deployment, name: a}, {kind: StatefulSet, name: a}]"),
                fail("affected workloads must be unique", "[{kind: Deployment, name: a}, {kind: Deployment, name: a}]"),
                pass("a resolution needs 'by': who resolved the incident", "{resolved: true, by: alice}"),
                pass("a resolution needs 'by': who resolved the incident", "{resolved: false}"),
                fail("a resolution needs 'by': who resolved the incident", "{resolved: true}"),
                fail("a resolution needs 'by': who resolved the incident", "{resolved: true, by: ''}"),
                transition(
                        "source is immutable: it can be neither changed nor added after creation",
                        "{title: t, source: {type: Manual}}",
                        "{title: t, source: {type: Manual}}",
                        true),
                transition(
                        "source is immutable: it can be neither changed nor added after creation",
                        "{title: u}",
                        "{title: t}",
                        true),
                transition(
                        "source is immutable: it can be neither changed nor added after creation",
                        "{title: t, source: {type: Rollout}}",
                        "{title: t, source: {type: Manual}}",
                        false),
                transition(
                        "source is immutable: it can be neither changed nor added after creation",
                        "{title: t, source: {type: Alertmanager, receiver: r, groupKey: g}}",
                        "{title: t}",
                        false),
                transition(
                        "source is immutable: it can be neither changed nor added after creation",
                        "{title: t}",
                        "{title: t, source: {type: Manual}}",
                        false),
                transition("drill is immutable: open a new incident instead", "true", "true", true),
                transition("drill is immutable: open a new incident instead", "false", "true", false),
                // EscalationPolicy
                pass(
                        "a target sets exactly one of onCallSchedule, person, slack, teams, pagerDuty, opsgenie, serviceNow, email, webhook",
                        "{email: {to: [a@example.com]}}"),
                fail(
                        "a target sets exactly one of onCallSchedule, person, slack, teams, pagerDuty, opsgenie, serviceNow, email, webhook",
                        "{email: {to: [a@example.com]}, webhook: {url: 'https://x'}}"),
                fail(
                        "a target sets exactly one of onCallSchedule, person, slack, teams, pagerDuty, opsgenie, serviceNow, email, webhook",
                        "{}"),
                pass("levels[0] fires at once: its delay must be 0s or unset", "{levels: [{delay: 0s}, {delay: 10m}]}"),
                pass("levels[0] fires at once: its delay must be 0s or unset", "{levels: [{targets: []}]}"),
                pass("levels[0] fires at once: its delay must be 0s or unset", "{levels: [{delay: 0m0s}]}"),
                fail("levels[0] fires at once: its delay must be 0s or unset", "{levels: [{delay: 5m}]}"),
                fail("levels[0] fires at once: its delay must be 0s or unset", "{levels: [{delay: 10s}]}"),
                // OnCallSchedule
                pass("length is required for a Custom rotation and only allowed there", "{type: Custom, length: 72h}"),
                fail("length is required for a Custom rotation and only allowed there", "{type: Custom}"),
                fail("length is required for a Custom rotation and only allowed there", "{type: Weekly, length: 72h}"),
                pass("length is required for a Custom rotation and only allowed there", "{type: Daily}"),
                pass("layer names must be unique", "[{name: a}, {name: b}]"),
                fail("layer names must be unique", "[{name: a}, {name: a}]"),
                pass(
                        "an override must end after it starts",
                        "{from: '2026-12-24T00:00:00Z', to: '2026-12-25T00:00:00Z'}"),
                fail(
                        "an override must end after it starts",
                        "{from: '2026-12-25T00:00:00Z', to: '2026-12-24T00:00:00Z'}"),
                fail(
                        "an override must end after it starts",
                        "{from: '2026-12-25T00:00:00Z', to: '2026-12-25T00:00:00Z'}"),
                // PostIncidentReview
                pass("a Published review needs rootCause and lessonsLearned", "{state: Draft}"),
                pass(
                        "a Published review needs rootCause and lessonsLearned",
                        "{state: Published, rootCause: r, lessonsLearned: l}"),
                fail("a Published review needs rootCause and lessonsLearned", "{state: Published, rootCause: r}"),
                fail(
                        "a Published review needs rootCause and lessonsLearned",
                        "{state: Published, rootCause: r, lessonsLearned: ''}"),
                transition("incidentRef is immutable", "{name: a}", "{name: a}", true),
                transition("incidentRef is immutable", "{name: b}", "{name: a}", false));
    }

    private static Arguments pass(String message, String self) {
        return Arguments.of(message, self, null, true);
    }

    private static Arguments fail(String message, String self) {
        return Arguments.of(message, self, null, false);
    }

    private static Arguments transition(String message, String self, String oldSelf, boolean valid) {
        return Arguments.of(message, self, oldSelf, valid);
    }

    @ParameterizedTest(name = "''{0}'' on {1} (old {2}) -> {3}")
    @MethodSource("cases")
    void ruleSaysWhatItsMessageSays(String message, String self, String oldSelf, boolean valid) throws Exception {
        String rule = rules().get(message);
        assertThat(rule).as("no CEL rule with message '%s' in crds/", message).isNotNull();
        CelAbstractSyntaxTree ast = COMPILER.compile(rule).getAst();
        Map<String, Object> vars = new HashMap<>();
        vars.put("self", value(self));
        if (oldSelf != null) {
            vars.put("oldSelf", value(oldSelf));
        }
        assertThat(RUNTIME.createProgram(ast).eval(vars)).as(rule).isEqualTo(valid);
    }

    @Test
    void everyRuleHasAPassingAndAFailingCase() {
        Map<String, Set<Boolean>> outcomes = new HashMap<>();
        cases().forEach(a -> outcomes.computeIfAbsent((String) a.get()[0], k -> new TreeSet<>())
                .add((Boolean) a.get()[3]));
        assertThat(rules().keySet())
                .allSatisfy(message -> assertThat(outcomes.get(message))
                        .as("cases for rule '%s'", message)
                        .containsExactly(false, true));
    }

    /** YAML to the values CEL sees: maps, lists, strings, booleans and 64-bit integers. */
    private static Object value(String yaml) {
        return cel(YAML.unmarshal("v: " + yaml, Map.class).get("v"));
    }

    private static Object cel(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> e.getKey().toString(), e -> cel(e.getValue()), (a, b) -> a, LinkedHashMap::new));
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(cel(v)));
            return out;
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        return value;
    }
}
