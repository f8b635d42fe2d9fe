package dev.firebreak.config;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Named points between two effects where a crash would leave intermediate state (a rollback recorded but not patched,
 * or patched but not recorded). With {@code firebreak.crash-at} naming one, the process halts there at once (no
 * shutdown hooks, no Lease release: what SIGKILL does), so that an end-to-end test can prove the next process finishes
 * the work exactly once. Does nothing otherwise.
 */
@ApplicationScoped
public class CrashPoints {
    private static final Logger LOG = Logger.getLogger(CrashPoints.class);
    /** A rollback's InProgress record is stored; its patch is not sent yet. */
    public static final String ROLLBACK_BEFORE_PATCH = "rollback-before-patch";
    /** A rollback's patch was accepted; its record does not say so yet. */
    public static final String ROLLBACK_AFTER_PATCH = "rollback-after-patch";

    private final String at;

    public CrashPoints(FirebreakConfig config) {
        this.at = config.crashAt().orElse(null);
    }

    public void reached(String point) {
        if (point.equals(at)) {
            LOG.errorf("crash point %s reached: halting (firebreak.crash-at)", point);
            Runtime.getRuntime().halt(137);
        }
    }
}
