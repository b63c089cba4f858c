package accelmm.virt;

import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;

/**
 * The memory attributes KVM puts in a stage-2 entry, and how the hardware combines them with the
 * guest's own type (stage 1) at each access. Set when the SPTE is installed; the guest's type is
 * applied at the access, as the MMU does.
 *
 * <ul>
 *   <li>x86 with EPT ({@code vmx_get_mt_mask}, arch/x86/kvm/vmx/vmx.c): a PFN that is not RAM
 *       ({@code kvm_is_mmio_pfn}: here a frame of a device zone) gets EPT type UC with the IPAT
 *       bit clear, and the SDM's combination leaves the guest UC or WC: WC if its PAT says WC,
 *       else UC. RAM gets EPT type WB; with {@code KVM_X86_QUIRK_IGNORE_GUEST_PAT} enabled also
 *       the IPAT bit, so the access is WB whatever the guest's PAT says; with the quirk disabled
 *       (allowed on self-snooping CPUs only) IPAT is clear and EPT WB yields the guest's type.</li>
 *   <li>arm64 ({@code user_mem_abort}, arch/arm64/kvm/mmu.c): a device PFN ({@code
 *       !kvm_is_device_pfn} false) is mapped Device-nGnRE ({@code KVM_PGTABLE_PROT_DEVICE}) and
 *       the access is device memory, UC here, whatever stage 1 says. Normal memory is
 *       Normal-WB at stage 2; with FEAT_S2FWB that forces WB ({@code stage2_has_fwb}), without
 *       it the combination takes the weaker of the two, which is the guest's type.</li>
 * </ul>
 *
 * @param arch the VM's architecture
 * @param device whether the frame is MMIO / device memory
 * @param stage2 the type stage 2 carries (EPT memtype, or the arm64 S2 attribute as a type)
 * @param overridesStage1 x86 IPAT, arm64 FWB on normal memory: the guest's type does not count
 */
record Stage2Attr(KvmConfig.Arch arch, boolean device, PageCacheMode stage2, boolean overridesStage1) {

    /** The attributes KVM chooses for {@code frame} in a VM of {@code config}. */
    static Stage2Attr of(KvmConfig config, PageFrame frame) {
        boolean device = frame.zone().device();
        return switch (config.arch()) {
            case X86 -> device
                    ? new Stage2Attr(KvmConfig.Arch.X86, true, PageCacheMode.UC, false)
                    : new Stage2Attr(KvmConfig.Arch.X86, false, PageCacheMode.WB, config.ignoreGuestPat());
            case ARM64 -> device
                    ? new Stage2Attr(KvmConfig.Arch.ARM64, true, PageCacheMode.UC, true)
                    : new Stage2Attr(KvmConfig.Arch.ARM64, false, PageCacheMode.WB, config.fwb());
        };
    }

    /** The type of an access the guest makes with its own type {@code stage1}. */
    PageCacheMode effective(PageCacheMode stage1) {
        if (overridesStage1) {
            return stage2;
        }
        if (device) {
            // EPT UC with IPAT clear: UC, unless the guest's PAT asks for WC.
            return stage1 == PageCacheMode.WC ? PageCacheMode.WC : PageCacheMode.UC;
        }
        return stage1;
    }

    /**
     * The effective type with its parts, for traces: {@code wc (stage 1 wc, EPT wb, guest PAT
     * honoured)}, {@code uc (stage 1 wb, stage 2 device-nGnRE)}.
     */
    String describe(PageCacheMode stage1) {
        return effective(stage1).word() + " (stage 1 " + stage1.word() + ", " + stage2Words() + ")";
    }

    private String stage2Words() {
        if (arch == KvmConfig.Arch.X86) {
            if (device) {
                return "EPT uc";
            }
            return overridesStage1 ? "EPT wb+ipat, guest PAT ignored" : "EPT wb, guest PAT honoured";
        }
        if (device) {
            return "stage 2 device-nGnRE";
        }
        return overridesStage1 ? "stage 2 normal-wb, FWB" : "stage 2 normal-wb";
    }
}
