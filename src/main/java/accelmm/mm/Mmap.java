package accelmm.mm;

import java.util.EnumSet;
import java.util.Set;

/**
 * The address-space system calls: mmap and munmap (mm/mmap.c, mm/vma.c), mprotect
 * (mm/mprotect.c) and madvise (mm/madvise.c), with their argument checks and errno values.
 *
 * <p>Each takes {@code mmap_lock} for writing (madvise(MADV_DONTNEED) for reading), splits VMAs
 * at the edges of the range — or, for mmap, mprotect and the madvise advice that change VMA
 * flags, merges the range with an adjacent VMA it could be part of ({@link VmaMerge}) — and
 * brackets every change of present PTEs with an interval notifier invalidation: UNMAP for munmap
 * and MAP_FIXED replacement, PROTECTION_VMA for mprotect, CLEAR for MADV_DONTNEED.
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

    private long mmapLocked(MmStruct mm, long addr, long len, EnumSet<VmFlag> requested, boolean fixed, File file,
            long pgoff) {
        VmOperations ops = null;
        PageCacheMode pageProt = PageCacheMode.WB;
        EnumSet<VmFlag> flags = requested;
        if (file != null) {
            MmapSetup setup = new MmapSetup(len, pgoff, flags);
            int ret = file.ops().mmap(file, setup);
            if (ret < 0 || setup.ops() == null) {
                file.put();
                return ret < 0 ? ret : Errno.ENODEV.neg();
            }
            flags = EnumSet.copyOf(setup.flags());
            ops = setup.ops();
            pageProt = setup.pageProt();
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
        // __mmap_region tries vma_merge_new_range before the file's ->mmap, with the flags as
        // requested, so a merged range gets no VMA of its own. The model asked the file first (a
        // refusal must leave a MAP_FIXED range as it was); the ->mmap of the model's files have
        // no side effects, and those that add flags never merge (their VMAs differ in the flags).
        if (VmaMerge.mergeNewRange(mm, start, start + len, requested, file, pgoff) != null) {
            if (file != null) {
                file.put();
            }
            return start;
        }
        Vma vma = new Vma(mm, start, start + len, flags, pgoff, ops, file, pageProt);
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
     * access to a shared mapping of a file not opened for writing. Each VMA whose flags change is
     * split at the range's edges or merged with a neighbour ({@link VmaMerge}); one that keeps its
     * flags is left alone, without an invalidation. The whole call gathers its TLB flush in one
     * {@code mmu_gather} ({@code do_mprotect_pkey} since 6.2: {@code tlb_gather_mmu} before the
     * walk, {@code tlb_finish_mmu} after it, also when the walk stops at an error): at most one
     * flush per call, after the VMAs' invalidations ended.
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
            // do_mprotect_pkey: walk the VMAs from addr; each turn continues after the VMA that
            // mprotect_fixup left (a merge may have taken in the next one already).
            ProtectionGather tlb = new ProtectionGather();
            try {
                long next = addr;
                while (next < end) {
                    Vma vma = mm.findVma(next);
                    if (vma == null) {
                        return Errno.ENOMEM.neg();
                    }
                    if (prot.write() && !vma.has(VmFlag.MAYWRITE)) {
                        return Errno.EACCES.neg();
                    }
                    next = mprotectFixup(tlb, vma, next, Math.min(end, vma.end()), prot).end();
                }
                return 0;
            } finally {
                tlb.finish(mm);
            }
        } finally {
            mm.mmapLock().upWrite();
        }
    }

    /**
     * What mprotect uses of an {@code mmu_gather}: the span of the entries whose change needs a
     * TLB flush ({@code tlb_flush_pte_range}), flushed once at {@code tlb_finish_mmu}; nothing
     * when no entry needed one.
     */
    private static final class ProtectionGather {
        private long start = Long.MAX_VALUE;
        private long end = Long.MIN_VALUE;

        void flushPage(long address) {
            start = Math.min(start, address);
            end = Math.max(end, address + PageFrame.PAGE_SIZE);
        }

        void finish(MmStruct mm) {
            if (start < end) {
                mm.flushTlbRange(start, end);
            }
        }
    }

    /**
     * {@code mprotect_fixup}: the VMA covering {@code [start, end)} with the new access flags —
     * merged or split by {@link VmaMerge#modifyFlags} — and {@code change_protection} over the
     * range when they changed: PTEs lose write permission when the VMA does, and each entry whose
     * change needs a flush is added to {@code tlb}.
     */
    private Vma mprotectFixup(ProtectionGather tlb, Vma vma, long start, long end, Prot prot) {
        EnumSet<VmFlag> newFlags = EnumSet.copyOf(vma.flags());
        newFlags.removeAll(VmFlag.ACCESS_FLAGS);
        addProt(newFlags, prot);
        if (vma.hasFlags(newFlags)) {
            return vma;
        }
        MmStruct mm = vma.mm();
        Set<VmFlag> oldFlags = EnumSet.copyOf(vma.flags());
        Vma changed = VmaMerge.modifyFlags(vma, start, end, newFlags);
        MmuNotifierRange range = new MmuNotifierRange(mm, start, end, MmuNotifierEvent.PROTECTION_VMA);
        mm.invalidateRangeStart(range);
        PageTable pt = mm.pageTable();
        for (long address : pt.addressesIn(start, end)) {
            Pte pte = pt.lookup(address);
            Pte changedPte = prot.write() ? pte : pte.wrprotect();
            if (changedPte != pte) {
                pt.set(address, changedPte);
            }
            if (pteNeedsFlush(pte, changedPte, oldFlags, newFlags)) {
                tlb.flushPage(address);
            }
        }
        mm.invalidateRangeEnd(range);
        return changed;
    }

    /**
     * Whether the entry change of {@code change_pte_range} needs a TLB flush ({@code
     * pte_needs_flush}, x86's {@code pte_flags_need_flush} in arch/x86/include/asm/tlbflush.h):
     * only for an entry the hardware can cache — present, and not under a PROT_NONE VMA, whose
     * entries are not present to the MMU — that becomes PROT_NONE (present cleared), loses write
     * permission, or changes execute permission (NX). An entry already read-only that stays so
     * needs none. The model never makes an entry writable here (the next write fault does), so
     * the flush x86 makes when mprotect sets the write bit of an exclusive anonymous or shared
     * page is not counted.
     */
    private static boolean pteNeedsFlush(Pte oldPte, Pte newPte, Set<VmFlag> oldFlags, Set<VmFlag> newFlags) {
        if (!oldPte.isPresent() || isProtNone(oldFlags)) {
            return false;
        }
        return isProtNone(newFlags)
                || oldFlags.contains(VmFlag.EXEC) != newFlags.contains(VmFlag.EXEC)
                || oldPte.writable() != newPte.writable();
    }

    /** A VMA without any access flag: its entries are kept but not present to the MMU. */
    private static boolean isProtNone(Set<VmFlag> flags) {
        return !flags.contains(VmFlag.READ) && !flags.contains(VmFlag.WRITE) && !flags.contains(VmFlag.EXEC);
    }

    /**
     * {@code madvise(addr, length, advice)}: -EINVAL for an unaligned address or an advice the
     * VMA cannot take (DOFORK on VM_IO, WIPEONFORK on anything but private anonymous memory,
     * DONTNEED on VM_PFNMAP); -ENOMEM if part of the range is unmapped (the mapped parts are
     * still advised). The advice that changes VMA flags splits or merges VMAs as mprotect does
     * ({@code madvise_update_vma}); DONTNEED only zaps, under {@code mmap_lock} for reading.
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
            return madviseWalkVmas(mm, addr, end, advice);
        } finally {
            if (write) {
                mm.mmapLock().upWrite();
            } else {
                mm.mmapLock().upRead();
            }
        }
    }

    /**
     * {@code madvise_walk_vmas}: advises each mapped part of {@code [start, end)}, continuing
     * after the VMA each advice left; a hole makes the result -ENOMEM after the rest is done, no
     * VMA at all past a point ends the walk with -ENOMEM at once.
     */
    private int madviseWalkVmas(MmStruct mm, long start, long end, Advice advice) {
        int unmappedError = 0;
        long next = start;
        while (next < end) {
            Vma vma = mm.findVmaFrom(next);
            if (vma == null) {
                return Errno.ENOMEM.neg();
            }
            if (next < vma.start()) {
                unmappedError = Errno.ENOMEM.neg();
                next = vma.start();
                if (next >= end) {
                    break;
                }
            }
            long until = Math.min(end, vma.end());
            int ret = adviceError(vma, advice);
            if (ret < 0) {
                return ret;
            }
            if (advice == Advice.DONTNEED) {
                kernel.memoryOps().zapRange(vma, next, until, MmuNotifierEvent.CLEAR);
                next = until;
            } else {
                next = Math.max(until, VmaMerge.modifyFlags(vma, next, until, advisedFlags(vma, advice)).end());
            }
        }
        return unmappedError;
    }

    /** The refusals of {@code madvise_vma_behavior} and {@code madvise_dontneed_free_valid_vma}. */
    private static int adviceError(Vma vma, Advice advice) {
        boolean refused = switch (advice) {
            case DONTNEED -> vma.has(VmFlag.PFNMAP);
            case DOFORK -> vma.has(VmFlag.IO);
            case WIPEONFORK -> vma.file() != null || vma.has(VmFlag.SHARED);
            case DONTFORK, KEEPONFORK -> false;
        };
        return refused ? Errno.EINVAL.neg() : 0;
    }

    /** The VMA flags an advice that changes them asks for. */
    private static EnumSet<VmFlag> advisedFlags(Vma vma, Advice advice) {
        EnumSet<VmFlag> flags = EnumSet.copyOf(vma.flags());
        switch (advice) {
            case DONTFORK -> flags.add(VmFlag.DONTCOPY);
            case DOFORK -> flags.remove(VmFlag.DONTCOPY);
            case WIPEONFORK -> flags.add(VmFlag.WIPEONFORK);
            case KEEPONFORK -> flags.remove(VmFlag.WIPEONFORK);
            case DONTNEED -> throw new IllegalArgumentException("MADV_DONTNEED changes no flags");
        }
        return flags;
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
