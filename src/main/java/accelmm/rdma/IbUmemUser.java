package accelmm.rdma;

import accelmm.mm.Errno;
import accelmm.mm.Gup;
import accelmm.mm.MmStruct;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.sim.Shared;

/**
 * Models an {@code ib_umem} over user memory, as {@code ib_umem_get} (drivers/infiniband/core/
 * umem.c) makes it: the pages of {@code [addr, addr + length)} pinned with {@code
 * pin_user_pages_fast(FOLL_LONGTERM | FOLL_WRITE)}, so GUP's long-term rules apply (a write pin
 * breaks COW first, KERNEL-SEMANTICS 13.2), and the owning mm grabbed ({@code mmgrab}) until
 * release. The NIC uses these frames until the region is deregistered, whatever the process
 * does with its address space afterwards: a {@code munmap} or a new mapping at the same address
 * leaves the region on the old pages, which the pins keep allocated (RMR-01). Regions are
 * registered writable (the statements write and read them remotely), hence {@code FOLL_WRITE}.
 *
 * <p>Not modelled: {@code RLIMIT_MEMLOCK} and {@code can_do_mlock} (the language has no
 * resource limits: registration behaves as with an unlimited memlock limit, or {@code
 * CAP_IPC_LOCK}, the setting RDMA deployments use) and {@code mm->pinned_vm}, which only that
 * limit reads; dirtying the pages at release.
 */
final class IbUmemUser implements IbUmem {

    /** {@code pin_user_pages_fast} is called for at most a page of page pointers at a time. */
    private static final int PIN_BATCH_PAGES = PageFrame.PAGE_SIZE / Long.BYTES;

    private final MmStruct owningMm;
    private final long address;
    private final long lengthBytes;
    private final PageFrame[] pages;
    private boolean released;
    /** The released flag: the last close of the file may come from any process. */
    private final Shared shared;

    private IbUmemUser(MmStruct owningMm, long address, long lengthBytes, PageFrame[] pages) {
        this.shared = owningMm.kernel().sim().shared("ib umem");
        this.owningMm = owningMm;
        this.address = address;
        this.lengthBytes = lengthBytes;
        this.pages = pages;
    }

    /** The umem made, or the errno {@code ib_umem_get} fails with. */
    record Get(IbUmemUser umem, int errno) {
    }

    /**
     * {@code ib_umem_get}: -EINVAL when {@code addr + length} wraps or its page alignment does,
     * or when the range covers no page; -ENOMEM above the model's {@link
     * IbDevice#MAX_MR_BYTES}; otherwise the pages are pinned in batches, and the first error of
     * GUP (-EFAULT for a hole or a read-only mapping) unpins what was pinned and is returned.
     */
    static Get get(MmStruct mm, long addr, long length) {
        long end = addr + length;
        long alignedEnd = pageAlignUp(end);
        if (Long.compareUnsigned(end, addr) < 0 || Long.compareUnsigned(alignedEnd, end) < 0) {
            return new Get(null, Errno.EINVAL.neg());
        }
        long pageCount = (alignedEnd - (addr & ~pageMask())) >>> PageFrame.PAGE_SHIFT;
        if (pageCount == 0 || Long.compareUnsigned(pageCount, 0xFFFF_FFFFL) > 0) {
            return new Get(null, Errno.EINVAL.neg());
        }
        if (Long.compareUnsigned(length, IbDevice.MAX_MR_BYTES) > 0) {
            return new Get(null, Errno.ENOMEM.neg());
        }
        PageFrame[] pages = new PageFrame[(int) pageCount];
        int pinned = 0;
        while (pinned < pages.length) {
            int batch = Math.min(pages.length - pinned, PIN_BATCH_PAGES);
            PageFrame[] got = new PageFrame[batch];
            long ret = mm.kernel().gup().pinUserPagesUnlocked(mm,
                    (addr & ~pageMask()) + ((long) pinned << PageFrame.PAGE_SHIFT), batch, true, true, got);
            if (ret < 0) {
                Gup.unpinUserPages(pages, pinned);
                return new Get(null, (int) ret);
            }
            System.arraycopy(got, 0, pages, pinned, (int) ret);
            pinned += (int) ret;
        }
        mm.mmgrab();
        return new Get(new IbUmemUser(mm, addr, length, pages), 0);
    }

    /** The pinned frames as the NIC's translation holds them, one per page, in order. */
    PhysicalMemory.FrameRef[] dmaPages() {
        PhysicalMemory.FrameRef[] refs = new PhysicalMemory.FrameRef[pages.length];
        for (int i = 0; i < pages.length; i++) {
            refs[i] = PhysicalMemory.FrameRef.of(pages[i]);
        }
        return refs;
    }

    @Override
    public long lengthBytes() {
        return lengthBytes;
    }

    @Override
    public int firstPageOffset() {
        return (int) (address & pageMask());
    }

    /** Unpins every page and drops the grab on the owning mm ({@code __ib_umem_release}, {@code mmdrop}). */
    @Override
    public void release() {
        shared.write();
        if (released) {
            throw new IllegalStateException("ib_umem_release twice: " + describe());
        }
        released = true;
        Gup.unpinUserPages(pages, pages.length);
        owningMm.mmdrop();
    }

    @Override
    public String describe() {
        return IbMr.size(lengthBytes) + " of user memory at 0x" + Long.toHexString(address);
    }

    private static long pageMask() {
        return PageFrame.PAGE_SIZE - 1;
    }

    private static long pageAlignUp(long a) {
        return (a + pageMask()) & ~pageMask();
    }
}
