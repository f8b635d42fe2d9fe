package dev.firebreak.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election through a Lease, so that two replicas can run and only one acts. The operator SDK activates it in
 * the prod profile (not in dev or test). Without a configured namespace the Lease goes to the namespace of the
 * client's context: the pod's own namespace in a cluster.
 */
public class LeaderElection {
    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "firebreak.leader-election.lease-name", defaultValue = "firebreak-leader") String name,
            @ConfigProperty(name = "firebreak.leader-election.lease-namespace") Optional<String> namespace) {
        return new LeaderElectionConfiguration(name, namespace.filter(s -> !s.isBlank()).orElse(null));
    }
}
