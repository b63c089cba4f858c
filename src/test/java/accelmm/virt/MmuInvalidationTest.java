package accelmm.virt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import org.junit.jupiter.api.Test;

/**
 * {@code kvm_mmu_invalidate_begin}, {@code _range_add}, {@code _end} and {@code
 * mmu_invalidate_retry_gfn} (virt/kvm/kvm_main.c, include/linux/kvm_host.h): concurrent
 * invalidations share one range, the union of theirs, until the last ends.
 */
class MmuInvalidationTest {

    private final MmuInvalidation inv = new MmuInvalidation(new Simulation(new RandomChoiceSource(1)), "mm");

    @Test
    void rangeAdd_twoInvalidationsInProgress_coversBoth() {
        inv.begin();
        inv.rangeAdd(10, 12);
        inv.begin();
        inv.rangeAdd(20, 21);

        assertThat(inv.retryGfn(0, 15)).as("between the two: the union is a superset").isTrue();
        assertThat(inv.retryGfn(0, 21)).isFalse();
        assertThat(inv.retryGfn(0, 9)).isFalse();
    }

    @Test
    void end_oneOfTwo_rangeStaysAndSeqMoves() {
        inv.begin();
        inv.rangeAdd(10, 12);
        inv.begin();
        inv.rangeAdd(20, 21);
        inv.end();

        assertThat(inv.seq()).isEqualTo(1);
        assertThat(inv.inProgress()).isEqualTo(1);
        assertThat(inv.retryGfn(1, 10)).as("the ended invalidation's gfns stay covered").isTrue();
    }

    @Test
    void begin_afterIdle_rangeStartsAfresh() {
        inv.begin();
        inv.rangeAdd(10, 12);
        inv.end();
        inv.begin();
        inv.rangeAdd(20, 21);

        assertThat(inv.retryGfn(1, 10)).isFalse();
        assertThat(inv.retryGfn(1, 20)).isTrue();
    }

    @Test
    void end_withoutBegin_isAModelBug() {
        assertThatThrownBy(inv::end).isInstanceOf(IllegalStateException.class);
    }
}
