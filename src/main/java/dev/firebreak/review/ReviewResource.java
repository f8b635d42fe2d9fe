package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.intake.WebhookAuth;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 * ConfigMap. Protected by the same credentials as the Alertmanager webhook (firebreak.webhook.auth): reviews can
 * hold details of an outage.
 */
@Path("/api/v1/reviews")
public class ReviewResource {
    private final KubernetesClient client;
    private final WebhookAuth auth;

    public ReviewResource(KubernetesClient client, WebhookAuth auth) {
        this.client = client;
        this.auth = auth;
    }

    @GET
    @Path("/{namespace}/{name}.md")
    @Produces({"text/markdown; charset=UTF-8", MediaType.APPLICATION_JSON})
    public Response markdown(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("namespace") String namespace, @PathParam("name") String name) {
        switch (auth.check(authorization)) {
            case REFUSED -> {
                return Response.status(Response.Status.UNAUTHORIZED)
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"firebreak\"")
                        .type(MediaType.APPLICATION_JSON).entity(Map.of("error", "missing or wrong credentials"))
                        .build();
            }
            case UNAVAILABLE -> {
                return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                        .entity(Map.of("error", "credentials cannot be checked now")).build();
            }
            default -> {
            }
        }
        PostIncidentReview review = client.resources(PostIncidentReview.class).inNamespace(namespace).withName(name)
                .get();
        if (review == null) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "PostIncidentReview " + namespace + "/" + name + " not found")).build();
        }
        return Response.ok(ReviewDocument.render(review), "text/markdown; charset=UTF-8").build();
    }
}
