package accelmm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.Slice;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of ARCHITECTURE.md go one way: a class may depend only on its own layer and
 * the layers below it. The device drivers (drm, rdma, accel) form one layer above dmabuf, side by
 * side: none of them depends on another, as in Linux they meet only through dma-buf. Production
 * classes only; layers and drivers with no classes yet are allowed.
 */
class ArchitectureTest {

    /** One layer: a name and the packages that form it. */
    private record Layer(String name, String... packages) {
    }

    /**
     * The device-driver packages under {@code accelmm}: one layer, and no dependency between any
     * two of them. A driver package added later is listed here.
     */
    static final List<String> DEVICE_DRIVERS = List.of("drm", "rdma", "accel");

    /** Bottom up. The last layer (scenario, cli, report) is the top: nothing may use it. */
    static final List<Layer> LAYERS = List.of(
            new Layer("sim", "accelmm.sim.."),
            new Layer("mm", "accelmm.mm.."),
            new Layer("dmabuf", "accelmm.dmabuf.."),
            new Layer("device drivers", DEVICE_DRIVERS.stream().map(d -> "accelmm." + d + "..").toArray(String[]::new)),
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
    void deviceDrivers_dependOnNoOtherDeviceDriver() {
        deviceDriversIndependent("accelmm").check(production);
    }

    /**
     * The rule catches a driver that uses another: in the fixture (test classes in {@code
     * accelmm.layerfixture}), a class of its {@code drm} uses one of its {@code accel}.
     */
    @Test
    void deviceDriversRule_drmUsesAccel_fails() {
        JavaClasses fixture = new ClassFileImporter().importPackages("accelmm.layerfixture");

        assertThatThrownBy(() -> deviceDriversIndependent("accelmm.layerfixture").check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("accelmm.layerfixture.drm.UsesAccel")
                .hasMessageContaining("accelmm.layerfixture.accel.AccelQueue");
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

    /**
     * The packages {@code root.D..} for every D of {@link #DEVICE_DRIVERS}, as slices that must not
     * depend on each other; a driver with no classes (yet) is no slice and breaks nothing.
     */
    static ArchRule deviceDriversIndependent(String root) {
        return slices().matching(root + ".(*)..")
                .that(DescribedPredicate.describe("are device drivers " + DEVICE_DRIVERS,
                        (Slice slice) -> DEVICE_DRIVERS.contains(slice.getNamePart(1))))
                .should().notDependOnEachOther()
                .allowEmptyShould(true)
                .because("the device drivers meet only through dmabuf (ARCHITECTURE.md)");
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
