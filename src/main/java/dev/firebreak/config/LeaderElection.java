package dev.firebreak.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Leader election through a Lease, so that two replicas can run and only one acts. The operator SDK activates it in
 * the prod profile (not in dev or test).
 */
public class LeaderElection {
    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(FirebreakConfig config) {
        return new LeaderElectionConfiguration(config.leaderElection().leaseName(),
                config.leaderElection().leaseNamespace().filter(s -> !s.isBlank()).orElse(null));
    }
}
