package dev.firebreak.intake.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.spec.WorkloadKind;
import dev.firebreak.api.v1alpha1.spec.WorkloadRef;
import dev.firebreak.api.v1alpha1.status.AlertRecord;
import dev.firebreak.api.v1alpha1.status.AlertState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertGroupTest {
    private static WebhookNotification parse(String fixture) {
        try {
            return PayloadParser.parse(PayloadParserTest.fixture(fixture));
        } catch (BadPayload e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theIncidentNameIsDeterministicReadableAndShort() {
        WebhookNotification n = parse("firing.json");
        String name = AlertGroup.incidentName(n, 1);
        assertThat(name).isEqualTo(AlertGroup.incidentName(parse("resolved.json"), 1))
                .startsWith("am-checkouterrorrate-").hasSize("am-checkouterrorrate-".length() + 12)
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(AlertGroup.incidentName(n, 2)).isEqualTo(name + "-2");
        WebhookNotification otherReceiver = new WebhookNotification("pager", n.status(), n.groupKey(), 0,
                n.groupLabels(), n.commonLabels(), n.commonAnnotations(), n.externalURL(), n.alerts());
        assertThat(AlertGroup.incidentName(otherReceiver, 1)).as("receiver + groupKey is the identity")
                .isNotEqualTo(name);
        assertThat(AlertGroup.hash("firebreak", n.groupKey())).hasSize(12);
    }

    @Test
    void theIncidentGoesToTheAlertsNamespaceWhenWatchedElseTheDefault() {
        WebhookNotification n = parse("firing.json");
        assertThat(AlertGroup.namespace(n, Set.of("shop")::contains, "firebreak-system")).isEqualTo("shop");
        assertThat(AlertGroup.namespace(n, Set.of("payments")::contains, "firebreak-system"))
                .isEqualTo("firebreak-system");
        assertThat(AlertGroup.namespace(parse("mixed.json"), ns -> true, "firebreak-system"))
                .as("an alert with only an instance label").isEqualTo("firebreak-system");
    }

    @Test
    void titleAndWorkloadsComeFromTheLabelsAndAnnotations() {
        WebhookNotification n = parse("firing.json");
        assertThat(AlertGroup.title(n)).isEqualTo("Checkout error rate above 5%");
        assertThat(AlertGroup.workloads(n, "shop")).containsExactly(new WorkloadRef(WorkloadKind.Deployment, "checkout"));
        assertThat(AlertGroup.workloads(n, "payments")).as("alerts about another namespace").isEmpty();
        assertThat(AlertGroup.title(parse("mixed.json"))).isEqualTo("HighCpuUsage");
        assertThat(AlertGroup.workloads(parse("mixed.json"), "firebreak-system")).isEmpty();
    }

    @Test
    void mergingTracksAlertsByFingerprintAndIsIdempotent() {
        WebhookNotification firing = parse("firing.json");
        AlertMerge.Result first = AlertMerge.merge(List.of(), firing.alerts());
        assertThat(first.changed()).isTrue();
        assertThat(first.transitions()).singleElement()
                .isEqualTo(new AlertMerge.Transition("a1b2c3d4e5f60718", "CheckoutErrorRate", null, AlertState.Firing));

        AlertMerge.Result again = AlertMerge.merge(first.alerts(), firing.alerts());
        assertThat(again.changed()).as("the same notification twice changes nothing").isFalse();
        assertThat(again.transitions()).isEmpty();
        assertThat(again.alerts()).hasSize(1);

        AlertMerge.Result resolved = AlertMerge.merge(again.alerts(), parse("resolved.json").alerts());
        assertThat(resolved.transitions()).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(AlertState.Firing);
            assertThat(t.to()).isEqualTo(AlertState.Resolved);
        });
        AlertRecord record = resolved.alerts().get(0);
        assertThat(record.state).isEqualTo(AlertState.Resolved);
        assertThat(record.endsAt).isNotNull();

        AlertMerge.Result refired = AlertMerge.merge(resolved.alerts(), firing.alerts());
        assertThat(refired.transitions()).extracting(AlertMerge.Transition::to).containsExactly(AlertState.Firing);
        assertThat(refired.alerts().get(0).endsAt).isNull();
    }

    @Test
    void alertsMissingFromANotificationAreKept() {
        AlertMerge.Result both = AlertMerge.merge(List.of(), parse("mixed.json").alerts());
        WebhookAlert onlyOne = parse("mixed.json").alerts().get(0);
        AlertMerge.Result result = AlertMerge.merge(both.alerts(), List.of(onlyOne));
        assertThat(result.alerts()).extracting(a -> a.fingerprint).containsExactly("f1", "f2");
        assertThat(result.changed()).isFalse();
    }

    @Test
    void theListIsBoundedDroppingTheOldestResolvedFirst() {
        List<AlertRecord> existing = new ArrayList<>();
        for (int i = 0; i < AlertMerge.LIMIT; i++) {
            AlertRecord r = new AlertRecord();
            r.fingerprint = "x" + i;
            r.state = i == 5 ? AlertState.Resolved : AlertState.Firing;
            r.labels = Map.of();
            existing.add(r);
        }
        AlertMerge.Result result = AlertMerge.merge(existing, parse("firing.json").alerts());
        assertThat(result.alerts()).hasSize(AlertMerge.LIMIT);
        assertThat(result.alerts()).extracting(a -> a.fingerprint).doesNotContain("x5").contains("a1b2c3d4e5f60718");
    }
}
