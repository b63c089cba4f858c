package accelmm.virt;

import static accelmm.virt.VirtFixture.GPA;
import static accelmm.virt.VirtFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.MemoryZone;
import accelmm.mm.MmStruct;
import accelmm.mm.PageCacheMode;
import accelmm.mm.Task;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * {@code KVM_SET_USER_MEMORY_REGION}'s checks ({@code kvm_set_memory_region} in
 * virt/kvm/kvm_main.c: alignment, {@code access_ok}, wrap, size, {@code
 * kvm_check_memslot_overlap}), {@code kvm_vm_ioctl}'s -EIO for another mm, and what a guest
 * access without a memslot or without its own mapping gets.
 */
class KvmMemorySlotTest {

    private final VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER);

    private long region(long gpa, long hva, long size) {
        long[] ret = new long[1];
        fx.run(() -> {
            Kvm kvm = fx.createVm(KvmConfig.defaults());
            ret[0] = kvm.setUserMemoryRegion(fx.vmm, gpa, hva, size);
        });
        return ret[0];
    }

    @Test
    void setUserMemoryRegion_aligned_zeroAndHvaOfTranslates() {
        fx.run(() -> {
            long p = fx.mmapAnon(4);
            Kvm kvm = fx.createVm(KvmConfig.defaults());
            assertThat(kvm.setUserMemoryRegion(fx.vmm, GPA, p, 4 * PAGE)).isZero();
            assertThat(kvm.hvaOf(GPA + PAGE + 8)).isEqualTo(OptionalLong.of(p + PAGE + 8));
            assertThat(kvm.hvaOf(GPA + 4 * PAGE)).isEmpty();
            assertThat(kvm.hvaOf(GPA - 1)).isEmpty();
        });
    }

    @Test
    void setUserMemoryRegion_unmappedHva_accepted() {
        assertThat(region(GPA, 0x7000_0000_0000L, PAGE)).isZero();
    }

    @Test
    void setUserMemoryRegion_unalignedGpa_einval() {
        assertThat(region(GPA + 8, 0x1000_0000L, PAGE)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void setUserMemoryRegion_unalignedHva_einval() {
        assertThat(region(GPA, 0x1000_0008L, PAGE)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void setUserMemoryRegion_unalignedSize_einval() {
        assertThat(region(GPA, 0x1000_0000L, PAGE + 1)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void setUserMemoryRegion_overlappingGfns_eexist() {
        fx.run(() -> {
            Kvm kvm = fx.createVm(KvmConfig.defaults());
            assertThat(kvm.setUserMemoryRegion(fx.vmm, GPA, 0x1000_0000L, 4 * PAGE)).isZero();
            assertThat(kvm.setUserMemoryRegion(fx.vmm, GPA + 3 * PAGE, 0x2000_0000L, 2 * PAGE))
                    .isEqualTo(Errno.EEXIST.neg());
            assertThat(kvm.setUserMemoryRegion(fx.vmm, GPA - PAGE, 0x2000_0000L, 2 * PAGE))
                    .isEqualTo(Errno.EEXIST.neg());
            // Adjacent gfns, and the same hva again, are fine: only guest frames may not overlap.
            assertThat(kvm.setUserMemoryRegion(fx.vmm, GPA + 4 * PAGE, 0x1000_0000L, PAGE)).isZero();
        });
    }

    @Test
    void setUserMemoryRegion_beyondTaskSize_einval() {
        assertThat(region(GPA, MmStruct.TASK_SIZE - PAGE, 2 * PAGE)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void setUserMemoryRegion_gpaWraps_einval() {
        assertThat(region(-PAGE, 0x1000_0000L, 2 * PAGE)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void setUserMemoryRegion_zeroSize_einval() {
        assertThat(region(GPA, 0x1000_0000L, 0)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void setUserMemoryRegion_fromForkedChild_eio() {
        fx.run(() -> {
            Kvm kvm = fx.createVm(KvmConfig.defaults());
            Task child = fx.vmm.fork("child");
            assertThat(kvm.setUserMemoryRegion(child, GPA, 0x1000_0000L, PAGE)).isEqualTo(Errno.EIO.neg());
            assertThat(kvm.guestMap(child, GPA, PAGE, PageCacheMode.WB)).isEqualTo(Errno.EIO.neg());
            assertThat(kvm.guestRead(child, GPA, new byte[1])).isEqualTo(Errno.EIO.neg());
            assertThat(kvm.guestWrite(child, GPA, new byte[1], null)).isEqualTo(Errno.EIO.neg());
            child.exit();
        });
    }

    @Test
    void guestMap_unaligned_einval() {
        fx.run(() -> {
            Kvm kvm = fx.createVm(KvmConfig.defaults());
            assertThat(kvm.guestMap(fx.vmm, GPA + 1, PAGE, PageCacheMode.WB)).isEqualTo(Errno.EINVAL.neg());
            assertThat(kvm.guestMap(fx.vmm, GPA, 0, PageCacheMode.WB)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void guestRead_noMemslot_efault() {
        fx.run(() -> {
            Kvm kvm = fx.createVm(KvmConfig.defaults());
            assertThat(kvm.guestMap(fx.vmm, GPA, PAGE, PageCacheMode.WB)).isZero();
            assertThat(kvm.guestRead(fx.vmm, GPA, new byte[8])).isEqualTo(Errno.EFAULT.neg());
        });
        assertThat(fx.guestAccesses).isEmpty();
    }

    @Test
    void guestRead_noStage1_efault() {
        fx.run(() -> {
            long p = fx.mmapAnon(1);
            Kvm kvm = fx.createVm(KvmConfig.defaults());
            assertThat(kvm.setUserMemoryRegion(fx.vmm, GPA, p, PAGE)).isZero();
            assertThat(kvm.guestRead(fx.vmm, GPA, new byte[8])).isEqualTo(Errno.EFAULT.neg());
        });
        assertThat(fx.guestAccesses).isEmpty();
    }

    @Test
    void guestRead_memslotOverHole_efault() {
        fx.run(() -> {
            Kvm kvm = fx.createVm(KvmConfig.defaults());
            assertThat(kvm.setUserMemoryRegion(fx.vmm, GPA, 0x7000_0000_0000L, PAGE)).isZero();
            assertThat(kvm.guestMap(fx.vmm, GPA, PAGE, PageCacheMode.WB)).isZero();
            assertThat(kvm.guestRead(fx.vmm, GPA, new byte[8])).isEqualTo(Errno.EFAULT.neg());
        });
    }

    @Test
    void guestWrite_thenVmmRead_sameBytes() {
        fx.run(() -> {
            long p = fx.mmapAnon(2);
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 2, PageCacheMode.WB);
            byte[] data = VirtFixture.bytes("guest wrote across a page boundary");
            assertThat(kvm.guestWrite(fx.vmm, GPA + PAGE - 10, data, null)).isEqualTo(data.length);
            assertThat(fx.hostRead(p + PAGE - 10, data.length)).isEqualTo("guest wrote across a page boundary");
            assertThat(kvm.describeType(GPA)).isEqualTo("wb (stage 1 wb, EPT wb, guest PAT honoured)");
            assertThat(kvm.describeType(GPA + 2 * PAGE)).isNull();
        });
        assertThat(fx.guestAccesses).hasSize(2).allSatisfy(g -> {
            assertThat(g.access().principal()).isEqualTo(fx.vmm.principal());
            assertThat(g.access().through()).startsWith("guest gpa 0x");
            assertThat(g.broken()).isNull();
        });
    }

    @Test
    void createVm_fdTableFull_emfileAndNothingLeft() {
        fx.run(() -> {
            while (fx.vmm.installFile(fx.kernel.openFile(new TestPfnDevice(fx.kernel,
                    MemoryZone.SYSTEM, PageCacheMode.WB), true, true, null), false) >= 0) {
                // fill the table
            }
            int mmCount = fx.vmm.mm().count();
            assertThat(Kvm.createVm(fx.kernel, fx.vmm, KvmConfig.defaults())).isEqualTo(Errno.EMFILE.neg());
            assertThat(fx.vmm.mm().count()).isEqualTo(mmCount);
            assertThat(fx.vmm.mm().mmuNotifiers()).isEmpty();
        });
    }
}
