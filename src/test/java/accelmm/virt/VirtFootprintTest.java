package accelmm.virt;

import static accelmm.virt.VirtFixture.GPA;
import static accelmm.virt.VirtFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.PageCacheMode;
import accelmm.sim.Footprint;
import accelmm.sim.PhaseFootprints;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Observed footprints of KVM's state: guest loads in two VMs commute (each {@code struct kvm}
 * has its own memslots and stage-2 table), so do two loads of one mapped page of one VM (they
 * only read its entry); an invalidation of the VMM's page conflicts with the guest's load of it
 * ({@code kvm_mmu_notifier_invalidate_range_start} zaps the entry the load reads,
 * virt/kvm/kvm_main.c).
 */
class VirtFootprintTest {

    private static final Set<String> KVM = Set.of("kvm", "kvm stage2", "kvm guest stage1", "kvm mmu invalidate",
            "kvm active invalidations", "kvm last access types");

    @Test
    void guestRead_inTwoVms_commute() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER, rec.sim());
        rec.spawn("vmm", () -> {
            long p = fx.mmapAnon(2);
            fx.hostWrite(p, "one");
            fx.hostWrite(p + PAGE, "two");
            Kvm first = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WB);
            Kvm second = fx.vmOver(KvmConfig.defaults(), p + PAGE, 1, PageCacheMode.WB);
            rec.phase("read first", () -> assertThat(fx.guestRead(first, GPA, 3)).isEqualTo("one"));
            rec.phase("read second", () -> assertThat(fx.guestRead(second, GPA, 3)).isEqualTo("two"));
        });

        rec.run();

        Footprint first = rec.of("read first", KVM);
        assertThat(first.accesses()).as("the fault installs the first VM's entry").isNotEmpty();
        assertThat(first.conflictsWith(rec.of("read second", KVM))).isFalse();
    }

    @Test
    void guestRead_twiceOfAMappedPage_commute() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER, rec.sim());
        rec.spawn("vmm", () -> {
            long p = fx.mmapAnon(1);
            fx.hostWrite(p, "data");
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WB);
            fx.guestRead(kvm, GPA, 4);
            rec.phase("read 1", () -> fx.guestRead(kvm, GPA, 4));
            rec.phase("read 2", () -> fx.guestRead(kvm, GPA, 4));
        });

        rec.run();

        Footprint once = rec.of("read 1", KVM);
        String entry = "[" + (GPA / PAGE) + ", " + (GPA / PAGE + 1) + ")";
        assertThat(once.accesses()).as("the load reads its gfn's stage-2 entry").extracting(Object::toString)
                .anyMatch(s -> s.startsWith("read kvm stage2#") && s.endsWith(entry));
        assertThat(once.conflictsWith(rec.of("read 2", KVM))).isFalse();
    }

    @Test
    void munmapOfTheBackingPage_andGuestReadOfIt_conflict() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER, rec.sim());
        rec.spawn("vmm", () -> {
            long p = fx.mmapAnon(1);
            fx.hostWrite(p, "data");
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WB);
            rec.phase("read", () -> fx.guestRead(kvm, GPA, 4));
            rec.phase("munmap", () -> assertThat(fx.vmm.munmap(p, PAGE)).isZero());
        });

        rec.run();

        assertThat(rec.of("read", KVM).conflictsWith(rec.of("munmap", KVM))).isTrue();
    }
}
