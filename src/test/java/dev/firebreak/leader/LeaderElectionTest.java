package dev.firebreak.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The backstop of a lost Lease: a replica that cannot exit in order is halted, never left running. */
class LeaderElectionTest {
    @Test
    void aProcessStillRunningAfterTheExitDeadlineIsHaltedWithStatus1() {
        AtomicInteger halted = new AtomicInteger(-1);
        Thread t = new Thread(() -> LeaderElection.haltUnlessExited(Duration.ofMillis(50), halted::set));
        t.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> halted.get() == 1);
    }

    @Test
    void anExitThatEndsTheWaitHaltsNothing() throws InterruptedException {
        AtomicInteger halted = new AtomicInteger(-1);
        Thread t = new Thread(() -> LeaderElection.haltUnlessExited(Duration.ofSeconds(30), halted::set));
        t.start();
        t.interrupt();
        t.join(Duration.ofSeconds(5).toMillis());
        assertThat(t.isAlive()).isFalse();
        assertThat(halted.get()).isEqualTo(-1);
    }

    @Test
    void theHaltComesWithinTheLeaseDurationAndAfterAnOrderlyExit() {
        assertThat(LeaderElection.HALT_AFTER)
                .isGreaterThan(Duration.ofSeconds(LeaderElection.DRAIN_SECONDS * 3L))
                .isLessThan(Duration.ofSeconds(15));
    }
}
