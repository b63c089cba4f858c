package accelmm.mm;

import java.util.Map;
import java.util.TreeMap;

/**
 * Models the shmem object behind a {@code MAP_SHARED | MAP_ANONYMOUS} mapping
 * ({@code shmem_zero_setup}): a page cache that every process mapping it — the creator and its
 * children after fork — faults its pages from, so they all see the same memory (HMM-07). The
 * page cache holds one reference per page; the pages go when the file is released.
 */
final class Shmem implements FileOperations, VmOperations {

    private final Kernel kernel;
    private final String name;
    private final TreeMap<Long, PageFrame> pageCache = new TreeMap<>();

    Shmem(Kernel kernel, String name) {
        this.kernel = kernel;
        this.name = name;
    }

    @Override
    public VmFaultResult fault(VmFault fault) {
        PageFrame page = pageCache.computeIfAbsent(fault.pgoff(), k -> kernel.physicalMemory().allocPage());
        page.get();
        fault.setPage(page);
        return VmFaultResult.OK;
    }

    @Override
    public int mmap(File file, MmapSetup setup) {
        setup.setOps(this);
        return 0;
    }

    @Override
    public void release(File file) {
        for (Map.Entry<Long, PageFrame> e : pageCache.entrySet()) {
            e.getValue().put();
        }
        pageCache.clear();
    }

    @Override
    public String name() {
        return name;
    }
}
