package dev.firebreak.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Leader election through a Lease, so that two replicas can run and only one acts. The operator SDK activates it in
 * the prod profile (not in dev or test).
 */
public class LeaderElection {
    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(FirebreakConfig config) {
        var election = config.leaderElection();
        String identity = election.identity().or(() -> Optional.ofNullable(System.getenv("HOSTNAME")))
                .filter(s -> !s.isBlank()).orElse(null);
        return new LeaderElectionConfiguration(election.leaseName(),
                election.leaseNamespace().filter(s -> !s.isBlank()).orElse(null), identity);
    }
}
