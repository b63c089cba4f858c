package accelmm.mm;

/**
 * One access to page-frame memory, as reported to {@link MemoryAccessObserver}s.
 *
 * @param principal  on whose behalf the access is made
 * @param via        which agent made it
 * @param frame      the frame touched
 * @param generation the allocation generation the accessor's reference was taken at; it differs
 *                   from the frame's when the reference outlived the allocation (a stale
 *                   reference to a freed, maybe reused, frame)
 * @param offset     the first byte within the frame
 * @param length     how many bytes
 * @param write      store (true) or load (false)
 * @param mapping    the mapping used, for reports, e.g. {@code cpu va 0x10000}
 * @param invalidatedMapping the accessor's translation (a device PTE, say) was derived before
 *                   an invalidation of its range that has since completed: it should have
 *                   been dropped or refreshed
 * @param cacheMode  the memory type of the mapping used (a CPU PTE's), or {@code null} where
 *                   the access agrees with the frame's own type by construction: the kernel's
 *                   copies and its access hooks (through the owner's own mapping), DMA of a
 *                   device that snoops the CPU caches, a GPU page table whose PAT index follows
 *                   the object's CPU caching
 * @param snoopsCaches whether an uncached ({@code cacheMode} WC or UC) access by this agent still
 *                   snoops the CPU caches: an x86 CPU with self-snoop (X86_FEATURE_SELFSNOOP)
 *                   does, which is why KVM on Intel VMX lets a guest's PAT make guest RAM uncached
 *                   only on such CPUs ({@code KVM_X86_QUIRK_IGNORE_GUEST_PAT}, {@code
 *                   vmx_hardware_setup}, arch/x86/kvm/vmx/vmx.c); false for every other access,
 *                   host CPU accesses included (the host has no architecture in the model)
 */
public record MemoryAccess(Principal principal, Via via, PageFrame frame, long generation,
        int offset, int length, boolean write, Through mapping, boolean invalidatedMapping,
        PageCacheMode cacheMode, boolean snoopsCaches) {

    /** The mapping used, as text: {@code cpu va 0x10000}. */
    public String through() {
        return mapping.toString();
    }

    /**
     * The kind of agent behind an access. {@code PTRACE}: a debugger's access to another
     * process's memory through {@code access_remote_vm} (ptrace, {@code /proc/PID/mem}), on the
     * CPU side; {@code DEBUGGER}: the GPU debugger's access through the device's own interface.
     */
    public enum Via {
        CPU, DEVICE, DEBUGGER, GUEST, COREDUMP, NIC, KERNEL, PTRACE
    }

    /** Whether the reference was taken at an earlier allocation of the frame, or it is free. */
    public boolean staleReference() {
        return frame.generation() != generation || frame.isFree();
    }
}
