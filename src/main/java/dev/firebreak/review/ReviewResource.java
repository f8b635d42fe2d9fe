package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.validation.KubernetesNames;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * {@code GET /api/v1/reviews/{namespace}/{name}.md}: a review rendered as Markdown, the same document as its
 * ConfigMap. Reviews can hold details of an outage: a caller needs a Kubernetes bearer token allowed to {@code get}
 * that PostIncidentReview ({@link ReviewAccess}). Both path parameters must be Kubernetes names (400 otherwise, before
 * anything else is done with them); what does not exist is 404; the API server unreachable is 503; never 500.
 */
@Path("/api/v1/reviews")
public class ReviewResource {
    private static final String MARKDOWN = "text/markdown; charset=UTF-8";
    private final KubernetesClient client;
    private final ReviewAccess access;

    public ReviewResource(KubernetesClient client, ReviewAccess access) {
        this.client = client;
        this.access = access;
    }

    @GET
    @Path("/{namespace}/{name}.md")
    @Produces({MARKDOWN, MediaType.APPLICATION_JSON})
    public Response markdown(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("namespace") String namespace,
            @PathParam("name") String name) {
        if (!KubernetesNames.isNamespace(namespace)) {
            return error(
                    Response.Status.BAD_REQUEST,
                    "namespace: not a Kubernetes namespace name (a DNS-1123 label " + "of at most 63 characters)");
        }
        if (!KubernetesNames.isName(name)) {
            return error(
                    Response.Status.BAD_REQUEST,
                    "name: not a Kubernetes object name (a DNS-1123 subdomain of at " + "most 253 characters)");
        }
        switch (access.check(authorization, namespace, name)) {
            case UNAUTHENTICATED -> {
                return Response.fromResponse(error(
                                Response.Status.UNAUTHORIZED,
                                "a Kubernetes bearer token allowed " + "to get this PostIncidentReview is required"))
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"firebreak\"")
                        .build();
            }
            case FORBIDDEN -> {
                return error(
                        Response.Status.FORBIDDEN,
                        "this token may not get postincidentreviews." + "firebreak.dev " + name + " in namespace "
                                + namespace);
            }
            case UNAVAILABLE -> {
                return Response.fromResponse(error(
                                Response.Status.SERVICE_UNAVAILABLE, "the API server cannot check " + "the token now"))
                        .header(HttpHeaders.RETRY_AFTER, "5")
                        .build();
            }
            case ALLOWED -> {}
        }
        PostIncidentReview review;
        try {
            review = client.resources(PostIncidentReview.class)
                    .inNamespace(namespace)
                    .withName(name)
                    .get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return error(
                        Response.Status.NOT_FOUND,
                        "PostIncidentReview " + namespace + "/" + name
                                + " not found (Firebreak does not watch that namespace)");
            }
            return Response.fromResponse(
                            error(Response.Status.SERVICE_UNAVAILABLE, "the API server cannot be read " + "now"))
                    .header(HttpHeaders.RETRY_AFTER, "5")
                    .build();
        }
        if (review == null) {
            return error(Response.Status.NOT_FOUND, "PostIncidentReview " + namespace + "/" + name + " not found");
        }
        return Response.ok(ReviewDocument.render(review), MARKDOWN).build();
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message))
                .build();
    }
}
