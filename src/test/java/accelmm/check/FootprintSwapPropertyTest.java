package accelmm.check;

import static accelmm.check.DfsModels.Op;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Footprints commute where they say they do, on the random models of {@link DporPropertyTest}
 * (shared cells read and written, a mutex, a completion, data choices), observed or declared:
 * in a random execution, every two adjacent stretches of two actors whose footprints do not
 * conflict, run the other way round, give the same decisions, footprints, end state (the
 * cells, what each actor read, how the run ended). DPOR and sleep sets only ever reorder
 * stretches declared independent ({@link AdjacentSwaps}).
 */
class FootprintSwapPropertyTest {

    /** A fixed seed: the same 1,000 models every build. */
    @Property(tries = 1_000, seed = "15", edgeCases = EdgeCasesMode.NONE)
    void swapIndependentStretches_randomCellModel_sameDecisionsAndEndState(@ForAll("models") List<List<Op>> actors,
            @ForAll @IntRange(min = 0, max = 1_000) int seed, @ForAll boolean observe) {
        Set<String> ends = new TreeSet<>();
        Model model = (choices, trace) -> {
            ends.clear();
            return DfsModels.ops(actors, 2, observe, ends, null).execute(choices, trace);
        };

        AdjacentSwaps swaps = new AdjacentSwaps(model, r -> ends.toString());

        assertThat(swaps.check(seed, Integer.MAX_VALUE)).as("%s observe=%s", actors, observe).isEmpty();
    }

    @Provide
    Arbitrary<List<List<Op>>> models() {
        return new DporPropertyTest().models();
    }
}
