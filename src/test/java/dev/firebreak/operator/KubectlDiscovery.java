package dev.firebreak.operator;

import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.function.Consumer;

/**
 * The mock API server keeps objects (CRUD mode) but does not advertise custom resources in API discovery, which
 * kubectl needs to map a kind to its resource. This setup answers kubectl's aggregated discovery of /apis with
 * firebreak.dev/v1alpha1.
 */
public class KubectlDiscovery implements Consumer<KubernetesServer> {
    private static final String CONTENT_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    @Override
    public void accept(KubernetesServer server) {
        StringBuilder resources = new StringBuilder();
        StringBuilder legacy = new StringBuilder();
        for (String[] kind : new String[][] {
            {"incidents", "incident", "Incident", "inc"},
            {"escalationpolicies", "escalationpolicy", "EscalationPolicy", "escpol"},
            {"oncallschedules", "oncallschedule", "OnCallSchedule", "oncall"},
            {"postincidentreviews", "postincidentreview", "PostIncidentReview", "pir"}
        }) {
            resources.append(resources.isEmpty() ? "" : ",").append("""
                    {"resource":"%s","singularResource":"%s","scope":"Namespaced","shortNames":["%s"],
                     "responseKind":{"group":"firebreak.dev","version":"v1alpha1","kind":"%s"},
                     "verbs":["create","delete","get","list","patch","update","watch"],
                     "subresources":[{"subresource":"status","responseKind":{"group":"firebreak.dev","version":"v1alpha1","kind":"%s"},"verbs":["get","patch","update"]}]}""".formatted(
                            kind[0], kind[1], kind[3], kind[2], kind[2]));
            legacy.append(legacy.isEmpty() ? "" : ",")
                    .append("""
                    {"name":"%s","singularName":"%s","namespaced":true,"kind":"%s","shortNames":["%s"],
                     "verbs":["create","delete","get","list","patch","update","watch"]},
                    {"name":"%s/status","singularName":"","namespaced":true,"kind":"%s","verbs":["get","patch","update"]}""".formatted(kind[0], kind[1], kind[2], kind[3], kind[0], kind[2]));
        }
        String resourceList = """
                {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"firebreak.dev/v1alpha1","resources":[%s]}""".formatted(legacy);
        for (String path : new String[] {"/apis/firebreak.dev/v1alpha1", "/apis/firebreak.dev/v1alpha1?timeout=32s"}) {
            server.expect().get().withPath(path).andReturn(200, resourceList).always();
        }
        String body = """
                {"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[
                 {"metadata":{"name":"firebreak.dev"},"versions":[{"version":"v1alpha1","freshness":"Current","resources":[%s]}]}]}""".formatted(resources);
        // kubectl asks with a timeout parameter, which expectations match literally.
        serve(server, new String[] {"/apis", "/apis?timeout=32s"}, body);
        // The core group, for the ConfigMaps 'kubectl firebreak review export' reads.
        String core = """
                {"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[
                 {"metadata":{},"versions":[{"version":"v1","freshness":"Current","resources":[
                  {"resource":"configmaps","singularResource":"configmap","scope":"Namespaced","shortNames":["cm"],
                   "responseKind":{"group":"","version":"v1","kind":"ConfigMap"},
                   "verbs":["create","delete","get","list","patch","update","watch"]}]}]}]}""";
        serve(server, new String[] {"/api", "/api?timeout=32s"}, core);
        String coreList = """
                {"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"configmaps","singularName":"configmap",
                 "namespaced":true,"kind":"ConfigMap","shortNames":["cm"],"verbs":["create","delete","get","list","patch","update","watch"]}]}""";
        for (String path : new String[] {"/api/v1", "/api/v1?timeout=32s"}) {
            server.expect().get().withPath(path).andReturn(200, coreList).always();
        }
    }

    private static void serve(KubernetesServer server, String[] paths, String body) {
        for (String path : paths) {
            server.expect()
                    .get()
                    .withPath(path)
                    .andReply(new ResponseProvider<>() {
                        private Headers headers = Headers.builder()
                                .add("Content-Type", CONTENT_TYPE)
                                .build();

                        @Override
                        public Object getBody(RecordedRequest request) {
                            return body;
                        }

                        @Override
                        public int getStatusCode(RecordedRequest request) {
                            return 200;
                        }

                        @Override
                        public Headers getHeaders() {
                            return headers;
                        }

                        @Override
                        public void setHeaders(Headers headers) {
                            this.headers = headers;
                        }
                    })
                    .always();
        }
    }
}
