package accelmm.virt;

import static accelmm.virt.VirtFixture.GPA;
import static accelmm.virt.VirtFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.mm.Errno;
import accelmm.mm.PageCacheMode;
import accelmm.mm.Prot;
import org.junit.jupiter.api.Test;

/**
 * arm64 KVM and a {@code VM_PFNMAP} VMA whose {@code vm_page_prot} is cacheable (arch/arm64/kvm/mmu.c):
 * {@code kvm_arch_prepare_memory_region} refuses it in a new memslot, and {@code user_mem_abort}
 * refuses its device PFNs, unless {@code kvm_supports_cacheable_pfnmap} (FEAT_S2FWB with
 * CTR_EL0.DIC, the model's {@code fwb}); with that support the PFN is mapped Normal-WB, forced WB
 * by FWB. {@code kvm_vma_is_cacheable} reads the VMA's type, not the PTE's: TTM's VMA of a
 * write-combined VRAM buffer is write-back. x86 checks none of this.
 */
class CacheablePfnmapTest {

    private static final KvmConfig ARM64 = new KvmConfig(KvmConfig.Arch.ARM64, false, false);
    private static final KvmConfig ARM64_FWB = new KvmConfig(KvmConfig.Arch.ARM64, false, true);

    private final VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER);

    /** A write-combined VRAM buffer, its VMA's {@code vm_page_prot} of type {@code vmPageProt}. */
    private TestPfnDevice vramBuffer(PageCacheMode vmPageProt) {
        TestPfnDevice device = new TestPfnDevice(fx.kernel, TestPfnDevice.VRAM, PageCacheMode.WC);
        device.vmPageProt = vmPageProt;
        return device;
    }

    /** KVM_SET_USER_MEMORY_REGION of one page over a mapping of a VRAM buffer with {@code vmPageProt}. */
    private long memslotOverVram(KvmConfig config, PageCacheMode vmPageProt) {
        long[] ret = new long[1];
        fx.run(() -> {
            long p = fx.mmapDevice(vramBuffer(vmPageProt), 1, Prot.READ_WRITE);
            ret[0] = fx.createVm(config).setUserMemoryRegion(fx.vmm, GPA, p, PAGE);
        });
        return ret[0];
    }

    @Test
    void setUserMemoryRegion_arm64NoFwbCacheablePfnmap_einval() {
        assertThat(memslotOverVram(ARM64, PageCacheMode.WB)).isEqualTo(Errno.EINVAL.neg());
    }

    /** {@code kvm_vma_is_cacheable}: Normal-NC ({@code pgprot_writecombine}) is not cacheable. */
    @Test
    void setUserMemoryRegion_arm64NoFwbWcPfnmap_accepted() {
        assertThat(memslotOverVram(ARM64, PageCacheMode.WC)).isZero();
    }

    /** Device-nGnRnE ({@code pgprot_noncached}) is not cacheable either. */
    @Test
    void setUserMemoryRegion_arm64NoFwbUcPfnmap_accepted() {
        assertThat(memslotOverVram(ARM64, PageCacheMode.UC)).isZero();
    }

    @Test
    void setUserMemoryRegion_arm64FwbCacheablePfnmap_accepted() {
        assertThat(memslotOverVram(ARM64_FWB, PageCacheMode.WB)).isZero();
    }

    /** x86's {@code kvm_arch_prepare_memory_region} has no such check. */
    @Test
    void setUserMemoryRegion_x86CacheablePfnmap_accepted() {
        assertThat(memslotOverVram(KvmConfig.defaults(), PageCacheMode.WB)).isZero();
    }

    /** Only PFNMAP VMAs are checked: anonymous memory is cacheable and accepted. */
    @Test
    void setUserMemoryRegion_arm64NoFwbAnonymous_accepted() {
        fx.run(() -> {
            long p = fx.mmapAnon(1);
            assertThat(fx.createVm(ARM64).setUserMemoryRegion(fx.vmm, GPA, p, PAGE)).isZero();
        });
    }

    /**
     * The memslot check sees only the VMAs there at creation; a cacheable PFNMAP mapped over the
     * slot afterwards is refused at the stage-2 fault ({@code user_mem_abort}: -EFAULT).
     */
    @Test
    void guestRead_arm64NoFwbPfnmapAppearedAfterMemslot_efault() {
        fx.run(() -> {
            long p = fx.mmapAnon(1);
            Kvm kvm = fx.vmOver(ARM64, p, 1, PageCacheMode.WB);
            TestPfnDevice device = vramBuffer(PageCacheMode.WB);
            int fd = fx.vmm.installFile(fx.kernel.openFile(device, true, true, device), false);
            assertThat(fx.vmm.mmap(p, PAGE, Prot.READ_WRITE, true, true, fd, 0)).isEqualTo(p);

            assertThat(kvm.guestRead(fx.vmm, GPA, new byte[1])).isEqualTo(Errno.EFAULT.neg());
            assertThat(kvm.describeType(GPA)).isNull();
        });
    }

    /**
     * With FWB the device PFN of a cacheable PFNMAP is mapped Normal-WB and FWB makes the access
     * WB whatever the guest says: a cached alias of write-combined VRAM.
     */
    @Test
    void guestRead_arm64FwbCacheablePfnmapDeviceFrame_wbStage2() {
        fx.run(() -> {
            long p = fx.mmapDevice(vramBuffer(PageCacheMode.WB), 1, Prot.READ_WRITE);
            Kvm kvm = fx.vmOver(ARM64_FWB, p, 1, PageCacheMode.WC);
            fx.guestRead(kvm, GPA, 1);

            assertThat(kvm.describeType(GPA))
                    .isEqualTo("wb (stage 1 wc, stage 2 normal-wb, FWB, cacheable PFNMAP of a device PFN)");
        });
        assertThat(fx.lastGuestAccess().broken()).isEqualTo(InvariantKind.INCOHERENT_ACCESS);
    }

    /** A non-cacheable PFNMAP's device PFN is mapped Device-nGnRE, as before, with or without FWB. */
    @Test
    void guestRead_arm64FwbWcPfnmapDeviceFrame_deviceStage2() {
        fx.run(() -> {
            long p = fx.mmapDevice(vramBuffer(PageCacheMode.WC), 1, Prot.READ_WRITE);
            Kvm kvm = fx.vmOver(ARM64_FWB, p, 1, PageCacheMode.WB);
            fx.guestRead(kvm, GPA, 1);

            assertThat(kvm.describeType(GPA)).isEqualTo("uc (stage 1 wb, stage 2 device-nGnRE)");
        });
        assertThat(fx.lastGuestAccess().broken()).isNull();
    }
}
