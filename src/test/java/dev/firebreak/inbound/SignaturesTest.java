package dev.firebreak.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.inbound.Signatures.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signatures against the vendors' documented test vector (Slack) and vectors computed independently with
 * {@code openssl dgst -sha256 -hmac} (PagerDuty publishes none), and every way a request can be forged or replayed.
 */
class SignaturesTest {
    // Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
    static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String SLACK_TS = "1531420618";
    static final String SLACK_BODY =
            "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    static final String SLACK_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    static final Instant SLACK_NOW = Instant.ofEpochSecond(1531420618);

    // printf '%s' "$PD_BODY" | openssl dgst -sha256 -hmac whsec_rotatedOLD (and whsec_rotatedNEW)
    static final String PD_BODY =
            "{\"event\":{\"id\":\"01DEN3FOLJ1XUZ5D2B8WQFQYYO\",\"event_type\":\"incident.acknowledged\"}}";
    static final String PD_OLD = "v1=9d88351fb4dd84d21626e265530da6931c5b8cacbd714ffc0a9ccdbd92675658";
    static final String PD_NEW = "v1=ae6d3108607568a219f42937d253a3f804bc5bb5071c03027bf8f6bfd44c8d10";

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void slackAcceptsItsDocumentedVector() {
        assertThat(Signatures.slack(b(SLACK_BODY), SLACK_TS, SLACK_SIGNATURE, List.of(b(SLACK_SECRET)), SLACK_NOW))
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void slackRefusesATamperedBodyAWrongSecretAndAMovedTimestamp() {
        List<byte[]> secret = List.of(b(SLACK_SECRET));
        assertThat(Signatures.slack(
                        b(SLACK_BODY.replace("roadrunner", "coyote")), SLACK_TS, SLACK_SIGNATURE, secret, SLACK_NOW))
                .isEqualTo(Verdict.INVALID);
        assertThat(Signatures.slack(b(SLACK_BODY), SLACK_TS, SLACK_SIGNATURE, List.of(b("wrong")), SLACK_NOW))
                .isEqualTo(Verdict.INVALID);
        // The timestamp is signed: moving it to look fresh breaks the signature.
        assertThat(Signatures.slack(b(SLACK_BODY), "1531420619", SLACK_SIGNATURE, secret, SLACK_NOW))
                .isEqualTo(Verdict.INVALID);
        assertThat(Signatures.slack(b(SLACK_BODY), SLACK_TS, null, secret, SLACK_NOW))
                .isEqualTo(Verdict.INVALID);
        assertThat(Signatures.slack(b(SLACK_BODY), null, SLACK_SIGNATURE, secret, SLACK_NOW))
                .isEqualTo(Verdict.INVALID);
        assertThat(Signatures.slack(b(SLACK_BODY), "not-a-number", SLACK_SIGNATURE, secret, SLACK_NOW))
                .isEqualTo(Verdict.INVALID);
        assertThat(Signatures.slack(b(SLACK_BODY), SLACK_TS, SLACK_SIGNATURE.replace("v0=", "v1="), secret, SLACK_NOW))
                .isEqualTo(Verdict.INVALID);
        assertThat(Signatures.slack(b(SLACK_BODY), SLACK_TS, SLACK_SIGNATURE, List.of(), SLACK_NOW))
                .as("no secret configured")
                .isEqualTo(Verdict.INVALID);
    }

    @Test
    void slackRefusesAReplayOlderOrNewerThanFiveMinutes() {
        List<byte[]> secret = List.of(b(SLACK_SECRET));
        assertThat(Signatures.slack(b(SLACK_BODY), SLACK_TS, SLACK_SIGNATURE, secret, SLACK_NOW.plusSeconds(300)))
                .isEqualTo(Verdict.VALID);
        assertThat(Signatures.slack(b(SLACK_BODY), SLACK_TS, SLACK_SIGNATURE, secret, SLACK_NOW.plusSeconds(301)))
                .isEqualTo(Verdict.STALE);
        assertThat(Signatures.slack(b(SLACK_BODY), SLACK_TS, SLACK_SIGNATURE, secret, SLACK_NOW.minusSeconds(301)))
                .isEqualTo(Verdict.STALE);
    }

    @Test
    void slackAcceptsEitherSecretWhileOneIsRotated() {
        List<byte[]> rotating = Signatures.secrets(b("new-secret-not-yet-in-slack\n" + SLACK_SECRET + "\n"));
        assertThat(rotating).hasSize(2);
        assertThat(Signatures.slack(b(SLACK_BODY), SLACK_TS, SLACK_SIGNATURE, rotating, SLACK_NOW))
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void pagerDutyAcceptsAnyOfSeveralSignaturesDuringRotation() {
        assertThat(Signatures.pagerDuty(b(PD_BODY), PD_OLD, List.of(b("whsec_rotatedOLD"))))
                .isEqualTo(Verdict.VALID);
        assertThat(Signatures.pagerDuty(b(PD_BODY), PD_NEW + "," + PD_OLD, List.of(b("whsec_rotatedOLD"))))
                .isEqualTo(Verdict.VALID);
        assertThat(Signatures.pagerDuty(b(PD_BODY), PD_OLD + ", " + PD_NEW, List.of(b("whsec_rotatedNEW"))))
                .isEqualTo(Verdict.VALID);
        assertThat(Signatures.pagerDuty(
                        b(PD_BODY), PD_NEW.toUpperCase().replace("V1=", "v1="), List.of(b("whsec_rotatedNEW"))))
                .as("hex in capitals")
                .isEqualTo(Verdict.VALID);
        // Firebreak's Secret holds both while the subscription is rotated.
        assertThat(Signatures.pagerDuty(
                        b(PD_BODY), PD_NEW, Signatures.secrets(b("whsec_rotatedOLD\nwhsec_rotatedNEW"))))
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void pagerDutyRefusesATamperedBodyAWrongSecretAndMalformedHeaders() {
        List<byte[]> secret = List.of(b("whsec_rotatedOLD"));
        assertThat(Signatures.pagerDuty(b(PD_BODY.replace("acknowledged", "resolved")), PD_OLD, secret))
                .isEqualTo(Verdict.INVALID);
        assertThat(Signatures.pagerDuty(b(PD_BODY + " "), PD_OLD, secret))
                .as("one byte more")
                .isEqualTo(Verdict.INVALID);
        assertThat(Signatures.pagerDuty(b(PD_BODY), PD_OLD, List.of(b("whsec_other"))))
                .isEqualTo(Verdict.INVALID);
        assertThat(Signatures.pagerDuty(b(PD_BODY), null, secret)).isEqualTo(Verdict.INVALID);
        assertThat(Signatures.pagerDuty(b(PD_BODY), "", secret)).isEqualTo(Verdict.INVALID);
        assertThat(Signatures.pagerDuty(b(PD_BODY), PD_OLD.substring(3), secret))
                .as("no v1= prefix")
                .isEqualTo(Verdict.INVALID);
        assertThat(Signatures.pagerDuty(b(PD_BODY), "v0=" + PD_OLD.substring(3), secret))
                .isEqualTo(Verdict.INVALID);
        assertThat(Signatures.pagerDuty(b(PD_BODY), PD_OLD, List.of())).isEqualTo(Verdict.INVALID);
        // A header of many bogus values is not checked past the first few, and a valid one hidden behind them is not
        // looked for.
        String flood = "v1=00,".repeat(50) + PD_OLD;
        assertThat(Signatures.pagerDuty(b(PD_BODY), flood, secret)).isEqualTo(Verdict.INVALID);
    }

    @Test
    void sharedSecretsCompareWholeValues() {
        List<byte[]> secrets = Signatures.secrets(b("  s3cret-one \n\n s3cret-two\n"));
        assertThat(Signatures.sharedSecret("s3cret-one", secrets)).isEqualTo(Verdict.VALID);
        assertThat(Signatures.sharedSecret("s3cret-two", secrets)).isEqualTo(Verdict.VALID);
        assertThat(Signatures.sharedSecret("s3cret", secrets)).as("a prefix").isEqualTo(Verdict.INVALID);
        assertThat(Signatures.sharedSecret("s3cret-one-and-more", secrets)).isEqualTo(Verdict.INVALID);
        assertThat(Signatures.sharedSecret("", secrets)).isEqualTo(Verdict.INVALID);
        assertThat(Signatures.sharedSecret(null, secrets)).isEqualTo(Verdict.INVALID);
        assertThat(Signatures.sharedSecret("s3cret-one", List.of())).isEqualTo(Verdict.INVALID);
    }
}
