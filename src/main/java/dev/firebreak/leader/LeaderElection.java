package dev.firebreak.leader;

import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.notify.Dispatcher;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.jboss.logging.Logger;

/**
 * Leader election through a Lease, so that two replicas can run and only one acts (the operator SDK activates it in
 * the prod profile, not in dev or test), and the shutdown around it.
 * <p>
 * The SDK's own handling of a lost Lease is {@code System.exit(1)} from its stop-leading callback, which its shutdown
 * (in the JVM's shutdown hook) also calls: the exit then waits for the hook that is calling it, and the process hangs
 * until it is killed (java-operator-sdk #1614, #2496, #3376; fixed upstream by #3383, in no release served here). So
 * the SDK is told not to exit, and this class does instead, only when the Lease is lost while running. On SIGTERM:
 * <ol>
 * <li>(before the SDK stops) the dispatcher takes no new deliveries and waits, at most {@value #DRAIN_SECONDS} s, for
 * those in flight and for their outcomes to be written to the incidents' status;
 * <li>the SDK stops its controllers (no reconcile runs after this) and its leader elector;
 * <li>(after it stopped) the Lease is released (holder cleared, as client-go's ReleaseOnCancel does), so that the
 * standby takes over at its next retry, within {@code retry-period}, instead of waiting for the Lease to expire.
 * </ol>
 */
@ApplicationScoped
public class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);
    static final int DRAIN_SECONDS = 3;
    /** Well past an orderly exit (drain, then the SDK's stop) and within the Lease's duration (15 s). */
    static final Duration HALT_AFTER = Duration.ofSeconds(12);

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final FirebreakConfig config;
    private final String identity;

    public LeaderElection(FirebreakConfig config) {
        this.config = config;
        this.identity = config.leaderElection()
                .identity()
                .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")))
                .filter(s -> !s.isBlank())
                .orElseGet(() -> UUID.randomUUID().toString());
    }

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection() {
        var election = config.leaderElection();
        return new LeaderElectionConfiguration(
                election.leaseName(),
                election.leaseNamespace().filter(s -> !s.isBlank()).orElse(null),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                election.retryPeriod(),
                identity,
                new LeaderCallbacks(this::startedLeading, this::stoppedLeading, leader -> {}),
                false);
    }

    private void startedLeading() {
        LOG.infof("leading as %s (Lease %s)", identity, config.leaderElection().leaseName());
    }

    /**
     * The Lease was lost: while running, another replica may already act, so this one must not; it exits (from its
     * own thread: never the calling one, which the SDK's shutdown may be waiting for) and Kubernetes restarts it as a
     * standby. During shutdown this is the SDK stopping its elector, and nothing is to be done.
     */
    private void stoppedLeading() {
        if (stopping.get()) {
            return;
        }
        LOG.errorf(
                "lost the Lease %s as %s while running: exiting, so that only the new leader acts",
                config.leaderElection().leaseName(), identity);
        Thread exit = new Thread(() -> System.exit(1), "lost-lease-exit");
        exit.setDaemon(false);
        exit.start();
        Thread halt = new Thread(() -> haltUnlessExited(HALT_AFTER, Runtime.getRuntime()::halt), "lost-lease-halt");
        halt.setDaemon(true);
        halt.start();
    }

    /**
     * The backstop of a lost Lease: if the orderly exit has not ended the process within {@code after} (a JVM spending
     * its time in garbage collection, a shutdown hook that hangs), the process is halted: no shutdown hooks, status 1.
     * A replica that no longer leads must stop acting even when it cannot stop in order (measured: a heap-starved
     * first start went on reconciling for 7 minutes after "exiting", docs/benchmarks.md, Footprint).
     */
    static void haltUnlessExited(Duration after, IntConsumer halt) {
        try {
            Thread.sleep(after.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        LOG.errorf("the orderly exit after the lost Lease did not finish within %d s: halting", after.toSeconds());
        halt.accept(1);
    }

    /**
     * SIGTERM is how Kubernetes asks a pod to stop: answered by an orderly exit with status 0 (the JVM's default
     * would run the same shutdown, then report 143, "killed by a signal"). Prod only: dev and test own their signals.
     */
    void onStart(@Observes StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
            if (stopping.compareAndSet(false, true)) {
                Thread exit = new Thread(() -> System.exit(0), "sigterm-exit");
                exit.start();
            }
        });
    }

    /** Step 1, before the operator SDK's own shutdown observer (which has the default priority). */
    void beforeStop(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event, Dispatcher dispatcher) {
        stopping.set(true);
        long start = System.nanoTime();
        int left = dispatcher.drain(Duration.ofSeconds(DRAIN_SECONDS));
        LOG.infof(
                "shutting down: %s in %d ms",
                left == 0
                        ? "every delivery in flight finished and was recorded"
                        : left + " deliveries still in flight (left Pending; the next leader sends them again)",
                (System.nanoTime() - start) / 1_000_000);
    }

    /** Step 3, after the operator SDK stopped. */
    void afterStop(
            @Observes @Priority(Interceptor.Priority.APPLICATION + 1000) ShutdownEvent event,
            KubernetesClient injected) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return; // no leader election in dev and test
        }
        String name = config.leaderElection().leaseName();
        // The SDK may have closed its client on stop: a short-lived one for this single request.
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(injected.getConfiguration())
                .build()) {
            String namespace = config.leaderElection()
                    .leaseNamespace()
                    .filter(s -> !s.isBlank())
                    .orElse(client.getNamespace());
            Lease lease = namespace == null
                    ? null
                    : client.leases().inNamespace(namespace).withName(name).get();
            if (lease == null
                    || lease.getSpec() == null
                    || !identity.equals(lease.getSpec().getHolderIdentity())) {
                return;
            }
            lease.getSpec().setHolderIdentity("");
            lease.getSpec().setLeaseDurationSeconds(1);
            client.resource(lease).update();
            LOG.infof("released the Lease %s/%s", namespace, name);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "could not release the Lease %s (the standby takes over when it expires): %s",
                    name, e.getMessage());
        }
    }
}
