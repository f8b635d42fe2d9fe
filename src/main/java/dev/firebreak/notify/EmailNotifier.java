package dev.firebreak.notify;

import dev.firebreak.api.v1alpha1.spec.EscalationTarget;
import dev.firebreak.api.v1alpha1.status.Channel;
import dev.firebreak.templates.Templates;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.qute.Template;
import java.util.List;
import java.util.Optional;

/**
 * Email over SMTP (Quarkus Mailer), plain text and HTML, rendered by Qute from templates/notify/email.{txt,html}. A
 * person or on-call target gets it at their address; an email target at its list. SMTP failures are retried (the
 * server may be back), an address the server rejects is too: the attempts cap bounds both.
 */
public final class EmailNotifier implements Notifier {
    private static final Template TEXT = Templates.load("templates/notify/email.txt");
    private static final Template HTML = Templates.load("templates/notify/email.html");

    private final Mailer mailer;
    private final String from;

    public EmailNotifier(Mailer mailer, String from) {
        this.mailer = mailer;
        this.from = from;
    }

    @Override
    public Channel channel() {
        return Channel.Email;
    }

    @Override
    public Attempt send(Message message, EscalationTarget target, Delivery delivery, Credentials credentials) {
        List<String> to = delivery.recipientEmail() != null
                ? List.of(delivery.recipientEmail())
                : target.email != null ? target.email.to : List.of();
        if (to.isEmpty()) {
            return Attempt.failed("Email: no recipient address");
        }
        Mail mail = new Mail()
                .setFrom(from)
                .setTo(to)
                .setSubject(subject(message))
                .setText(text(message))
                .setHtml(html(message))
                .addHeader("X-Firebreak-Incident", message.uid());
        try {
            mailer.send(mail);
            return Attempt.sent(Optional.empty());
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Attempt.retry(
                    Redaction.scrub(
                            "Email: " + cause.getClass().getSimpleName()
                                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                            credentials.used()),
                    Optional.empty());
        }
    }

    /** For example "[DRILL] [Critical] Triggered: Checkout returns 500s (shop/checkout-500s)". */
    public static String subject(Message m) {
        return m.drillMark() + (m.severity() == null ? "" : "[" + m.severity() + "] ") + m.action() + ": " + m.title()
                + " (" + m.ref() + ")";
    }

    public static String text(Message m) {
        return TEXT.data("m", m).render();
    }

    public static String html(Message m) {
        return HTML.data("m", m).render();
    }
}
