package dev.firebreak.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * A real SMTP server (GreenMail) for every @QuarkusTest: the operator's mailer talks SMTP to it, and tests read what
 * arrived with {@link #mail()}.
 */
public class SmtpServer implements QuarkusTestResourceLifecycleManager {
    private static volatile GreenMail mail;

    public static GreenMail mail() {
        return mail;
    }

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return Map.of(
                "quarkus.mailer.mock",
                "false",
                "quarkus.mailer.host",
                "127.0.0.1",
                "quarkus.mailer.port",
                Integer.toString(port),
                "quarkus.mailer.start-tls",
                "DISABLED",
                "quarkus.mailer.tls",
                "false",
                "firebreak.notify.email-from",
                "firebreak@test.example");
    }

    @Override
    public void stop() {
        if (mail != null) {
            mail.stop();
        }
    }
}
