package accelmm.mm;

/**
 * Models {@code struct vm_operations_struct}: what the owner of a file-backed or device mapping
 * does when the mm layer opens, closes or faults one of its VMAs. Upper layers (GEM, dma-buf,
 * accelerator queues) implement it; shared anonymous memory implements it with shmem.
 */
public interface VmOperations {

    /** A copy of the VMA came into being (fork, or a split). */
    default void open(Vma vma) {
    }

    /** The VMA is going away (munmap, exit, exec). */
    default void close(Vma vma) {
    }

    /**
     * Resolves a fault at {@code fault.address()}: either hands back a page with a reference for
     * the new PTE ({@link VmFault#setPage}), or installs a PFN itself ({@link VmFault#insertPfn}),
     * or fails.
     */
    VmFaultResult fault(VmFault fault);

    /**
     * Whether the owner has a {@code ->close} ({@code can_merge_remove_vma}): a VMA removed by a
     * merge is not closed, so one whose owner counts its VMAs must never be merged away. The
     * model cannot see whether {@link #close} is overridden; an owner without one says so here.
     */
    default boolean hasClose() {
        return true;
    }

    /**
     * {@code vma->vm_file->f_mapping} when this owner's pages are mapped with normal PTEs and
     * reverse mapped through the file's {@code i_mmap} (shmem), or {@code null} (PFN maps, whose
     * special PTEs no reverse map finds).
     */
    default AddressSpace mapping() {
        return null;
    }

    /**
     * {@code vm_operations_struct.access}: {@code access_remote_vm} calls it for an address of
     * this VMA where GUP finds no page (a VM_IO / VM_PFNMAP mapping) to move up to {@code length}
     * bytes between {@code buf} (from {@code bufOffset}) and the mapped object at {@code
     * address}, on behalf of {@code principal}; {@code labels} are the secret labels of a write's
     * bytes, indexed like {@code buf}, or null. Returns the bytes moved, or a negative errno; the
     * default is the absent hook, 0, where the caller stops.
     */
    default int access(Vma vma, long address, byte[] buf, int bufOffset, int length, int[] labels, boolean write,
            Principal principal, MemoryAccess.Via via) {
        return 0;
    }

    /** Whether mremap may move this VMA (uacce refuses with -EPERM in newer kernels). */
    default int mayMremap(Vma vma) {
        return 0;
    }

    /** A name for traces and reports, e.g. {@code gem bo 3}. */
    String name();
}
