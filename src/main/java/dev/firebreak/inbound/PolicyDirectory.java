package dev.firebreak.inbound;

import dev.firebreak.api.v1alpha1.EscalationPolicy;
import dev.firebreak.api.v1alpha1.OnCallSchedule;
import dev.firebreak.api.v1alpha1.Person;
import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.kubeapi.Clients;
import dev.firebreak.kubeapi.PrimaryCaches;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What an inbound endpoint needs from the EscalationPolicy its URL names, read from the controllers' caches: the
 * targets of one tool (whose Secrets authenticate the request) and the people the policy reaches (to map the actor
 * to a name Firebreak knows).
 */
@ApplicationScoped
public class PolicyDirectory {
    private final PrimaryCaches caches;
    private final KubernetesClient client;

    public PolicyDirectory(PrimaryCaches caches, KubernetesClient client) {
        this.caches = caches;
        this.client = Clients.withoutRetries(client);
    }

    public Optional<EscalationPolicy> policy(String namespace, String name) {
        return caches.get(
                EscalationPolicy.class,
                new ResourceID(name, namespace),
                () -> client.resources(EscalationPolicy.class)
                        .inNamespace(namespace)
                        .withName(name)
                        .get());
    }

    /** Every target of the policy, in order. */
    public static Stream<EscalationTarget> targets(EscalationPolicy policy) {
        if (policy.getSpec() == null || policy.getSpec().levels == null) {
            return Stream.empty();
        }
        return policy.getSpec().levels.stream().filter(l -> l.targets != null).flatMap(l -> l.targets.stream());
    }

    /** The people the policy names or reaches through its schedules (participants and overrides). */
    public List<Person> people(EscalationPolicy policy) {
        String namespace = policy.getMetadata().getNamespace();
        List<Person> people = new ArrayList<>();
        targets(policy).forEach(t -> {
            if (t.person != null) {
                people.add(t.person);
            }
            if (t.onCallSchedule != null && t.onCallSchedule.name != null) {
                caches.get(OnCallSchedule.class, new ResourceID(t.onCallSchedule.name, namespace), () -> null)
                        .filter(s -> s.getSpec() != null)
                        .ifPresent(s -> {
                            s.getSpec().layers.forEach(l -> people.addAll(l.participants));
                            s.getSpec().overrides.stream()
                                    .filter(o -> o.who != null)
                                    .forEach(o -> people.add(o.who));
                        });
            }
        });
        return people;
    }
}
