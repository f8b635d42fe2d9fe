package dev.firebreak.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.Person;
import dev.firebreak.inbound.OutsideAction.Tool;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityTest {
    static final Person ANN = person("Ann Example", "ann@example.com", "U024BE7LH");
    static final List<Person> KNOWN = List.of(person("no email", null, null), ANN);

    static Person person(String name, String email, String slack) {
        Person p = new Person(name, email);
        p.slackUserId = slack;
        return p;
    }

    @Test
    void aKnownPersonIsRecordedUnderTheirFirebreakName() {
        assertThat(Identity.by(Tool.Opsgenie, "ANN@example.com ", null, "ann.e", KNOWN))
                .isEqualTo("Ann Example");
        assertThat(Identity.by(Tool.Slack, null, "U024BE7LH", "annie", KNOWN)).isEqualTo("Ann Example");
    }

    @Test
    void anyoneElseUnderTheToolsNameMarkedWithTheTool() {
        assertThat(Identity.by(Tool.PagerDuty, null, null, "Jane Doe", KNOWN)).isEqualTo("Jane Doe via PagerDuty");
        assertThat(Identity.by(Tool.Slack, null, "U999", "roadrunner", KNOWN)).isEqualTo("roadrunner via Slack");
        assertThat(Identity.by(Tool.Opsgenie, "bob@example.com", null, null, KNOWN))
                .isEqualTo("bob@example.com via Opsgenie");
        assertThat(Identity.by(Tool.PagerDuty, null, null, null, KNOWN)).isEqualTo("someone via PagerDuty");
    }

    @Test
    void hostileNamesAreFlattenedAndCutToTheSchemasLimit() {
        assertThat(Identity.by(Tool.PagerDuty, null, null, "Jane\n\u0000Doe\r\n", KNOWN))
                .isEqualTo("Jane Doe via PagerDuty");
        String long_ = Identity.by(Tool.PagerDuty, null, null, "é".repeat(500), KNOWN);
        assertThat(long_.codePointCount(0, long_.length())).isEqualTo(Identity.MAX_NAME);
        assertThat(long_).endsWith("… via PagerDuty");
    }
}
