package accelmm.virt;

import static accelmm.virt.VirtFixture.GPA;
import static accelmm.virt.VirtFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.Prot;
import org.junit.jupiter.api.Test;

/**
 * KVM-06 on normal memory: pfn-walk registers no notifier, and each stage-2 entry keeps GUP's
 * reference until the VM dies. The page cannot be freed under the guest, but the VMM's own
 * changes of the address (COW of the zero page, a new mapping at the same address) leave the
 * guest on the old page: a stale access, not a use-after-free.
 */
class KvmPfnWalkTest {

    private final VirtFixture fx = new VirtFixture(KvmDesign.PFN_WALK);

    @Test
    void createVm_pfnWalk_registersNoNotifier() {
        fx.run(() -> {
            Kvm kvm = fx.createVm(KvmConfig.defaults());
            assertThat(kvm.notifierRegistered()).isFalse();
            assertThat(fx.vmm.mm().mmuNotifiers()).isEmpty();
        });
    }

    @Test
    void zeroPageThenVmmWrite_pfnWalk_staleAccess() {
        fx.run(() -> {
            long p = fx.mmapAnon(1);
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WB);
            assertThat(fx.guestRead(kvm, GPA, 3)).isEqualTo("\0\0\0");

            fx.hostWrite(p, "vmm");

            assertThat(fx.guestRead(kvm, GPA, 3)).as("the guest still sees the zero page").isEqualTo("\0\0\0");
        });
        assertThat(fx.lastGuestAccess().access().frame().isZeroPage()).isTrue();
        assertThat(fx.lastGuestAccess().broken()).isEqualTo(InvariantKind.STALE_ACCESS);
    }

    @Test
    void munmapAndRemap_pfnWalk_guestKeepsOldPageStaleAccess() {
        PageFrame[] old = new PageFrame[1];
        fx.run(() -> {
            long p = fx.mmapAnon(1);
            fx.hostWrite(p, "old");
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WB);
            assertThat(fx.guestRead(kvm, GPA, 3)).isEqualTo("old");
            old[0] = kvm.stage2().lookup(GPA >>> 12).ref().frame();

            assertThat(fx.vmm.munmap(p, PAGE)).isZero();
            assertThat(old[0].isFree()).as("the entry's reference holds the page").isFalse();
            long again = fx.vmm.mmap(p, PAGE, Prot.READ_WRITE, false, true, -1, 0);
            assertThat(again).isEqualTo(p);
            fx.hostWrite(p, "new");

            assertThat(fx.guestRead(kvm, GPA, 3)).isEqualTo("old");
        });
        assertThat(fx.lastGuestAccess().access().frame()).isSameAs(old[0]);
        assertThat(fx.lastGuestAccess().broken()).isEqualTo(InvariantKind.STALE_ACCESS);
    }

    @Test
    void migrate_pfnWalk_heldPageStaysPut() {
        fx.run(() -> {
            long p = fx.mmapAnon(1);
            fx.hostWrite(p, "kept");
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WB);
            fx.guestRead(kvm, GPA, 4);
            PageFrame before = fx.vmm.mm().pageTable().lookup(p).frame();

            fx.kernel.migrate().migratePages(fx.vmm, p, PAGE);

            assertThat(fx.vmm.mm().pageTable().lookup(p).frame()).isSameAs(before);
            assertThat(fx.guestRead(kvm, GPA, 4)).isEqualTo("kept");
        });
        assertThat(fx.guestAccesses).allSatisfy(g -> assertThat(g.broken()).isNull());
    }

    @Test
    void vmDestroy_pfnWalk_dropsHeldReferences() {
        fx.run(() -> {
            long baseline = fx.kernel.physicalMemory().allocatedCount();
            long p = fx.mmapAnon(2);
            fx.hostWrite(p, "a");
            fx.hostWrite(p + PAGE, "b");
            long fd = Kvm.createVm(fx.kernel, fx.vmm, KvmConfig.defaults());
            Kvm kvm = Kvm.ofFile(fx.vmm.files().lookup((int) fd));
            assertThat(kvm.setUserMemoryRegion(fx.vmm, GPA, p, 2 * PAGE)).isZero();
            assertThat(kvm.guestMap(fx.vmm, GPA, 2 * PAGE, PageCacheMode.WB)).isZero();
            fx.guestRead(kvm, GPA, 1);
            fx.guestRead(kvm, GPA + PAGE, 1);
            assertThat(fx.vmm.munmap(p, 2 * PAGE)).isZero();
            assertThat(fx.kernel.physicalMemory().allocatedCount()).as("held by the VM").isEqualTo(baseline + 2);

            assertThat(fx.vmm.close((int) fd)).isZero();

            assertThat(kvm.isDestroyed()).isTrue();
            assertThat(fx.kernel.physicalMemory().allocatedCount()).isEqualTo(baseline);
        });
    }
}
