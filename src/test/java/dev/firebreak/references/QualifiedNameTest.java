package dev.firebreak.references;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QualifiedNameTest {
    @ParameterizedTest(name = "\"{0}\" -> {1} / {2}")
    @CsvSource({
        "shop/payments, shop, payments",
        "payments, firebreak-system, payments",
        "/payments, '', payments",
        "shop/, shop, ''",
        "a/b/c, a, b/c",
    })
    void parsesNamespaceSlashNameOrABareNameInTheDefaultNamespace(String value, String namespace, String name) {
        QualifiedName parsed = QualifiedName.parse(value, "firebreak-system");
        assertThat(parsed).isEqualTo(new QualifiedName(namespace, name));
        assertThat(parsed.resourceId()).isEqualTo(new ResourceID(name, namespace));
    }

    @Test
    void isWrittenAsNamespaceSlashNameAndReadBack() {
        QualifiedName q = QualifiedName.of(new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("payments")
                .endMetadata()
                .build());
        assertThat(q.toString()).isEqualTo("shop/payments");
        assertThat(QualifiedName.parse(q.toString(), "other")).isEqualTo(q);
    }
}
