package accelmm.virt;

import static accelmm.virt.VirtFixture.GPA;
import static accelmm.virt.VirtFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.MemoryZone;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.Prot;
import org.junit.jupiter.api.Test;

/**
 * KVM-03/04: {@code hva_to_pfn} (virt/kvm/kvm_main.c). Normal memory through GUP with FOLL_GET,
 * a reference and never a pin; a VM_IO / VM_PFNMAP VMA through {@code hva_to_pfn_remapped}:
 * {@code follow_pfnmap_start}, and without a PTE {@code fixup_user_fault} runs the exporter's
 * fault handler first; a write through a read-only entry is {@code KVM_PFN_ERR_RO_FAULT}; the
 * PFN comes with no page reference ("KVM: Stop grabbing references to PFNMAP'd pages").
 */
class HvaToPfnTest {

    private final VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER);

    /**
     * KVM-03: with no PTE, hva_to_pfn_remapped runs the exporter's fault handler
     * (fixup_user_fault) and looks again.
     */
    @Test
    void hvaToPfn_pfnmapWithoutPte_faultsThroughExporter() {
        fx.run(() -> {
            TestPfnDevice device = new TestPfnDevice(fx.kernel, TestPfnDevice.VRAM, PageCacheMode.WC);
            long p = fx.mmapDevice(device, 1, Prot.READ_WRITE);
            assertThat(fx.vmm.mm().pageTable().lookup(p)).isNull();
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WC);

            assertThat(fx.guestRead(kvm, GPA, 4)).isEqualTo("\0\0\0\0");

            assertThat(device.faults).isEqualTo(1);
            assertThat(fx.vmm.mm().pageTable().lookup(p).frame()).isSameAs(device.frame);
            assertThat(kvm.stage2().lookup(GPA >>> 12).ref().frame()).isSameAs(device.frame);
            assertThat(kvm.describeType(GPA)).isEqualTo("wc (stage 1 wc, EPT uc)");
        });
        assertThat(fx.lastGuestAccess().broken()).isNull();
    }

    /** KVM-03: no VMA at the address is a fault error. */
    @Test
    void hvaToPfn_noVma_fault() {
        fx.run(() -> {
            fx.vmm.mm().mmapLock().downRead();
            fx.vmm.mm().mmapLock().upRead();
            KvmPfn pfn = HvaToPfn.resolve(fx.kernel.gup(), fx.vmm.mm(), 0x7000_0000_0000L, false);
            assertThat(pfn).isEqualTo(new KvmPfn.Error(KvmPfn.Kind.FAULT));
        });
    }

    /** KVM-03: a write through a read-only PFNMAP PTE is KVM_PFN_ERR_RO_FAULT. */
    @Test
    void hvaToPfn_writeOnReadOnlyPfnmap_roFault() {
        fx.run(() -> {
            TestPfnDevice device = new TestPfnDevice(fx.kernel, TestPfnDevice.VRAM, PageCacheMode.WC);
            long p = fx.mmapDevice(device, 1, Prot.READ);
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WC);
            fx.guestRead(kvm, GPA, 1); // the read faults the PTE in, read-only

            assertThat(HvaToPfn.resolve(fx.kernel.gup(), fx.vmm.mm(), p, true))
                    .isEqualTo(new KvmPfn.Error(KvmPfn.Kind.RO_FAULT));
            assertThat(kvm.guestWrite(fx.vmm, GPA, new byte[] {1}, null)).isEqualTo(Errno.EFAULT.neg());
            assertThat(fx.frameText(device.frame, 1)).isEqualTo("\0");
        });
    }

    /** KVM-04: a remapped PFN carries no page reference. */
    @Test
    void hvaToPfn_pfnmap_takesNoReference() {
        fx.run(() -> {
            TestPfnDevice device = new TestPfnDevice(fx.kernel, TestPfnDevice.VRAM, PageCacheMode.WC);
            long p = fx.mmapDevice(device, 1, Prot.READ_WRITE);
            int before = device.frame.refCount();

            KvmPfn pfn = HvaToPfn.resolve(fx.kernel.gup(), fx.vmm.mm(), p, true);

            assertThat(pfn).isEqualTo(new KvmPfn.Found(device.frame, true, false, true));
            assertThat(device.frame.refCount()).isEqualTo(before);
            assertThat(device.frame.pinCount()).isZero();
        });
    }

    /** KVM-03: normal memory goes through GUP with FOLL_GET, a reference and never a pin. */
    @Test
    void hvaToPfn_anonPage_takesReferenceNotPin() {
        fx.run(() -> {
            long p = fx.mmapAnon(1);
            fx.hostWrite(p, "x");
            PageFrame frame = fx.vmm.mm().pageTable().lookup(p).frame();
            int before = frame.refCount();

            KvmPfn pfn = HvaToPfn.resolve(fx.kernel.gup(), fx.vmm.mm(), p, false);

            assertThat(pfn).isEqualTo(new KvmPfn.Found(frame, true, true, false));
            assertThat(frame.refCount()).isEqualTo(before + 1);
            assertThat(frame.pinCount()).isZero();
            assertThat(fx.vmm.mm().hasPinned()).isFalse();
            frame.put();
        });
    }

    /**
     * KVM-03: a read faults in the zero page read-only through GUP; a write asks GUP for a
     * writable page, which breaks COW.
     */
    @Test
    void guestRead_untouchedAnon_mapsZeroPageReadOnlyThenWriteBreaksCow() {
        fx.run(() -> {
            long p = fx.mmapAnon(1);
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WB);
            assertThat(fx.guestRead(kvm, GPA, 2)).isEqualTo("\0\0");
            Spte spte = kvm.stage2().lookup(GPA >>> 12);
            assertThat(spte.ref().frame().isZeroPage()).isTrue();
            assertThat(spte.writable()).isFalse();

            assertThat(kvm.guestWrite(fx.vmm, GPA, VirtFixture.bytes("gw"), null)).isEqualTo(2);

            Spte after = kvm.stage2().lookup(GPA >>> 12);
            assertThat(after.writable()).isTrue();
            assertThat(after.ref().frame()).isSameAs(fx.vmm.mm().pageTable().lookup(p).frame());
            assertThat(fx.hostRead(p, 2)).isEqualTo("gw");
        });
    }

    /**
     * KVM-03 with CA-02: a PFNMAP frame in system memory is RAM to KVM (not kvm_is_mmio_pfn), so
     * EPT WB yields the guest's WC.
     */
    @Test
    void guestRead_systemDeviceFrame_notMmio() {
        fx.run(() -> {
            TestPfnDevice device = new TestPfnDevice(fx.kernel, MemoryZone.SYSTEM, PageCacheMode.WC);
            long p = fx.mmapDevice(device, 1, Prot.READ_WRITE);
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WC);
            fx.guestRead(kvm, GPA, 1);
            assertThat(kvm.describeType(GPA)).isEqualTo("wc (stage 1 wc, EPT wb, guest PAT honoured)");
        });
    }
}
