package dev.firebreak.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact patches bin/kubectl-firebreak sends, checked with a kubectl that records its arguments and input. */
class PluginPatchTest {
    private static final Path PLUGIN = Path.of("bin/kubectl-firebreak").toAbsolutePath();

    @TempDir
    Path dir;

    Path log;
    Path fakeKubectl;

    @BeforeEach
    void fakeKubectl() throws IOException {
        log = dir.resolve("kubectl.log");
        fakeKubectl = dir.resolve("kubectl");
        Files.writeString(fakeKubectl, """
                #!/usr/bin/env bash
                { printf 'ARGS'; printf ' [%s]' "$@"; printf '\\n'; } >> "$FAKE_LOG"
                for a in "$@"; do if [ "$a" = "-" ]; then cat >> "$FAKE_LOG"; fi; done
                if [ "$1" = get ]; then printf '%s' "$FAKE_GET"; fi
                """);
        Files.setPosixFilePermissions(fakeKubectl, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    record Run(int exit, String log, String stdout, String stderr) {}

    Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", PLUGIN.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("KUBECTL", fakeKubectl.toString());
        builder.environment().put("FAKE_LOG", log.toString());
        builder.environment().put("FIREBREAK_USER", "alice");
        builder.environment().putAll(env);
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Run(
                process.exitValue(),
                Files.exists(log) ? Files.readString(log) : "",
                Files.readString(out),
                Files.readString(err));
    }

    @Test
    void ackPatchesAcknowledgedBy() throws Exception {
        Run run = run(Map.of(), "ack", "checkout-errors", "-n", "shop");
        assertThat(run.exit()).isZero();
        assertThat(run.log())
                .isEqualTo("ARGS [patch] [incident] [checkout-errors] [-n] [shop] [--type] [merge] [-p] "
                        + "[{\"spec\":{\"acknowledgedBy\":\"alice\"}}]\n");
    }

    @Test
    void ackByAnotherResponder() throws Exception {
        Run run = run(Map.of(), "ack", "checkout-errors", "--by", "Bob O'Neil");
        assertThat(run.log()).contains("[{\"spec\":{\"acknowledgedBy\":\"Bob O'Neil\"}}]");
    }

    @Test
    void resolveEscapesTheNote() throws Exception {
        Run run = run(Map.of(), "resolve", "checkout-errors", "--note", "rolled back \"1.4.2\"\nC:\\temp\tdone");
        assertThat(run.exit()).isZero();
        assertThat(run.log())
                .contains("[{\"spec\":{\"resolution\":{\"resolved\":true,\"by\":\"alice\","
                        + "\"note\":\"rolled back \\\"1.4.2\\\"\\nC:\\\\temp\\tdone\"}}}]");
    }

    @Test
    void theFirstUpdateCreatesTheListUnderAVersionCheck() throws Exception {
        Run run = run(
                Map.of("FAKE_GET", "4711 "),
                "update",
                "checkout-errors",
                "Rolled back; watching error rates",
                "--eta",
                "30m");
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.log())
                .contains("[get] [incident] [checkout-errors] [-o] "
                        + "[jsonpath={.metadata.resourceVersion} {.spec.updates}]");
        assertThat(run.log())
                .containsPattern(
                        "\\[patch\\] \\[incident\\] \\[checkout-errors\\] \\[--type\\] \\[json\\] "
                                + "\\[-p\\] \\[\\[\\{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"4711\"\\},"
                                + "\\{\"op\":\"add\",\"path\":\"/spec/updates\",\"value\":\\[\\{\"message\":\"Rolled back; watching "
                                + "error rates\",\"author\":\"alice\",\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\",\"eta\":\"30m\"\\}\\]\\}\\]\\]");
    }

    @Test
    void laterUpdatesAppend() throws Exception {
        Run run = run(Map.of("FAKE_GET", "4712 [{\"message\":\"first\"}]"), "update", "checkout-errors", "second");
        assertThat(run.log())
                .contains("{\"op\":\"add\",\"path\":\"/spec/updates/-\",\"value\":{\"message\":\"second\"");
        assertThat(run.log()).contains("\"value\":\"4712\"");
    }

    @Test
    void aBadEtaIsRefusedBeforeAnythingIsSent() throws Exception {
        Run run = run(Map.of(), "update", "checkout-errors", "soon", "--eta", "half an hour");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("--eta 'half an hour' is not a duration such as 30m or 1h30m");
        assertThat(run.log()).isEmpty();
    }

    @Test
    void declareCreatesAManualIncident() throws Exception {
        Run run = run(
                Map.of(),
                "declare",
                "--title",
                "Checkout returns 500s",
                "--severity",
                "critical",
                "--workload",
                "deployment/checkout",
                "--workload",
                "sts/cart-db",
                "--name",
                "checkout-500s",
                "-n",
                "shop");
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.log())
                .isEqualTo("ARGS [create] [-n] [shop] [--validate=false] [-f] [-]\n"
                        + "{\"apiVersion\":\"firebreak.dev/v1alpha1\",\"kind\":\"Incident\",\"metadata\":{\"name\":\"checkout-500s\","
                        + "\"labels\":{\"firebreak.dev/declared-by\":\"alice\"}},\"spec\":{\"title\":\"Checkout returns 500s\","
                        + "\"source\":{\"type\":\"Manual\"},\"severity\":\"Critical\",\"affected\":[{\"kind\":\"Deployment\","
                        + "\"name\":\"checkout\"},{\"kind\":\"StatefulSet\",\"name\":\"cart-db\"}]}}\n");
    }

    @Test
    void declareNamesTheIncidentAfterItsTitle() throws Exception {
        Run run = run(Map.of(), "declare", "--title", "Payments: EU latency > 2s!");
        assertThat(run.log()).containsPattern("\"name\":\"payments-eu-latency-2s-\\d{14}\"");
    }

    @Test
    void declareRefusesAnUnknownSeverityOrWorkload() throws Exception {
        assertThat(run(Map.of(), "declare", "--title", "x", "--severity", "sev1")
                        .stderr())
                .contains("--severity 'sev1' is not one of Critical, High, Medium, Low");
        assertThat(run(Map.of(), "declare", "--title", "x", "--workload", "pod/p")
                        .stderr())
                .contains("--workload kind 'pod' is not deployment, statefulset or daemonset");
    }

    @Test
    void listShowsTheWorstFirst() throws Exception {
        String rows = String.join(
                "\n",
                "shop\tslow-search\tLow\tTriggered\t-\t2026-11-23T10:00:00Z\tSearch is slow",
                "shop\tcheckout-down\tCritical\tAcknowledged\talice\t2026-11-23T11:00:00Z\tCheckout down",
                "pay\tlatency\tHigh\tTriggered\t-\t2026-11-23T09:00:00Z\tPayment latency",
                "pay\tfraud\tCritical\tTriggered\t-\t2026-11-23T08:00:00Z\tFraud checks failing");
        Run run = run(Map.of("FAKE_GET", rows), "list", "-A");
        assertThat(run.stdout().lines().map(l -> l.split("\t")[1]).toList())
                .containsExactly("NAME", "fraud", "checkout-down", "latency", "slow-search");
    }

    @Test
    void withoutACommandItExplainsItself() throws Exception {
        Run run = run(Map.of());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("kubectl firebreak ack INC [--by NAME]");
    }
}
