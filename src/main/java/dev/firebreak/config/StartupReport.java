package dev.firebreak.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Says at start how Firebreak is configured, and warns about what weakens it. */
public class StartupReport {
    private static final Logger LOG = Logger.getLogger(StartupReport.class);

    void onStart(@Observes StartupEvent event, FirebreakConfig config) {
        var auth = config.webhook().auth();
        if (auth.mode() == FirebreakConfig.AuthMode.NONE) {
            LOG.warn("Alertmanager webhook authentication is OFF (firebreak.webhook.auth.mode=none): anyone who can "
                    + "reach the webhook can open and resolve incidents");
        } else {
            LOG.infof(
                    "Alertmanager webhook authentication: %s, credentials from Secret %s",
                    auth.mode().name().toLowerCase().replace('_', '-'), auth.secret());
        }
        if (!config.rollback().enabled()) {
            LOG.warn("Automatic rollback is disabled globally (firebreak.rollback.enabled=false)");
        } else if (config.rollback().dryRun()) {
            LOG.info("Rollback dry-run: every rollback decision is recorded, nothing is patched");
        }
    }
}
