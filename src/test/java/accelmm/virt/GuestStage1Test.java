package accelmm.virt;

import static accelmm.mm.PageCacheMode.UC;
import static accelmm.mm.PageCacheMode.WB;
import static accelmm.mm.PageCacheMode.WC;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.PageCacheMode;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guest's own types, kept as ranges: a later mapping replaces the type of the pages it covers, and only theirs. */
class GuestStage1Test {

    private static final long PAGE = 4096;
    private final GuestStage1 stage1 = new GuestStage1(Shared.NONE);

    private List<PageCacheMode> types(int from, int to) {
        List<PageCacheMode> out = new ArrayList<>();
        for (long gfn = from; gfn < to; gfn++) {
            out.add(stage1.lookup(gfn));
        }
        return out;
    }

    @Test
    void map_insideAnEarlierRange_splitsIt() {
        stage1.map(0, 10 * PAGE, WB);
        stage1.map(3 * PAGE, 2 * PAGE, WC);

        assertThat(types(0, 11)).containsExactly(WB, WB, WB, WC, WC, WB, WB, WB, WB, WB, null);
    }

    @Test
    void map_overTwoRangesAndPastThem_replacesTheirOverlappingParts() {
        stage1.map(0, 10 * PAGE, WB);
        stage1.map(3 * PAGE, 2 * PAGE, WC);
        stage1.map(4 * PAGE, 8 * PAGE, UC);

        assertThat(types(0, 13)).containsExactly(WB, WB, WB, WC, UC, UC, UC, UC, UC, UC, UC, UC, null);
    }

    @Test
    void map_coveringEarlierRangesExactly_replacesThem() {
        stage1.map(2 * PAGE, 2 * PAGE, WB);
        stage1.map(4 * PAGE, 2 * PAGE, WC);
        stage1.map(2 * PAGE, 4 * PAGE, UC);

        assertThat(types(1, 7)).containsExactly(null, UC, UC, UC, UC, null);
    }
}
