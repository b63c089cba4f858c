package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.RunResult;
import accelmm.sim.ObservingChoices;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.SchedulingPoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ScenarioModel#withObservedFootprints}: observing what steps touch changes nothing a run
 * does. Under {@code run --seed} (a random walk, which wants no footprints) and under a walk
 * that asks for every stretch's footprint at every decision (what makes each piece of shared
 * state record), the catalog's scenarios give the same schedule, trace and verdict as without.
 */
class ObservedFootprintsModelTest {

    private static final long[] SEEDS = {1, 7};

    /** A random walk of {@code seed} that wants footprints and looks at every one it is given. */
    private static final class ObservingWalk extends ObservingChoices {
        private final RandomChoiceSource walk;
        long accesses;

        ObservingWalk(long seed) {
            this.walk = new RandomChoiceSource(seed);
        }

        @Override
        public int pickActor(SchedulingPoint point) {
            for (int i = 0; i < point.eventCount(); i++) {
                if (point.eventFootprint(i).known()) {
                    accesses += point.eventFootprint(i).accesses().size();
                }
            }
            return walk.pickActor(point);
        }

        @Override
        public int pickValue(String label, int bound) {
            return walk.pickValue(label, bound);
        }
    }

    @Test
    void withObservedFootprints_defaultOn_andOffGivesAnotherModel() {
        ScenarioModel model = new ScenarioModel(Catalog.find("prime-lifetime").scenario(), Map.of());

        assertThat(model.observesFootprints()).isTrue();
        assertThat(model.withObservedFootprints(true)).isSameAs(model);
        assertThat(model.withObservedFootprints(false).observesFootprints()).isFalse();
        assertThat(model.withObservedFootprints(false).fingerprint()).isEqualTo(model.fingerprint());
    }

    @Test
    void execute_catalogWithObservedFootprints_sameSchedulesTracesAndVerdictsAsWithout() {
        long observed = 0;
        for (Catalog.Entry entry : Catalog.entries()) {
            Scenario scenario = entry.scenario();
            for (Map<DesignKey, String> combination : DesignMatrix.combinations(scenario)) {
                ScenarioModel off = new ScenarioModel(scenario, combination).withObservedFootprints(false);
                ScenarioModel on = off.withObservedFootprints(true);
                for (long seed : SEEDS) {
                    String what = entry.name() + " " + combination + " seed " + seed;
                    RunResult expected = off.execute(new RandomChoiceSource(seed), true);
                    ObservingWalk walk = new ObservingWalk(seed);

                    for (RunResult actual : List.of(on.execute(new RandomChoiceSource(seed), true),
                            on.execute(walk, true))) {
                        assertSame(what, actual, expected);
                    }
                    observed += walk.accesses;
                }
            }
        }
        // The walks were told what steps touched: the comparison ran with recording on.
        assertThat(observed).isPositive();
    }

    private static void assertSame(String what, RunResult actual, RunResult expected) {
        assertThat(actual.schedule()).as(what).isEqualTo(expected.schedule());
        assertThat(actual.trace().render()).as(what).isEqualTo(expected.trace().render());
        assertThat(String.valueOf(actual.violation())).as(what).isEqualTo(String.valueOf(expected.violation()));
        assertThat(actual.outcome().getClass()).as(what).isEqualTo(expected.outcome().getClass());
        assertThat(actual.steps()).as(what).isEqualTo(expected.steps());
    }
}
