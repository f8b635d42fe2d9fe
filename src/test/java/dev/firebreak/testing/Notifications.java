package dev.firebreak.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Alertmanager webhook notifications (payload version 4) as Alertmanager 0.25 writes them, field order included
 * (alerts come before version and groupKey). {@link #realistic} alerts look like kube-prometheus' (about 1.2 KB each,
 * a generatorURL full of {@code &}), so that 10,000 of them weigh what a real group of that size weighs.
 */
public final class Notifications {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Instant STARTS_AT = Instant.parse("2026-11-30T09:00:00Z");

    private final ObjectNode root = JSON.createObjectNode();
    private final ArrayNode alerts;
    private final ObjectNode tail = JSON.createObjectNode();

    private Notifications(String receiver, String groupKey, String alertname, String namespace) {
        root.put("receiver", receiver).put("status", "firing");
        alerts = root.putArray("alerts");
        ObjectNode group = root.putObject("groupLabels").put("alertname", alertname);
        ObjectNode common =
                root.putObject("commonLabels").put("alertname", alertname).put("severity", "critical");
        if (namespace != null) {
            group.put("namespace", namespace);
            common.put("namespace", namespace);
        }
        root.putObject("commonAnnotations").put("summary", alertname + " in " + namespace);
        root.put("externalURL", "http://alertmanager.monitoring.svc:9093");
        tail.put("version", "4").put("groupKey", groupKey).put("truncatedAlerts", 0);
    }

    /** A group whose groupKey is derived from alertname and namespace, as Alertmanager's default route makes it. */
    public static Notifications group(String receiver, String alertname, String namespace) {
        return new Notifications(
                receiver,
                "{}:{alertname=\"" + alertname + "\", namespace=\"" + namespace + "\"}",
                alertname,
                namespace);
    }

    public Notifications groupKey(String groupKey) {
        tail.put("groupKey", groupKey);
        return this;
    }

    public Notifications status(String status) {
        root.put("status", status);
        return this;
    }

    public Notifications truncated(int n) {
        tail.put("truncatedAlerts", n);
        return this;
    }

    public Notifications commonLabel(String key, String value) {
        ((ObjectNode) root.get("commonLabels")).put(key, value);
        return this;
    }

    public Notifications groupLabel(String key, String value) {
        ((ObjectNode) root.get("groupLabels")).put(key, value);
        return this;
    }

    public Notifications commonAnnotation(String key, String value) {
        ((ObjectNode) root.get("commonAnnotations")).put(key, value);
        return this;
    }

    /** Alerts {@code from} to {@code to - 1}, realistic, all firing or all resolved. */
    public Notifications realistic(int from, int to, boolean firing) {
        for (int i = from; i < to; i++) {
            realistic(i, firing);
        }
        return this;
    }

    /** The {@code i}-th alert of a realistic group: a crash-looping pod of a large Deployment. */
    public Notifications realistic(int i, boolean firing) {
        String namespace = root.get("commonLabels").path("namespace").asText("default");
        String alertname = root.get("commonLabels").path("alertname").asText();
        String pod = String.format(Locale.ROOT, "checkout-7d9f8c6b5-%05d", i);
        ObjectNode labels = JSON.createObjectNode()
                .put("alertname", alertname)
                .put("container", "checkout")
                .put("endpoint", "http")
                .put("instance", String.format(Locale.ROOT, "10.244.%d.%d:8080", i / 250, i % 250))
                .put("job", "kube-state-metrics")
                .put("namespace", namespace)
                .put("pod", pod)
                .put("prometheus", "monitoring/kube-prometheus-stack-prometheus")
                .put("reason", "CrashLoopBackOff")
                .put("service", "kube-prometheus-stack-kube-state-metrics")
                .put("severity", "critical")
                .put("uid", String.format(Locale.ROOT, "3f1c2a9e-%04x-4b7d-9e2f-%012x", i % 65536, (long) i));
        ObjectNode annotations = JSON.createObjectNode()
                .put(
                        "description",
                        "Pod " + namespace + "/" + pod + " (checkout) is in waiting state (reason: "
                                + "\"CrashLoopBackOff\") for longer than 15 minutes. It restarted 17 times; the last "
                                + "termination was OOMKilled with exit code 137 & the node reported memory pressure <warn>.")
                .put("runbook_url", "https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping")
                .put("summary", "Pod is crash looping.");
        String generatorURL = "http://prometheus.monitoring.svc:9090/graph?g0.expr=max_over_time%28kube_pod_container"
                + "_status_waiting_reason%7Breason%3D%22CrashLoopBackOff%22%2Cjob%3D%22kube-state-metrics%22%2C"
                + "namespace%3D%22" + namespace + "%22%7D%5B5m%5D%29+%3E%3D+1&g0.tab=1&g0.display_mode=lines"
                + "&g0.show_exemplars=0&g0.range_input=1h";
        return alert(
                String.format(Locale.ROOT, "%016x", 0x5eed0000L + i),
                firing ? "firing" : "resolved",
                labels,
                annotations,
                STARTS_AT.plusSeconds(i % 600),
                firing ? null : STARTS_AT.plusSeconds(3600),
                generatorURL);
    }

    /** One alert as given. */
    public Notifications alert(
            String fingerprint,
            String status,
            Map<String, String> labels,
            Map<String, String> annotations,
            Instant startsAt,
            Instant endsAt) {
        return alert(
                fingerprint,
                status,
                JSON.valueToTree(labels),
                JSON.valueToTree(annotations),
                startsAt,
                endsAt,
                "http://prometheus:9090/graph?g0.expr=up&g0.tab=1");
    }

    private Notifications alert(
            String fingerprint,
            String status,
            ObjectNode labels,
            ObjectNode annotations,
            Instant startsAt,
            Instant endsAt,
            String generatorURL) {
        ObjectNode a = alerts.addObject();
        a.put("status", status);
        a.set("labels", labels);
        a.set("annotations", annotations);
        a.put("startsAt", startsAt.toString());
        a.put("endsAt", endsAt == null ? "0001-01-01T00:00:00Z" : endsAt.toString());
        a.put("generatorURL", generatorURL);
        a.put("fingerprint", fingerprint);
        return this;
    }

    /**
     * Notification of group {@code g} of the storm benchmarks (AlertStormBench, BurstBench): its first {@code alerts}
     * small alerts (labels alertname, group, instance; one annotation), all firing or all resolved, groupKey
     * {@code {}/{severity="warning"}:{alertname="StormAlert", group="g"}} and no namespace label (the incident opens
     * in the intake's default namespace). Fingerprints derive from the receiver, so each receiver has its own alerts.
     */
    public static String storm(String receiver, int g, int alerts, boolean firing, Instant startsAt) {
        ObjectNode n = JSON.createObjectNode();
        String groupKey = "{}/{severity=\"warning\"}:{alertname=\"StormAlert\", group=\"" + g + "\"}";
        n.put("version", "4")
                .put("groupKey", groupKey)
                .put("truncatedAlerts", 0)
                .put("status", firing ? "firing" : "resolved")
                .put("receiver", receiver)
                .put("externalURL", "http://alertmanager.example:9093");
        n.putObject("groupLabels").put("alertname", "StormAlert").put("group", Integer.toString(g));
        n.putObject("commonLabels").put("alertname", "StormAlert").put("group", Integer.toString(g));
        n.putObject("commonAnnotations").put("summary", "Storm group " + g);
        ArrayNode list = n.putArray("alerts");
        for (int a = 0; a < alerts; a++) {
            ObjectNode alert = list.addObject();
            alert.put("status", firing ? "firing" : "resolved");
            alert.putObject("labels")
                    .put("alertname", "StormAlert")
                    .put("group", Integer.toString(g))
                    .put("instance", "node-" + a + ":9100");
            alert.putObject("annotations").put("summary", "instance " + a);
            alert.put("startsAt", startsAt.toString());
            alert.put(
                    "endsAt",
                    firing ? "0001-01-01T00:00:00Z" : startsAt.plusSeconds(600).toString());
            alert.put("generatorURL", "http://prometheus.example:9090/graph");
            alert.put("fingerprint", String.format("%08x%08x", receiver.hashCode(), g * 1000 + a));
        }
        return n.toString();
    }

    /** The fingerprint {@link #realistic} gives alert {@code i}. */
    public static String fingerprint(int i) {
        return String.format(Locale.ROOT, "%016x", 0x5eed0000L + i);
    }

    public String json() {
        ObjectNode out = root.deepCopy();
        out.setAll(tail);
        return out.toString();
    }
}
