package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.fuzz.ScenarioPlan;
import accelmm.fuzz.ScenarioWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;

/**
 * The scenarios of the internal-error property ({@code accelmm.fuzz}) keep up with the model:
 * together they use every operation and every design key the model runs, so a statement the
 * model learns is not left out of the search for internal errors unnoticed.
 */
class GeneratedScenarioCoverageTest {

    private static final int SAMPLES = 400;

    @Example
    void generatedScenarios_useEveryModelledOperationAndDesignKey() {
        RandomGenerator<ScenarioPlan> plans = ScenarioPlan.plans(5, 8).generator(1000);
        Set<Operation> operations = EnumSet.noneOf(Operation.class);
        Set<DesignKey> keys = EnumSet.noneOf(DesignKey.class);
        for (int i = 0; i < SAMPLES; i++) {
            String text = ScenarioWriter.write(plans.next(new Random(i)).value());
            Scenario s = ModelCoverage.parse("generated.scn", text.getBytes(StandardCharsets.UTF_8));
            s.designs().forEach(d -> keys.add(d.key()));
            s.threads().forEach(t -> t.body().forEach(st -> {
                if (st instanceof Statement.Call c) {
                    operations.add(c.operation());
                }
            }));
        }
        assertThat(operations).containsAll(ModelCoverage.MODELLED);
        assertThat(keys).containsAll(Arrays.stream(DesignKey.values()).filter(ModelCoverage::designModelled).toList());
    }
}
