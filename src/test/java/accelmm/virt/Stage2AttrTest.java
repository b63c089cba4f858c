package accelmm.virt;

import static accelmm.mm.PageCacheMode.UC;
import static accelmm.mm.PageCacheMode.WB;
import static accelmm.mm.PageCacheMode.WC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.mm.MemoryZone;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import org.junit.jupiter.api.Test;

/**
 * The memory type of a guest access: stage 2's attributes combined with the guest's own type
 * (KERNEL-SEMANTICS §17, CA-01..03): {@code vmx_get_mt_mask} (arch/x86/kvm/vmx/vmx.c) with the
 * SDM's EPT/PAT combination on x86, {@code user_mem_abort} (arch/arm64/kvm/mmu.c) and the
 * stage-1/stage-2 combination (the weaker wins, FEAT_S2FWB forces WB) on arm64.
 */
class Stage2AttrTest {

    private static final KvmConfig X86_HONOUR = KvmConfig.defaults();
    private static final KvmConfig X86_IGNORE = new KvmConfig(KvmConfig.Arch.X86, true, false);
    private static final KvmConfig ARM64 = new KvmConfig(KvmConfig.Arch.ARM64, false, false);
    private static final KvmConfig ARM64_FWB = new KvmConfig(KvmConfig.Arch.ARM64, false, true);

    private final PhysicalMemory memory = new PhysicalMemory();
    private final PageFrame ram = memory.allocPage();
    private final PageFrame mmio = memory.allocPage(new MemoryZone("bar0", true));

    private static PageCacheMode[] effective(KvmConfig config, PageFrame frame) {
        Stage2Attr attr = Stage2Attr.of(config, frame);
        return new PageCacheMode[] {attr.effective(WB), attr.effective(WC), attr.effective(UC)};
    }

    /**
     * CA-01: RAM under the default quirk is EPT WB with IPAT, so the guest's PAT does not count.
     */
    @Test
    void effective_x86IgnoreGuestPatRam_alwaysWb() {
        assertThat(effective(X86_IGNORE, ram)).containsExactly(WB, WB, WB);
    }

    /**
     * CA-01: an MMIO PFN is EPT UC with IPAT clear; the guest's WC stays WC, anything else is UC.
     */
    @Test
    void effective_x86MmioPfn_wcStaysWc_wbBecomesUc() {
        assertThat(effective(X86_HONOUR, mmio)).containsExactly(UC, WC, UC);
        // kvm_is_mmio_pfn takes precedence over the quirk: EPT UC without IPAT either way.
        assertThat(effective(X86_IGNORE, mmio)).containsExactly(UC, WC, UC);
    }

    /** CA-02: with the quirk disabled RAM is EPT WB without IPAT, which yields the guest's type. */
    @Test
    void effective_x86HonourGuestPatRam_isStage1() {
        assertThat(effective(X86_HONOUR, ram)).containsExactly(WB, WC, UC);
    }

    /** CA-03: FEAT_S2FWB forces RAM write-back whatever stage 1 says. */
    @Test
    void effective_arm64FwbRam_forcesWb() {
        assertThat(effective(ARM64_FWB, ram)).containsExactly(WB, WB, WB);
    }

    /**
     * CA-03: without FWB the weaker attribute of the two stages wins, so the guest's Normal-NC
     * stays.
     */
    @Test
    void effective_arm64NoFwbRam_ncStaysNc() {
        assertThat(effective(ARM64, ram)).containsExactly(WB, WC, UC);
    }

    /**
     * CA-03: a device PFN of a VMA that is not cacheable is Device-nGnRE, which dominates stage 1.
     */
    @Test
    void effective_arm64DevicePfn_isUc() {
        assertThat(effective(ARM64, mmio)).containsExactly(UC, UC, UC);
        assertThat(effective(ARM64_FWB, mmio)).containsExactly(UC, UC, UC);
    }

    /** CA-01..03: the trace names the effective type with both stages' parts. */
    @Test
    void describe_eachCombination_namesBothStages() {
        assertThat(Stage2Attr.of(X86_HONOUR, ram).describe(WC)).isEqualTo("wc (stage 1 wc, EPT wb, guest PAT honoured)");
        assertThat(Stage2Attr.of(X86_IGNORE, ram).describe(WC)).isEqualTo("wb (stage 1 wc, EPT wb+ipat, guest PAT ignored)");
        assertThat(Stage2Attr.of(X86_HONOUR, mmio).describe(WB)).isEqualTo("uc (stage 1 wb, EPT uc)");
        assertThat(Stage2Attr.of(ARM64, mmio).describe(WB)).isEqualTo("uc (stage 1 wb, stage 2 device-nGnRE)");
        assertThat(Stage2Attr.of(ARM64_FWB, ram).describe(WC)).isEqualTo("wb (stage 1 wc, stage 2 normal-wb, FWB)");
    }

    /** CA-02: KVM_X86_QUIRK_IGNORE_GUEST_PAT is x86's. */
    @Test
    void kvmConfig_guestPatQuirkOnArm64_refused() {
        assertThatThrownBy(() -> new KvmConfig(KvmConfig.Arch.ARM64, true, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** CA-03: FEAT_S2FWB is arm64's. */
    @Test
    void kvmConfig_fwbOnX86_refused() {
        assertThatThrownBy(() -> new KvmConfig(KvmConfig.Arch.X86, false, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** CA-02: the default VM is x86 with the quirk disabled, as GPU-in-guest setups run. */
    @Test
    void kvmConfig_defaults_x86HonouringGuestPat() {
        assertThat(KvmConfig.defaults()).isEqualTo(new KvmConfig(KvmConfig.Arch.X86, false, false));
    }
}
