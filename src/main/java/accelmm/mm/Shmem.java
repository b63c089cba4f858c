package accelmm.mm;

/**
 * Models the shmem object behind a {@code MAP_SHARED | MAP_ANONYMOUS} mapping
 * ({@code shmem_zero_setup}) or a memfd: a page cache ({@link AddressSpace}) that every process
 * mapping it — the creator and its children after fork — faults its pages from, so they all see
 * the same memory (HMM-07). The page cache holds one reference per page; the pages go when the
 * file is released.
 */
final class Shmem implements FileOperations, VmOperations {

    private final String name;
    private final AddressSpace mapping;

    Shmem(Kernel kernel, String name) {
        this.name = name;
        this.mapping = new AddressSpace(kernel, name);
    }

    /** Its name, as its page cache's: {@code shmem} for an anonymous shared mapping. */
    @Override
    public String toString() {
        return name;
    }

    /** {@code shmem_fault}: the page at the faulting offset, from the cache, swap, or new. */
    @Override
    public VmFaultResult fault(VmFault fault) {
        fault.setPage(mapping.getPage(fault.pgoff()));
        return VmFaultResult.OK;
    }

    @Override
    public int mmap(File file, MmapSetup setup) {
        setup.setOps(this);
        return 0;
    }

    @Override
    public AddressSpace mapping() {
        return mapping;
    }

    /** {@code shmem_vm_ops} has no {@code ->close}: its VMAs may be merged away. */
    @Override
    public boolean hasClose() {
        return false;
    }

    @Override
    public void release(File file) {
        mapping.truncate();
    }

    @Override
    public String name() {
        return name;
    }
}
