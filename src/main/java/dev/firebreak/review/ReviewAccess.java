package dev.firebreak.review;

import dev.firebreak.api.v1alpha1.ApiGroup;
import dev.firebreak.kubeapi.Clients;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may read a review over HTTP: whoever Kubernetes says may {@code get} that PostIncidentReview. The caller sends a
 * Kubernetes bearer token (a user's, e.g. {@code kubectl create token}, or a ServiceAccount's); the API server
 * authenticates it (TokenReview) and authorizes the read (SubjectAccessReview on {@code postincidentreviews}, in that
 * namespace, for that name), as {@code kubectl get} would be. So the namespace's RBAC decides, not a credential shared
 * with Alertmanager. Answers are kept 30 s per token, namespace and name (at most 1,024), so a page reload costs no API
 * request; a revoked grant stops working within that time.
 */
@ApplicationScoped
public class ReviewAccess {
    /** The outcome of a check. */
    public enum Verdict {
        ALLOWED,
        /** No bearer token, or one the API server does not accept: 401. */
        UNAUTHENTICATED,
        /** A valid token without the right to get this review: 403. */
        FORBIDDEN,
        /** The API server could not be asked: 503, retry. */
        UNAVAILABLE
    }

    static final Duration TTL = Duration.ofSeconds(30);
    private static final int CACHED = 1024;
    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Cached> answers = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHED;
        }
    };

    private record Cached(Verdict verdict, Instant until) {}

    public ReviewAccess(KubernetesClient client, Clock clock) {
        // A caller waits on these requests: answer 503 at once rather than after the client's ten retries.
        this.client = Clients.withoutRetries(client);
        this.clock = clock;
    }

    /** Asks the API server (or the last 30 s of its answers) whether {@code authorization} may get the review. */
    public Verdict check(String authorization, String namespace, String name) {
        if (authorization == null
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            return Verdict.UNAUTHENTICATED;
        }
        String token = authorization.substring(7).strip();
        String key = sha256(token) + "/" + namespace + "/" + name;
        Instant now = clock.instant();
        synchronized (answers) {
            Cached cached = answers.get(key);
            if (cached != null && cached.until().isAfter(now)) {
                return cached.verdict();
            }
        }
        Verdict verdict = ask(token, namespace, name);
        if (verdict != Verdict.UNAVAILABLE) {
            synchronized (answers) {
                answers.put(key, new Cached(verdict, now.plus(TTL)));
            }
        }
        return verdict;
    }

    private Verdict ask(String token, String namespace, String name) {
        try {
            TokenReview review = client.resource(new TokenReviewBuilder()
                            .withNewSpec()
                            .withToken(token)
                            .endSpec()
                            .build())
                    .create();
            if (review.getStatus() == null
                    || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())
                    || review.getStatus().getUser() == null) {
                return Verdict.UNAUTHENTICATED;
            }
            UserInfo user = review.getStatus().getUser();
            SubjectAccessReview access = client.resource(new SubjectAccessReviewBuilder()
                            .withNewSpec()
                            .withUser(user.getUsername())
                            .withGroups(user.getGroups())
                            .withUid(user.getUid())
                            .withExtra(user.getExtra() == null ? Map.of() : user.getExtra())
                            .withNewResourceAttributes()
                            .withGroup(ApiGroup.GROUP)
                            .withResource("postincidentreviews")
                            .withVerb("get")
                            .withNamespace(namespace)
                            .withName(name)
                            .endResourceAttributes()
                            .endSpec()
                            .build())
                    .create();
            return access.getStatus() != null
                            && Boolean.TRUE.equals(access.getStatus().getAllowed())
                    ? Verdict.ALLOWED
                    : Verdict.FORBIDDEN;
        } catch (KubernetesClientException e) {
            return Verdict.UNAVAILABLE;
        }
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
