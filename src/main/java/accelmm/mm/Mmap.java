package accelmm.mm;

import java.util.EnumSet;
import java.util.List;

/**
 * The address-space system calls: mmap and munmap (mm/mmap.c, mm/vma.c), mprotect
 * (mm/mprotect.c) and madvise (mm/madvise.c), with their argument checks and errno values.
 *
 * <p>Each takes {@code mmap_lock} for writing (madvise(MADV_DONTNEED) for reading), splits VMAs
 * at the edges of the range, and brackets every change of present PTEs with an interval
 * notifier invalidation: UNMAP for munmap and MAP_FIXED replacement, PROTECTION_VMA for
 * mprotect, CLEAR for MADV_DONTNEED.
 */
public final class Mmap {

    /** The madvise advice values the model implements. */
    public enum Advice {
        DONTNEED, DONTFORK, DOFORK, WIPEONFORK, KEEPONFORK
    }

    private static final long PAGE_MASK = PageFrame.PAGE_SIZE - 1;

    private final Kernel kernel;

    Mmap(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * {@code mmap(addr, length, prot, flags, fd, offset)}.
     *
     * @param file   the file to map, or {@code null} for anonymous memory
     * @param fixed  MAP_FIXED: map exactly at {@code addr}, replacing whatever is there
     * @param offset byte offset in the file; must be page aligned
     * @return the address mapped, or a negative errno
     */
    public long mmap(MmStruct mm, long addr, long length, Prot prot, boolean shared, boolean fixed, File file,
            long offset) {
        if (length <= 0) {
            return Errno.EINVAL.neg();
        }
        long len = pageAlignUp(length);
        if (len <= 0 || len > MmStruct.TASK_SIZE) {
            return Errno.ENOMEM.neg();
        }
        if ((offset & PAGE_MASK) != 0 || offset < 0 || (fixed && (addr & PAGE_MASK) != 0)) {
            return Errno.EINVAL.neg();
        }
        if (fixed && (addr + len > MmStruct.TASK_SIZE || addr + len < addr)) {
            return Errno.ENOMEM.neg();
        }
        if (file != null && (!file.readable() || (shared && prot.write() && !file.writable()))) {
            return Errno.EACCES.neg();
        }
        EnumSet<VmFlag> flags = EnumSet.noneOf(VmFlag.class);
        addProt(flags, prot);
        if (shared) {
            flags.add(VmFlag.SHARED);
        }
        if (!shared || file == null || file.writable()) {
            flags.add(VmFlag.MAYWRITE);
        }
        File backing = file;
        if (file == null) {
            // Anonymous memory ignores the offset (do_mmap: shared anon pgoff is 0).
            offset = 0;
        }
        if (file == null && shared) {
            Shmem shmem = new Shmem(kernel, "shmem");
            backing = kernel.openFile(shmem, true, true, shmem);
        } else if (file != null) {
            file.get();
        }
        mm.mmapLock().downWrite();
        try {
            return mmapLocked(mm, addr, len, flags, fixed, backing, offset >>> PageFrame.PAGE_SHIFT);
        } finally {
            mm.mmapLock().upWrite();
        }
    }

    private long mmapLocked(MmStruct mm, long addr, long len, EnumSet<VmFlag> flags, boolean fixed, File file,
            long pgoff) {
        VmOperations ops = null;
        if (file != null) {
            MmapSetup setup = new MmapSetup(len, pgoff, flags);
            int ret = file.ops().mmap(file, setup);
            if (ret < 0 || setup.ops() == null) {
                file.put();
                return ret < 0 ? ret : Errno.ENODEV.neg();
            }
            flags = EnumSet.copyOf(setup.flags());
            ops = setup.ops();
        }
        long start = addr;
        if (fixed) {
            // MAP_FIXED: the old mappings in the range go first, with an UNMAP invalidation.
            kernel.memoryOps().unmapVmas(mm, mm.splitAround(addr, addr + len), addr, addr + len,
                    MmuNotifierEvent.UNMAP);
        } else {
            start = mm.getUnmappedArea(len);
            if (start < 0) {
                if (file != null) {
                    file.put();
                }
                return start;
            }
        }
        if (ops == null) {
            // do_mmap: a private anonymous mapping's pgoff is its address in pages.
            pgoff = start >>> PageFrame.PAGE_SHIFT;
        }
        Vma vma = new Vma(mm, start, start + len, flags, pgoff, ops, file);
        mm.insertVma(vma);
        Rmap.linkFile(vma);
        if (ops != null) {
            ops.open(vma);
        }
        return start;
    }

    /** {@code munmap(addr, length)}: 0, or -EINVAL for an unaligned address or zero length. */
    public int munmap(MmStruct mm, long addr, long length) {
        if ((addr & PAGE_MASK) != 0 || length <= 0) {
            return Errno.EINVAL.neg();
        }
        long end = addr + pageAlignUp(length);
        if (end > MmStruct.TASK_SIZE || end < addr) {
            return Errno.EINVAL.neg();
        }
        mm.mmapLock().downWrite();
        try {
            kernel.memoryOps().unmapVmas(mm, mm.splitAround(addr, end), addr, end, MmuNotifierEvent.UNMAP);
            return 0;
        } finally {
            mm.mmapLock().upWrite();
        }
    }

    /**
     * {@code mprotect(addr, length, prot)}: -EINVAL for an unaligned address, -ENOMEM when the
     * range has a hole (VMAs before the hole are already changed, as in Linux), -EACCES for write
     * access to a shared mapping of a file not opened for writing.
     */
    public int mprotect(MmStruct mm, long addr, long length, Prot prot) {
        if ((addr & PAGE_MASK) != 0) {
            return Errno.EINVAL.neg();
        }
        if (length == 0) {
            return 0;
        }
        long end = addr + pageAlignUp(length);
        if (end <= addr) {
            return Errno.ENOMEM.neg();
        }
        mm.mmapLock().downWrite();
        try {
            long next = addr;
            for (Vma vma : mm.splitAround(addr, end)) {
                if (vma.start() != next) {
                    return Errno.ENOMEM.neg();
                }
                if (prot.write() && !vma.has(VmFlag.MAYWRITE)) {
                    return Errno.EACCES.neg();
                }
                changeProtection(vma, prot);
                next = vma.end();
            }
            return next == end ? 0 : Errno.ENOMEM.neg();
        } finally {
            mm.mmapLock().upWrite();
        }
    }

    /** {@code change_protection}: new VMA flags; PTEs lose write permission when the VMA does. */
    private void changeProtection(Vma vma, Prot prot) {
        MmStruct mm = vma.mm();
        mm.invalidateRangeStart(new MmuNotifierRange(mm, vma.start(), vma.end(), MmuNotifierEvent.PROTECTION_VMA));
        vma.setAccess(prot.read(), prot.write(), prot.exec());
        if (!prot.write()) {
            PageTable pt = mm.pageTable();
            for (long address : pt.addressesIn(vma.start(), vma.end())) {
                pt.set(address, pt.lookup(address).wrprotect());
            }
        }
        mm.invalidateRangeEnd();
    }

    /**
     * {@code madvise(addr, length, advice)}: -EINVAL for an unaligned address or an advice the
     * VMA cannot take (DOFORK on VM_IO, WIPEONFORK on anything but private anonymous memory,
     * DONTNEED on VM_PFNMAP); -ENOMEM if part of the range is unmapped (the mapped parts are
     * still advised).
     */
    public int madvise(MmStruct mm, long addr, long length, Advice advice) {
        if ((addr & PAGE_MASK) != 0) {
            return Errno.EINVAL.neg();
        }
        if (length == 0) {
            return 0;
        }
        long end = addr + pageAlignUp(length);
        if (end <= addr) {
            return Errno.EINVAL.neg();
        }
        boolean write = advice != Advice.DONTNEED;
        if (write) {
            mm.mmapLock().downWrite();
        } else {
            mm.mmapLock().downRead();
        }
        try {
            List<Vma> vmas = write ? mm.splitAround(addr, end) : mm.vmasIn(addr, end);
            int unmappedError = 0;
            long next = addr;
            for (Vma vma : vmas) {
                if (vma.start() > next) {
                    unmappedError = Errno.ENOMEM.neg();
                }
                int ret = adviseVma(vma, Math.max(addr, vma.start()), Math.min(end, vma.end()), advice);
                if (ret < 0) {
                    return ret;
                }
                next = vma.end();
            }
            return next < end ? Errno.ENOMEM.neg() : unmappedError;
        } finally {
            if (write) {
                mm.mmapLock().upWrite();
            } else {
                mm.mmapLock().upRead();
            }
        }
    }

    private int adviseVma(Vma vma, long start, long end, Advice advice) {
        switch (advice) {
            case DONTNEED -> {
                if (vma.has(VmFlag.PFNMAP)) {
                    return Errno.EINVAL.neg();
                }
                kernel.memoryOps().zapRange(vma, start, end, MmuNotifierEvent.CLEAR);
            }
            case DONTFORK -> vma.setFlag(VmFlag.DONTCOPY, true);
            case DOFORK -> {
                if (vma.has(VmFlag.IO)) {
                    return Errno.EINVAL.neg();
                }
                vma.setFlag(VmFlag.DONTCOPY, false);
            }
            case WIPEONFORK -> {
                if (vma.file() != null || vma.has(VmFlag.SHARED)) {
                    return Errno.EINVAL.neg();
                }
                vma.setFlag(VmFlag.WIPEONFORK, true);
            }
            case KEEPONFORK -> vma.setFlag(VmFlag.WIPEONFORK, false);
        }
        return 0;
    }

    private static void addProt(EnumSet<VmFlag> flags, Prot prot) {
        if (prot.read()) {
            flags.add(VmFlag.READ);
        }
        if (prot.write()) {
            flags.add(VmFlag.WRITE);
        }
        if (prot.exec()) {
            flags.add(VmFlag.EXEC);
        }
    }

    static long pageAlignUp(long length) {
        return (length + PAGE_MASK) & ~PAGE_MASK;
    }
}
