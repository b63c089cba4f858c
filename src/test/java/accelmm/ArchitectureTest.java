package accelmm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of ARCHITECTURE.md go one way: a class may depend only on its own layer and
 * the layers below it. Production classes only; layers with no classes yet are allowed.
 */
class ArchitectureTest {

    /** One layer: a name and the packages that form it. */
    private record Layer(String name, String... packages) {
    }

    /** Bottom up. The last layer (scenario, cli, report) is the top: nothing may use it. */
    static final List<Layer> LAYERS = List.of(
            new Layer("sim", "accelmm.sim.."),
            new Layer("mm", "accelmm.mm.."),
            new Layer("drm", "accelmm.drm.."),
            new Layer("dmabuf", "accelmm.dmabuf.."),
            new Layer("accel", "accelmm.accel.."),
            new Layer("debug", "accelmm.debug.."),
            new Layer("virt", "accelmm.virt.."),
            new Layer("check", "accelmm.check.."),
            new Layer("top", "accelmm.scenario..", "accelmm.cli..", "accelmm.report.."));

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("accelmm");
    }

    @Test
    void layers_dependOnlyOnSameOrLowerLayers() {
        layeredArchitecture().check(production);
    }

    @Test
    void everyProductionClass_livesInALayer() {
        String[] allPackages = LAYERS.stream()
                .flatMap(layer -> Arrays.stream(layer.packages()))
                .toArray(String[]::new);
        classes().should().resideInAnyPackage(allPackages)
                .because("every production class belongs to one of ARCHITECTURE.md's layers")
                .check(production);
    }

    /** Builds the rule from {@link #LAYERS}: layer i may access only layers 0..i-1. */
    static LayeredArchitecture layeredArchitecture() {
        LayeredArchitecture rule = Architectures.layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true);
        for (Layer layer : LAYERS) {
            rule = rule.layer(layer.name()).definedBy(layer.packages());
        }
        rule = rule.whereLayer(LAYERS.get(0).name()).mayNotAccessAnyLayer();
        for (int i = 1; i < LAYERS.size(); i++) {
            String[] below = LAYERS.subList(0, i).stream()
                    .map(Layer::name)
                    .toArray(String[]::new);
            rule = rule.whereLayer(LAYERS.get(i).name()).mayOnlyAccessLayers(below);
        }
        return rule;
    }
}
