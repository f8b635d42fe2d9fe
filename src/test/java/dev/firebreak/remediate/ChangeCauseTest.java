package dev.firebreak.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeCauseTest {
    static final String UID = "6f1c2a9e-8b1d-4c55-9f0e-3a7d2b1c0e42";

    @Test
    void namesTheIncidentByNameForPeopleAndByUidForFirebreak() {
        ChangeCause c = new ChangeCause("shop/checkout-failing", UID, 7, 6);
        assertThat(c.format())
                .isEqualTo("firebreak: incident shop/checkout-failing (uid " + UID + ") rolled back revision 7 to 6");
        assertThat(ChangeCause.parse(c.format())).contains(c);
    }

    @Test
    void anIncidentRecreatedUnderTheSameNameIsAnotherIncident() {
        ChangeCause earlier = ChangeCause.parse(new ChangeCause("shop/checkout", UID, 7, 6).format())
                .orElseThrow();
        String recreated = "0b8f8a51-7c6a-4e0e-a1d2-5d9f3e2c1b00";
        assertThat(earlier.uid()).isNotEqualTo(recreated);
        assertThat(earlier.incident()).isEqualTo("shop/checkout");
    }

    @Test
    void theRevisionARollbackProducedIsTheNextNumber() {
        ChangeCause c = new ChangeCause("shop/x", UID, 7, 6);
        assertThat(c.produced(8)).isTrue();
        assertThat(c.produced(7)).isFalse();
        assertThat(c.produced(9))
                .as("a deploy after the rollback keeps the annotation, not the revision")
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "release 1.4.2",
                "kubectl set image deployment/checkout app=shop:1.4.2",
                // The format before incidents were named by UID: never read as anyone's.
                "firebreak: incident shop/checkout rolled back revision 7 to 6",
                "firebreak: incident shop/x (uid ) rolled back revision 7 to 6",
                "firebreak: incident shop/x (uid abc) rolled back revision 99999999999999999999 to 6",
                "firebreak: incident shop/x (uid abc) rolled back revision 7 to 6 and more",
                "firebreak: incident shop/x (uid a;b) rolled back revision 7 to 6"
            })
    void anythingElseIsNobodysRollback(String annotation) {
        assertThat(ChangeCause.parse(annotation)).isEqualTo(Optional.empty());
    }

    @Test
    void noAnnotationIsNobodysRollback() {
        assertThat(ChangeCause.parse(null)).isEmpty();
    }
}
