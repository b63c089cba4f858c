package accelmm.virt;

/**
 * What a VM is created with: the architecture, and the two capabilities that decide the memory
 * type of guest RAM ({@link Stage2Attr}).
 *
 * @param arch the host architecture
 * @param ignoreGuestPat x86 only: {@code KVM_X86_QUIRK_IGNORE_GUEST_PAT} left enabled, so EPT
 *     entries of RAM carry WB with the IPAT bit and the guest's PAT is ignored ({@code
 *     vmx_get_mt_mask}, arch/x86/kvm/vmx/vmx.c). The quirk can be disabled only on a CPU with
 *     self-snoop ({@code KVM_CAP_DISABLE_QUIRKS2}); the default here is disabled: the guest's
 *     type is honoured
 * @param fwb arm64 only: FEAT_S2FWB, with which stage 2 forces normal memory to write-back
 *     whatever stage 1 says
 */
public record KvmConfig(Arch arch, boolean ignoreGuestPat, boolean fwb) {

    /** The host architecture of the VM. */
    public enum Arch {
        X86, ARM64
    }

    public KvmConfig {
        if (arch == null) {
            throw new IllegalArgumentException("a VM needs an architecture");
        }
        if (ignoreGuestPat && arch != Arch.X86) {
            throw new IllegalArgumentException("the guest PAT quirk is x86's");
        }
        if (fwb && arch != Arch.ARM64) {
            throw new IllegalArgumentException("FEAT_S2FWB is arm64's");
        }
    }

    /** x86, guest PAT honoured (quirk disabled, as on a self-snooping CPU), no FWB. */
    public static KvmConfig defaults() {
        return new KvmConfig(Arch.X86, false, false);
    }
}
