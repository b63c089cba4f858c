package accelmm.virt;

import static accelmm.virt.VirtFixture.GPA;
import static accelmm.virt.VirtFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.PageCacheMode;
import accelmm.sim.ChoiceSource;
import accelmm.sim.Footprint;
import accelmm.sim.SchedulingPoint;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * A guest access's step declares physical memory only; whatever it returns, the code after it is
 * the caller's, which nobody declared: the footprint of that stretch is unknown to the explorer's
 * partial-order reduction. The -EFAULT returns (the guest's own page fault on a later page, no
 * memslot: {@code kvm_handle_noslot_fault}'s MMIO exit, left out) end the declared access too.
 */
class GuestAccessFootprintTest {

    /** Keeps the running actor; records the footprint of the stretch that ends at {@code after guest access}. */
    private static final class Recording implements ChoiceSource {
        Footprint afterAccess;

        @Override
        public int pickActor(SchedulingPoint point) {
            if (point.label().equals("after guest access")) {
                afterAccess = point.footprint();
            }
            int index = point.running() == null ? -1 : point.indexOf(point.running());
            return index >= 0 ? index : 0;
        }

        @Override
        public int pickValue(String label, int bound) {
            return 0;
        }
    }

    /** Runs {@code access} in a vCPU beside a busy actor (so each point is a decision); the footprint after it. */
    private static Footprint footprintAfter(BiConsumer<VirtFixture, Kvm> access) {
        Recording choices = new Recording();
        VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER, choices);
        boolean[] done = new boolean[1];
        fx.sim.spawn("vcpu", () -> {
            long p = fx.mmapAnon(1);
            fx.hostWrite(p, "data");
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WB);
            fx.guestRead(kvm, GPA, 1); // the first page's entry is in: the access below faults on no page of it
            access.accept(fx, kvm);
            fx.sim.preemptionPoint("after guest access");
            done[0] = true;
        });
        fx.sim.spawn("busy", () -> {
            while (!done[0]) {
                fx.sim.preemptionPoint("busy");
            }
        });
        fx.finish();
        assertThat(choices.afterAccess).as("the vCPU reached the point after its access").isNotNull();
        return choices.afterAccess;
    }

    @Test
    void guestRead_laterPageWithoutStage1_endsDeclaredAccess() {
        Footprint after = footprintAfter((fx, kvm) ->
                assertThat(kvm.guestRead(fx.vmm, GPA + PAGE - 2, new byte[4])).isEqualTo(Errno.EFAULT.neg()));

        assertThat(after).isEqualTo(Footprint.UNKNOWN);
    }

    @Test
    void guestRead_laterPageWithoutMemslot_endsDeclaredAccess() {
        Footprint after = footprintAfter((fx, kvm) -> {
            assertThat(kvm.guestMap(fx.vmm, GPA + PAGE, PAGE, PageCacheMode.WB)).isZero();
            assertThat(kvm.guestRead(fx.vmm, GPA + PAGE - 2, new byte[4])).isEqualTo(Errno.EFAULT.neg());
        });

        assertThat(after).isEqualTo(Footprint.UNKNOWN);
    }

    @Test
    void guestRead_success_endsDeclaredAccess() {
        Footprint after = footprintAfter((fx, kvm) -> assertThat(fx.guestRead(kvm, GPA, 4)).isEqualTo("data"));

        assertThat(after).isEqualTo(Footprint.UNKNOWN);
    }
}
