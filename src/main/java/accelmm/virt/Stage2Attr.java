package accelmm.virt;

import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;

/**
 * The memory attributes KVM puts in a stage-2 entry, and how the hardware combines them with the
 * guest's own type (stage 1) at each access. Set when the SPTE is installed; the guest's type is
 * applied at the access, as the MMU does.
 *
 * <ul>
 *   <li>x86 is Intel VMX with EPT ({@code vmx_get_mt_mask}, arch/x86/kvm/vmx/vmx.c): a PFN that
 *       is not RAM ({@code kvm_is_mmio_pfn}: here a frame of a device zone) gets EPT type UC with the IPAT
 *       bit clear, and the SDM's combination leaves the guest UC or WC: WC if its PAT says WC,
 *       else UC. RAM gets EPT type WB; with {@code KVM_X86_QUIRK_IGNORE_GUEST_PAT} enabled also
 *       the IPAT bit, so the access is WB whatever the guest's PAT says; with the quirk disabled
 *       (allowed on self-snooping CPUs only) IPAT is clear and EPT WB yields the guest's type.
 *       AMD's NPT has no IPAT: the guest's PAT always combines with the host's, the quirk does
 *       not apply, and the model leaves AMD out.</li>
 *   <li>arm64 ({@code user_mem_abort}, arch/arm64/kvm/mmu.c): a device PFN ({@code
 *       !kvm_is_device_pfn} false) is mapped Device-nGnRE ({@code KVM_PGTABLE_PROT_DEVICE}) and
 *       the access is device memory, UC here, whatever stage 1 says. Normal memory is
 *       Normal-WB at stage 2; with FEAT_S2FWB that forces WB ({@code stage2_has_fwb}), without
 *       it the combination takes the weaker of the two, which is the guest's type. A device PFN
 *       from a {@code VM_PFNMAP} VMA whose {@code vm_page_prot} is cacheable is refused without
 *       {@code kvm_supports_cacheable_pfnmap} and mapped Normal-WB with it: FWB then makes the
 *       guest's accesses WB, a cached alias of whatever the frame is (VRAM mapped through TTM,
 *       whose VMA keeps the cacheable default, is write-combined).</li>
 * </ul>
 *
 * <p>One constant per choice KVM makes: an entry holds one of them, and the guest's type is
 * applied at each access without allocating.
 */
enum Stage2Attr {
    /** x86, a PFN that is not RAM: EPT UC, IPAT clear. */
    X86_MMIO(KvmConfig.Arch.X86, true, PageCacheMode.UC, false),
    /** x86 RAM with {@code KVM_X86_QUIRK_IGNORE_GUEST_PAT} enabled: EPT WB with IPAT. */
    X86_RAM_IGNORE_PAT(KvmConfig.Arch.X86, false, PageCacheMode.WB, true),
    /** x86 RAM with the quirk disabled: EPT WB, IPAT clear. */
    X86_RAM(KvmConfig.Arch.X86, false, PageCacheMode.WB, false),
    /** arm64, a device PFN: Device-nGnRE, whatever stage 1 says. */
    ARM64_DEVICE(KvmConfig.Arch.ARM64, true, PageCacheMode.UC, true),
    /** arm64 normal memory with FEAT_S2FWB: forced WB. */
    ARM64_NORMAL_FWB(KvmConfig.Arch.ARM64, false, PageCacheMode.WB, true),
    /** arm64 normal memory without FWB: Normal-WB, the weaker of the two stages wins. */
    ARM64_NORMAL(KvmConfig.Arch.ARM64, false, PageCacheMode.WB, false),
    /**
     * arm64 with FWB, a device PFN of a cacheable {@code VM_PFNMAP} VMA: mapped as normal
     * memory, Normal-WB forced by FWB, whatever stage 1 says and whatever the frame is.
     */
    ARM64_CACHEABLE_PFNMAP_FWB(KvmConfig.Arch.ARM64, false, PageCacheMode.WB, true);

    private final KvmConfig.Arch arch;
    private final boolean device;
    /** The type stage 2 carries (EPT memtype, or the arm64 S2 attribute as a type). */
    private final PageCacheMode stage2;
    /** x86 IPAT, arm64 FWB on normal memory or a device mapping: the guest's type does not count. */
    private final boolean overridesStage1;
    /** {@link #stages} by the stage-1 type's ordinal, built when first asked for. */
    private final String[] stagesByStage1 = new String[PageCacheMode.values().length];

    Stage2Attr(KvmConfig.Arch arch, boolean device, PageCacheMode stage2, boolean overridesStage1) {
        this.arch = arch;
        this.device = device;
        this.stage2 = stage2;
        this.overridesStage1 = overridesStage1;
    }

    /** The attributes KVM chooses for {@code frame}, from a VMA that is not a cacheable PFNMAP. */
    static Stage2Attr of(KvmConfig config, PageFrame frame) {
        return of(config, frame, false);
    }

    /**
     * The attributes KVM chooses for {@code frame} in a VM of {@code config}; {@code
     * cacheablePfnmap} when the frame came from a {@code VM_PFNMAP} VMA with a cacheable {@code
     * vm_page_prot}. Not to be asked for what {@link #refusesCacheablePfnmap} refuses.
     */
    static Stage2Attr of(KvmConfig config, PageFrame frame, boolean cacheablePfnmap) {
        boolean device = frame.zone().device();
        return switch (config.arch()) {
            case X86 -> device ? X86_MMIO : config.ignoreGuestPat() ? X86_RAM_IGNORE_PAT : X86_RAM;
            case ARM64 -> device ? arm64Device(config, cacheablePfnmap)
                    : config.fwb() ? ARM64_NORMAL_FWB : ARM64_NORMAL;
        };
    }

    private static Stage2Attr arm64Device(KvmConfig config, boolean cacheablePfnmap) {
        if (!cacheablePfnmap) {
            return ARM64_DEVICE;
        }
        if (!config.fwb()) {
            throw new IllegalStateException("a cacheable PFNMAP device PFN without FWB is refused, not mapped");
        }
        return ARM64_CACHEABLE_PFNMAP_FWB;
    }

    /**
     * arm64's {@code user_mem_abort} (arch/arm64/kvm/mmu.c): a PFN outside the linear map ({@code
     * !pfn_is_map_memory}; here a frame of a device zone) from a {@code VM_PFNMAP} VMA whose
     * {@code vm_page_prot} is cacheable fails the fault with -EFAULT unless {@code
     * kvm_supports_cacheable_pfnmap} (FEAT_S2FWB with CTR_EL0.DIC: the model's {@code fwb}).
     * The memslot check at creation does not cover a VMA mapped over the slot afterwards.
     */
    static boolean refusesCacheablePfnmap(KvmConfig config, PageFrame frame, boolean cacheablePfnmap) {
        return config.arch() == KvmConfig.Arch.ARM64 && cacheablePfnmap && frame.zone().device() && !config.fwb();
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
        return effective(stage1).word() + " (" + stages(stage1) + ")";
    }

    /**
     * The two stages' parts, as reports show them beside the guest's address: {@code stage 1 wc,
     * EPT wb+ipat, guest PAT ignored}. Built once per stage-1 type.
     */
    String stages(PageCacheMode stage1) {
        String words = stagesByStage1[stage1.ordinal()];
        if (words == null) {
            words = "stage 1 " + stage1.word() + ", " + stage2Words();
            stagesByStage1[stage1.ordinal()] = words;
        }
        return words;
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
        if (this == ARM64_CACHEABLE_PFNMAP_FWB) {
            return "stage 2 normal-wb, FWB, cacheable PFNMAP of a device PFN";
        }
        return overridesStage1 ? "stage 2 normal-wb, FWB" : "stage 2 normal-wb";
    }
}
