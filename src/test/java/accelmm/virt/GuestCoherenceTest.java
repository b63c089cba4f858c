package accelmm.virt;

import static accelmm.virt.VirtFixture.GPA;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.mm.MemoryZone;
import accelmm.mm.PageCacheMode;
import accelmm.mm.Prot;
import org.junit.jupiter.api.Test;

/**
 * {@code incoherent-access} for guest accesses (CA-01..03). x86 CPUs that honour the guest's PAT
 * for RAM self-snoop (KVM offers disabling {@code KVM_X86_QUIRK_IGNORE_GUEST_PAT} only there), so
 * an uncached guest alias of write-back memory stays coherent, while a forced write-back alias of
 * a write-combined buffer does not; arm64's non-cacheable accesses do not snoop.
 */
class GuestCoherenceTest {

    private InvariantKind guestReadOf(KvmConfig config, PageCacheMode guestType, PageCacheMode bufferType,
            boolean anonymous) {
        VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER);
        fx.run(() -> {
            long p;
            if (anonymous) {
                p = fx.mmapAnon(1);
                fx.hostWrite(p, "x");
            } else {
                p = fx.mmapDevice(new TestPfnDevice(fx.kernel, MemoryZone.SYSTEM, bufferType), 1, Prot.READ_WRITE);
            }
            Kvm kvm = fx.vmOver(config, p, 1, guestType);
            fx.guestRead(kvm, GPA, 1);
        });
        return fx.lastGuestAccess().broken();
    }

    @Test
    void incoherentAccess_x86HonouredWcGuestOverWbFrame_coherentBySelfSnoop() {
        assertThat(guestReadOf(KvmConfig.defaults(), PageCacheMode.WC, null, true)).isNull();
    }

    @Test
    void incoherentAccess_arm64NoFwbNcGuestOverWbFrame_breaks() {
        assertThat(guestReadOf(new KvmConfig(KvmConfig.Arch.ARM64, false, false), PageCacheMode.WC, null, true))
                .isEqualTo(InvariantKind.INCOHERENT_ACCESS);
    }

    @Test
    void incoherentAccess_x86IgnoredGuestPatOverWcBuffer_breaks() {
        assertThat(guestReadOf(new KvmConfig(KvmConfig.Arch.X86, true, false), PageCacheMode.WC, PageCacheMode.WC,
                false)).isEqualTo(InvariantKind.INCOHERENT_ACCESS);
    }

    @Test
    void incoherentAccess_x86HonouredWcGuestOverWcBuffer_holds() {
        assertThat(guestReadOf(KvmConfig.defaults(), PageCacheMode.WC, PageCacheMode.WC, false)).isNull();
    }

    @Test
    void incoherentAccess_x86HonouredWbGuestOverWcBuffer_breaks() {
        assertThat(guestReadOf(KvmConfig.defaults(), PageCacheMode.WB, PageCacheMode.WC, false))
                .isEqualTo(InvariantKind.INCOHERENT_ACCESS);
    }

    @Test
    void incoherentAccess_arm64FwbOverWcBuffer_breaks() {
        assertThat(guestReadOf(new KvmConfig(KvmConfig.Arch.ARM64, false, true), PageCacheMode.WC, PageCacheMode.WC,
                false)).isEqualTo(InvariantKind.INCOHERENT_ACCESS);
    }
}
