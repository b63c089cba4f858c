package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link StateHash}: the fingerprint depends on the slots' values only (not on the order of the
 * writes that led there), changes with any one of them, and the simulation keeps one, with the
 * actors' scheduler states in it, only for a choice source that wants fingerprints.
 */
class StateHashTest {

    @Test
    void set_backToEarlierValues_sameFingerprint() {
        StateHash hash = new StateHash();
        int a = hash.slot();
        int b = hash.slot();
        long high = hash.high();
        long low = hash.low();

        hash.set(a, 5);
        hash.set(b, 7);
        hash.set(a, 0);
        hash.set(b, 0);

        assertThat(hash.high()).isEqualTo(high);
        assertThat(hash.low()).isEqualTo(low);
    }

    @Test
    void set_sameValuesInAnotherOrder_sameFingerprint() {
        StateHash one = new StateHash();
        StateHash two = new StateHash();
        int a1 = one.slot();
        int b1 = one.slot();
        int a2 = two.slot();
        int b2 = two.slot();

        one.set(a1, 3);
        one.set(b1, 4);
        two.set(b2, 9);
        two.set(b2, 4);
        two.set(a2, 3);

        assertThat(two.high()).isEqualTo(one.high());
        assertThat(two.low()).isEqualTo(one.low());
    }

    @Test
    void set_valuesSwappedBetweenSlots_otherFingerprint() {
        StateHash one = new StateHash();
        StateHash two = new StateHash();
        int a1 = one.slot();
        int b1 = one.slot();
        int a2 = two.slot();
        int b2 = two.slot();

        one.set(a1, 1);
        one.set(b1, 2);
        two.set(a2, 2);
        two.set(b2, 1);

        assertThat(List.of(two.high(), two.low())).isNotEqualTo(List.of(one.high(), one.low()));
    }

    @Test
    void run_sourceThatWantsNone_noHashAndNoFingerprint() {
        List<Boolean> seen = new ArrayList<>();
        Simulation sim = new Simulation(new FirstCandidate(false, seen));
        sim.spawn("a", () -> sim.preemptionPoint("a"));
        sim.spawn("b", () -> sim.preemptionPoint("b"));

        sim.run();

        assertThat(sim.stateHash()).isNull();
        assertThat(seen).isNotEmpty().containsOnly(false);
    }

    @Test
    void run_modelCoversItsState_everyDecisionFingerprinted() {
        List<Boolean> seen = new ArrayList<>();
        Simulation sim = new Simulation(new FirstCandidate(true, seen));
        sim.spawn("a", () -> sim.preemptionPoint("a"));
        sim.spawn("b", () -> sim.preemptionPoint("b"));
        sim.stateHash().covers(true);

        sim.run();

        assertThat(seen).isNotEmpty().containsOnly(true);
    }

    /** Picks the first candidate; notes whether each decision had a fingerprint. */
    private record FirstCandidate(boolean fingerprints, List<Boolean> seen) implements ChoiceSource {
        @Override
        public int pickActor(SchedulingPoint point) {
            seen.add(point.fingerprinted());
            return 0;
        }

        @Override
        public int pickValue(String label, int bound) {
            return 0;
        }

        @Override
        public boolean wantsFingerprints() {
            return fingerprints;
        }
    }
}
