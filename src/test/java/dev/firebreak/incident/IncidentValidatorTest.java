package dev.firebreak.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firebreak.api.v1alpha1.IncidentSpec;
import dev.firebreak.testing.Yaml;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncidentValidatorTest {
    @Test
    void anIncidentWithoutAPolicyIsValid() {
        IncidentSpec spec = Yaml.read("title: Checkout is down\n", IncidentSpec.class);
        assertThat(IncidentValidator.validate(spec, name -> false)).isEmpty();
        assertThat(IncidentValidator.policyNames(spec)).isEmpty();
    }

    @Test
    void thePolicyItNamesMustExist() {
        IncidentSpec spec = Yaml.read("""
                title: Checkout is down
                escalationPolicyRef: {name: payments}
                """, IncidentSpec.class);

        assertThat(IncidentValidator.validate(spec, Set.of("payments")::contains))
                .isEmpty();
        assertThat(IncidentValidator.validate(spec, Set.of("search")::contains))
                .singleElement()
                .hasToString(
                        "spec.escalationPolicyRef.name: EscalationPolicy payments not found in the incident's namespace");
        assertThat(IncidentValidator.policyNames(spec)).containsExactly("payments");
    }
}
