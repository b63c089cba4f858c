package accelmm.virt;

import static accelmm.virt.VirtFixture.GPA;
import static accelmm.virt.VirtFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.mm.MemoryAccess;
import accelmm.mm.MemoryZone;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory.FrameRef;
import accelmm.mm.Principal;
import accelmm.mm.Prot;
import org.junit.jupiter.api.Test;

/**
 * A guest on an exporter's PFNMAP mapping (a dma-buf or GEM mmap of VRAM) whose buffer moves.
 * KVM-05: under the notifier the eviction's {@code unmap_mapping_range} zaps the stage-2 entry,
 * and the next guest access faults through {@code hva_to_pfn_remapped} and the exporter's fault
 * handler into the new placement. KVM-06: pfn-walk keeps the PFN, with no reference, so the
 * guest reads the frame after its owner freed it and another process reused it.
 */
class KvmEvictionTest {

    @Test
    void eviction_notifier_nextGuestAccessFindsNewPlacement() {
        VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER);
        fx.run(() -> {
            TestPfnDevice device = new TestPfnDevice(fx.kernel, TestPfnDevice.VRAM, PageCacheMode.WC);
            long p = fx.mmapDevice(device, 1, Prot.READ_WRITE);
            fx.hostWrite(p, "guest-visible");
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WC);
            assertThat(fx.guestRead(kvm, GPA, 13)).isEqualTo("guest-visible");
            PageFrame vram = device.frame;

            device.move(MemoryZone.SYSTEM);

            assertThat(kvm.stage2().size()).isZero();
            assertThat(fx.guestRead(kvm, GPA, 13)).isEqualTo("guest-visible");
            assertThat(kvm.stage2().lookup(GPA >>> 12).ref().frame()).isSameAs(device.frame).isNotSameAs(vram);
            assertThat(device.faults).isEqualTo(2);
            assertThat(kvm.describeType(GPA)).isEqualTo("wc (stage 1 wc, EPT wb, guest PAT honoured)");
        });
        assertThat(fx.guestAccesses).hasSize(2).allSatisfy(g -> assertThat(g.broken()).isNull());
    }

    @Test
    void evictionThenReuse_pfnWalk_guestReadsOtherSecret() {
        VirtFixture fx = new VirtFixture(KvmDesign.PFN_WALK);
        fx.run(() -> {
            TestPfnDevice device = new TestPfnDevice(fx.kernel, TestPfnDevice.VRAM, PageCacheMode.WC);
            long p = fx.mmapDevice(device, 1, Prot.READ_WRITE);
            fx.hostWrite(p, "guest-visible");
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WC);
            assertThat(fx.guestRead(kvm, GPA, 13)).isEqualTo("guest-visible");
            PageFrame vram = device.frame;

            device.move(MemoryZone.SYSTEM);
            PageFrame reused = fx.kernel.physicalMemory().allocPage(TestPfnDevice.VRAM);
            assertThat(reused).as("the freed VRAM frame is the next one handed out").isSameAs(vram);
            byte[] secret = VirtFixture.bytes("B's secret!!!");
            fx.kernel.physicalMemory().write(new Principal("B"), MemoryAccess.Via.CPU, FrameRef.of(reused), 0,
                    secret, 0, secret.length, null, "cpu va");

            assertThat(kvm.stage2().size()).as("nothing zapped the entry").isEqualTo(1);
            assertThat(fx.guestRead(kvm, GPA, 13)).isEqualTo("B's secret!!!");
            reused.put();
        });
        assertThat(fx.lastGuestAccess().access().staleReference()).isTrue();
        assertThat(fx.lastGuestAccess().broken()).isEqualTo(InvariantKind.USE_AFTER_FREE);
    }
}
