package accelmm.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * File owners for tests: a plain file that counts its releases, a PFN-mapped device and a
 * device with a mixed (page and PFN) mapping.
 */
final class TestFiles {

    private TestFiles() {
    }

    /** A file that cannot be mapped and counts how often it is released (must be at most once). */
    static final class CountingFile implements FileOperations {
        int releases;
        final List<Runnable> onRelease = new ArrayList<>();

        @Override
        public void release(File file) {
            releases++;
            onRelease.forEach(Runnable::run);
        }

        @Override
        public String name() {
            return "counting file";
        }
    }

    /**
     * A device whose mmap makes a VM_IO | VM_PFNMAP mapping, as a driver mapping its registers or
     * VRAM does: the fault handler inserts the PFN of a frame of device memory
     * ({@code vmf_insert_pfn}), so the PTE is special and holds no reference.
     */
    static class PfnDevice implements FileOperations, VmOperations {
        static final MemoryZone BAR = new MemoryZone("bar0", true);

        final PageFrame frame;
        int releases;
        /** The memory type the fault handler asks for; WB inserts with {@code vmf_insert_pfn}. */
        PageCacheMode cacheMode = PageCacheMode.WB;
        /** The type its mmap gives {@code vm_page_prot}: the default write-back unless a test sets one. */
        PageCacheMode vmPageProt = PageCacheMode.WB;

        PfnDevice(Kernel kernel) {
            frame = kernel.physicalMemory().allocPage(BAR);
        }

        @Override
        public int mmap(File file, MmapSetup setup) {
            int ret = setup.pfnMapping(this);
            setup.setPageProt(vmPageProt);
            return ret;
        }

        @Override
        public VmFaultResult fault(VmFault fault) {
            if (cacheMode == PageCacheMode.WB) {
                fault.insertPfn(frame);
            } else {
                fault.insertPfnProt(frame, cacheMode);
            }
            return VmFaultResult.NOPAGE;
        }

        @Override
        public void release(File file) {
            releases++;
        }

        @Override
        public String name() {
            return "pfn device";
        }
    }

    /**
     * A device whose mmap makes a VM_MIXEDMAP mapping, as a driver that hands out pages with
     * {@code vm_insert_page} does: page 0 of the mapping is a page of system memory (a normal
     * PTE with its reference and mapcount), every other page a bare PFN of device memory
     * ({@code vmf_insert_mixed}: a special PTE).
     */
    static final class MixedMapDevice implements FileOperations, VmOperations {
        final PageFrame page;
        final PageFrame deviceFrame;

        MixedMapDevice(Kernel kernel) {
            page = kernel.physicalMemory().allocPage();
            deviceFrame = kernel.physicalMemory().allocPage(PfnDevice.BAR);
        }

        @Override
        public int mmap(File file, MmapSetup setup) {
            setup.addFlag(VmFlag.MIXEDMAP);
            setup.addFlag(VmFlag.DONTEXPAND);
            setup.setOps(this);
            return 0;
        }

        @Override
        public VmFaultResult fault(VmFault fault) {
            if (fault.pgoff() == 0) {
                page.get();
                fault.setPage(page);
                return VmFaultResult.OK;
            }
            fault.insertPfn(deviceFrame);
            return VmFaultResult.NOPAGE;
        }

        @Override
        public void release(File file) {
            page.put();
        }

        @Override
        public String name() {
            return "mixedmap device";
        }
    }
}
