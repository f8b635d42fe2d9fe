package dev.firebreak.review;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.Incident;
import dev.firebreak.api.v1alpha1.IncidentStatus;
import dev.firebreak.api.v1alpha1.PostIncidentReview;
import dev.firebreak.api.v1alpha1.PostIncidentReviewStatus;
import dev.firebreak.api.v1alpha1.Severity;
import dev.firebreak.api.v1alpha1.spec.ActionItem;
import dev.firebreak.api.v1alpha1.status.NotificationResult;
import dev.firebreak.api.v1alpha1.status.Phase;
import dev.firebreak.testing.HttpReceiver;
import dev.firebreak.testing.KubectlFirebreak;
import dev.firebreak.testing.MovableClock;
import dev.firebreak.testing.RealApiServer;
import dev.firebreak.testing.SmtpServer;
import dev.firebreak.testing.WebhookCredentials;
import dev.firebreak.testing.Yaml;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Post-incident reviews on a real API server (tier 2): a resolved High incident gets exactly one review with its facts, a Low
 * one none (unless asked for); human edits survive; overdue action items are counted and reminded through the
 * incident's channel at most daily; the review and its Markdown survive the incident's deletion.
 */
@QuarkusTest
@WithTestResource(RealApiServer.class)
@QuarkusTestResource(value = SmtpServer.class, restrictToAnnotatedClass = false)
class ReviewOperatorTest {
    static final String NS = "reviews";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String TOKEN = WebhookCredentials.TOKEN;
    /** Tokens the API server issued (see {@link #people}): alice may get reviews in NS, mallory nothing. */
    static String alice;

    static String mallory;

    static HttpReceiver receiver;

    @Inject
    KubernetesClient client;

    @Inject
    MovableClock clock;

    @BeforeAll
    static void receivers() throws Exception {
        receiver = new HttpReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    void namespace() {
        if (client.namespaces().withName(NS).get() != null) {
            return;
        }
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .create();
        WebhookCredentials.store(client);
        client.resources(EscalationPolicy.class)
                .inNamespace(NS)
                .resource(Yaml.read("""
                apiVersion: firebreak.dev/v1alpha1
                kind: EscalationPolicy
                metadata: {name: team}
                spec:
                  levels:
                  - targets:
                    - webhook: {url: "%s"}
                """.formatted(receiver.url("/team")), EscalationPolicy.class))
                .create();
    }

    /**
     * Hostile paths: each answered 400 naming the parameter, before any credential is checked or anything reaches the
     * API client; never 500.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "UPPER/x.md | namespace",
                "a_b/x.md | namespace",
                "-lead/x.md | namespace",
                "ns%00/x.md | namespace",
                "caf%C3%A9/x.md | namespace",
                "reviews/UPPER.md | name",
                "reviews/a%2Fb.md | name",
                "reviews/..md | name",
                "reviews/x%20y.md | name",
                "reviews/x%0D%0AX-Injected:%201.md | name",
                "reviews/%E2%80%AEevil.md | name"
            })
    void hostileReviewPathsAreRefusedNamingTheParameter(String path, String field) {
        given().urlEncodingEnabled(false)
                .header("Authorization", "Bearer " + alice)
                .get("/api/v1/reviews/" + path)
                .then()
                .statusCode(400)
                .body("error", org.hamcrest.Matchers.startsWith(field + ": "));
    }

    @Test
    void overlongNamesAndDotSegmentsAreRefused() {
        // The HTTP layer resolves dot segments before routing: another path, answered 404, and no review.
        given().urlEncodingEnabled(false)
                .header("Authorization", "Bearer " + alice)
                .get("/api/v1/reviews/%2e%2e/" + NS + "/x.md")
                .then()
                .statusCode(Matchers.anyOf(Matchers.is(400), Matchers.is(404)));
        given().header("Authorization", "Bearer " + alice)
                .get("/api/v1/reviews/" + "n".repeat(64) + "/x.md")
                .then()
                .statusCode(400)
                .body("error", org.hamcrest.Matchers.startsWith("namespace: "));
        given().header("Authorization", "Bearer " + alice)
                .get("/api/v1/reviews/" + NS + "/" + "n".repeat(254) + ".md")
                .then()
                .statusCode(400)
                .body("error", org.hamcrest.Matchers.startsWith("name: "));
    }

    /**
     * Two people as the real API server knows them: ServiceAccounts alice (a Role lets her get reviews in NS) and
     * mallory (nothing), with tokens the API server issued (TokenRequest), so that the export endpoint's
     * TokenReview and SubjectAccessReview are answered by kube-apiserver's own authentication and RBAC.
     */
    void people() {
        namespace();
        if (alice != null) {
            return;
        }
        client.rbac()
                .roles()
                .inNamespace(NS)
                .resource(new RoleBuilder()
                        .withNewMetadata()
                        .withName("review-reader")
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("firebreak.dev")
                        .withResources("postincidentreviews")
                        .withVerbs("get")
                        .endRule()
                        .build())
                .create();
        client.rbac()
                .roleBindings()
                .inNamespace(NS)
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("alice-reads-reviews")
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", "review-reader")
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName("alice")
                        .withNamespace(NS)
                        .endSubject()
                        .build())
                .create();
        alice = token("alice");
        mallory = token("mallory");
    }

    private String token(String person) {
        client.serviceAccounts()
                .inNamespace(NS)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(person)
                        .endMetadata()
                        .build())
                .create();
        return client.serviceAccounts()
                .inNamespace(NS)
                .withName(person)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
    }

    Incident declare(String name, Severity severity) {
        return declare(name, severity, "acknowledgedBy: alice");
    }

    /** An incident nobody acknowledged pages the team's webhook at once. */
    Incident declare(String name, Severity severity, String more) {
        namespace();
        return client.resources(Incident.class)
                .inNamespace(NS)
                .resource(Yaml.read("""
                apiVersion: firebreak.dev/v1alpha1
                kind: Incident
                metadata: {name: %s}
                spec: {title: "Search is down", severity: %s, %s}
                """.formatted(name, severity, more), Incident.class))
                .create();
    }

    void resolve(String name) {
        KubectlFirebreak.against(client, NS, "resolve", name, "--by", "alice", "--note", "reindexed");
    }

    @Test
    void aResolvedHighIncidentGetsExactlyOneReviewWithItsFacts() {
        Incident incident = declare("search-down", Severity.High);
        awaitIncident("search-down", s -> s.phase == Phase.Acknowledged);
        resolve("search-down");
        IncidentStatus resolved = awaitIncident("search-down", s -> s.postIncidentReviewRef != null);
        assertThat(resolved.postIncidentReviewRef.name).isEqualTo("search-down");
        assertThat(resolved.timeline)
                .extracting(e -> e.message)
                .contains("post-incident review search-down drafted (severity High reaches the review threshold High)");

        PostIncidentReview review = awaitReview("search-down", s -> s.prefilledAt != null && s.documentHash != null);
        assertThat(client.resources(PostIncidentReview.class)
                        .inNamespace(NS)
                        .list()
                        .getItems())
                .filteredOn(r -> r.getSpec().incidentRef.name.equals("search-down"))
                .hasSize(1);
        PostIncidentReviewStatus facts = review.getStatus();
        assertThat(facts.incidentUID).isEqualTo(incident.getMetadata().getUid());
        assertThat(facts.severity).isEqualTo(Severity.High);
        assertThat(facts.detectionTime).isNotNull();
        assertThat(facts.resolutionTime).isEqualTo(resolved.resolvedAt);
        assertThat(facts.timeline).extracting(e -> e.message).contains("acknowledged by alice");
        assertThat(review.getSpec().rootCause).isEqualTo("To be determined");
        assertThat(review.getSpec().actionsTaken).contains("acknowledged by alice", "resolved by alice (reindexed)");
        assertThat(review.getSpec().state.name()).isEqualTo("Draft");

        ConfigMap document = client.configMaps()
                .inNamespace(NS)
                .withName("search-down-review")
                .get();
        assertThat(document.getMetadata().getOwnerReferences())
                .extracting(o -> o.getKind() + "/" + o.getName())
                .containsExactly("PostIncidentReview/search-down");
        String markdown = document.getData().get("review.md");
        assertThat(markdown)
                .startsWith("# Post-incident review: Search is down")
                .contains("## Root Cause", "To be determined", "## Lessons Learned", "## Improvement Plan");
        people();
        assertThat(given().header("Authorization", "Bearer " + alice)
                        .get("/api/v1/reviews/" + NS + "/search-down.md")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .isEqualTo(markdown);
        given().get("/api/v1/reviews/" + NS + "/search-down.md").then().statusCode(401);
        // The Alertmanager credential reads no review.
        given().header("Authorization", "Bearer " + TOKEN)
                .get("/api/v1/reviews/" + NS + "/search-down.md")
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + mallory)
                .get("/api/v1/reviews/" + NS + "/search-down.md")
                .then()
                .statusCode(403);
        given().header("Authorization", "Bearer " + alice)
                .get("/api/v1/reviews/" + NS + "/nope.md")
                .then()
                .statusCode(404);
        assertThat(KubectlFirebreak.against(client, NS, "review", "export", "search-down"))
                .isEqualTo(markdown);

        // Creating it again is a no-op.
        assertThat(KubectlFirebreak.against(client, NS, "review", "search-down"))
                .contains("already exists");
    }

    @Test
    void aDeletedDocumentIsWrittenAgainAtOnce() {
        declare("queue-down", Severity.High);
        awaitIncident("queue-down", s -> s.phase == Phase.Acknowledged);
        resolve("queue-down");
        PostIncidentReview review = awaitReview("queue-down", s -> s.documentHash != null);
        var documents = client.configMaps().inNamespace(NS).withName("queue-down-review");
        ConfigMap first = documents.get();
        assertThat(first.getMetadata().getLabels()).containsEntry("firebreak.dev/review", "queue-down");
        // Controller, and no blockOwnerDeletion: that would need delete on the review where
        // OwnerReferencesPermissionEnforcement is on (OpenShift).
        assertThat(first.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getUid()).isEqualTo(review.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
            assertThat(o.getBlockOwnerDeletion()).isNotEqualTo(Boolean.TRUE);
        });
        String markdown = first.getData().get("review.md");

        documents.delete();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> documents.get() != null
                        && !documents
                                .get()
                                .getMetadata()
                                .getUid()
                                .equals(first.getMetadata().getUid()));
        assertThat(documents.get().getData()).containsEntry("review.md", markdown);
        // The review's status is unchanged: same document, same hash.
        assertThat(awaitReview("queue-down", s -> true).getStatus().documentHash)
                .isEqualTo(review.getStatus().documentHash);
    }

    @Test
    void aLowIncidentGetsNoReviewUnlessAskedFor() {
        declare("typo-on-faq", Severity.Low);
        awaitIncident("typo-on-faq", s -> s.phase == Phase.Acknowledged);
        resolve("typo-on-faq");
        awaitIncident("typo-on-faq", s -> s.phase == Phase.Resolved);
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> client.resources(PostIncidentReview.class)
                                .inNamespace(NS)
                                .withName("typo-on-faq")
                                .get()
                        == null);

        KubectlFirebreak.against(client, NS, "review", "typo-on-faq");
        awaitReview("typo-on-faq", s -> s.prefilledAt != null);
        awaitIncident(
                "typo-on-faq",
                s -> s.postIncidentReviewRef != null && s.postIncidentReviewRef.name.equals("typo-on-faq"));
    }

    @Test
    void humanEditsSurviveAndOverdueItemsAreRemindedAtMostDaily() {
        declare("cart-errors", Severity.Critical, "drill: false");
        awaitIncident(
                "cart-errors",
                s -> s.escalation != null
                        && s.escalation.notifications.stream().anyMatch(r -> r.result == NotificationResult.Sent));
        resolve("cart-errors");
        awaitReview("cart-errors", s -> s.prefilledAt != null);

        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        editAsAHuman("cart-errors", r -> {
            r.getSpec().rootCause = "A feature flag sent all carts to the new pricing service";
            r.getSpec().lessonsLearned = "Flags need a kill switch";
            ActionItem item = new ActionItem();
            item.description = "Add a kill switch to pricing flags";
            item.owner = "bob";
            item.dueDate = yesterday;
            r.getSpec().improvementPlan.add(item);
            return r;
        });
        PostIncidentReview overdue = awaitReview(
                "cart-errors", s -> s.actionItems != null && s.actionItems.overdue == 1 && s.lastReminderAt != null);
        assertThat(overdue.getSpec().rootCause).isEqualTo("A feature flag sent all carts to the new pricing service");
        await().atMost(WAIT).until(() -> reminders().size() == 1);
        assertThat(reminders().get(0)).contains("Add a kill switch to pricing flags", "(bob) due " + yesterday);
        await().atMost(WAIT)
                .until(() -> events("cart-errors").stream()
                        .anyMatch(e -> e.getReason().equals("ActionItemsOverdue")));

        // More reconciles the same day: no second reminder, and the human's text stays.
        touch("cart-errors", "Flags need a kill switch and an owner");
        awaitReview("cart-errors", s -> true);
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> reminders().size() == 1);
        assertThat(client.resources(PostIncidentReview.class)
                        .inNamespace(NS)
                        .withName("cart-errors")
                        .get()
                        .getSpec()
                        .rootCause)
                .isEqualTo("A feature flag sent all carts to the new pricing service");

        // A day later: reminded again.
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        touch("cart-errors", "Flags need a kill switch, an owner and a review date");
        await().atMost(WAIT).until(() -> reminders().size() == 2);
        RestAssured.get("/q/metrics").then().statusCode(200);
        assertThat(RestAssured.get("/q/metrics").asString())
                .containsPattern("firebreak_review_action_items\\{state=\"overdue\"} [1-9]")
                .containsPattern("firebreak_reviews\\{state=\"Draft\"} [1-9]");
    }

    @Test
    void theReviewSurvivesTheIncidentsDeletion() {
        declare("dns-outage", Severity.Critical);
        awaitIncident("dns-outage", s -> s.phase == Phase.Acknowledged);
        resolve("dns-outage");
        PostIncidentReview before = awaitReview("dns-outage", s -> s.documentHash != null && s.prefilledAt != null);
        client.resources(Incident.class).inNamespace(NS).withName("dns-outage").delete();
        await().atMost(WAIT)
                .until(() -> client.resources(Incident.class)
                                .inNamespace(NS)
                                .withName("dns-outage")
                                .get()
                        == null);
        touch("dns-outage", "DNS TTLs were too long");
        PostIncidentReview after =
                awaitReview("dns-outage", s -> s.observedGeneration != null && s.observedGeneration >= 3);
        assertThat(after.getStatus().incidentUID).isEqualTo(before.getStatus().incidentUID);
        assertThat(after.getStatus().timeline).hasSameSizeAs(before.getStatus().timeline);
        assertThat(after.getStatus().conditions).anySatisfy(c -> {
            assertThat(c.type).isEqualTo("Ready");
            assertThat(c.status.name()).isEqualTo("True");
        });
        assertThat(client.configMaps()
                        .inNamespace(NS)
                        .withName("dns-outage-review")
                        .get()
                        .getData()
                        .get("review.md"))
                .contains("DNS TTLs were too long", "Search is down");
    }

    // --- helpers ------------------------------------------------------------------------------------------

    void touch(String review, String lessons) {
        editAsAHuman(review, r -> {
            r.getSpec().lessonsLearned = lessons;
            return r;
        });
    }

    List<String> reminders() {
        return receiver.requests("/team").stream()
                .map(HttpReceiver.Request::body)
                .filter(b -> b.contains("action item") && b.contains("overdue"))
                .toList();
    }

    List<Event> events(String name) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    IncidentStatus awaitIncident(String name, Predicate<IncidentStatus> condition) {
        return await().atMost(WAIT)
                .until(
                        () -> {
                            Incident i = client.resources(Incident.class)
                                    .inNamespace(NS)
                                    .withName(name)
                                    .get();
                            return i == null ? null : i.getStatus();
                        },
                        s -> s != null && condition.test(s));
    }

    PostIncidentReview awaitReview(String name, Predicate<PostIncidentReviewStatus> condition) {
        return await().atMost(WAIT)
                .until(
                        () -> client.resources(PostIncidentReview.class)
                                .inNamespace(NS)
                                .withName(name)
                                .get(),
                        r -> r != null && r.getStatus() != null && condition.test(r.getStatus()));
    }

    /**
     * A human's edit, which 'kubectl edit' makes as a read then an update under the version read: when the operator
     * wrote the review in between, the API server answers 409 and the human edits again.
     */
    private void editAsAHuman(String name, UnaryOperator<PostIncidentReview> change) {
        await().atMost(WAIT)
                .ignoreExceptionsInstanceOf(KubernetesClientException.class)
                .until(() -> {
                    client.resources(PostIncidentReview.class)
                            .inNamespace(NS)
                            .withName(name)
                            .edit(change);
                    return true;
                });
    }
}
