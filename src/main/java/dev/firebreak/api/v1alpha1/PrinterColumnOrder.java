package dev.firebreak.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.Comparator;
import java.util.List;

/**
 * Build-time CRD post-processor: the generator sorts printer columns by JSON path, but 'kubectl get' shows them
 * in CRD order, and responders read Severity and Phase first. This restores the order in which the kind declares
 * its {@link AdditionalPrinterColumn}s.
 */
public class PrinterColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (!(crd instanceof CustomResourceDefinition definition)
                || !ApiGroup.GROUP.equals(definition.getSpec().getGroup())) {
            return crd;
        }
        List<String> declared = declaredColumns(definition.getSpec().getNames().getKind());
        for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
            if (version.getAdditionalPrinterColumns() != null) {
                version.getAdditionalPrinterColumns()
                        .sort(Comparator.comparingInt(
                                (CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
            }
        }
        return crd;
    }

    static List<String> declaredColumns(String kind) {
        try {
            Class<?> type = Class.forName(
                    ApiGroup.class.getPackageName() + "." + kind, false, PrinterColumnOrder.class.getClassLoader());
            return List.of(type.getAnnotationsByType(AdditionalPrinterColumn.class)).stream()
                    .map(AdditionalPrinterColumn::name)
                    .toList();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no class for kind " + kind + " next to " + ApiGroup.class.getName(), e);
        }
    }
}
