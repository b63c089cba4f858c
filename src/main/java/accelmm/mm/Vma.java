package accelmm.mm;

import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Models {@code struct vm_area_struct}: one mapped range {@code [start, end)} of an address
 * space with its flags, and what backs it — private anonymous memory (no {@code ops}), or a file
 * or device through {@link VmOperations} (shmem for shared anonymous memory, GEM objects,
 * dma-bufs, accelerator queue regions).
 *
 * <p>Splitting, merging and flag changes happen under the mm's {@code mmap_lock} held for writing.
 *
 * <p>The bounds, offset, flags and anon_vma links are shared state, reported on the mm's VMA
 * tree ({@link MmStruct#vmaTree}) over the VMA's range: a change of the bounds writes both the
 * old and the new range there ({@link MmStruct#adjustVma}, {@link #splitAt}), so a reader of
 * either conflicts with it.
 */
public final class Vma {

    private final MmStruct mm;
    /** The mm's VMA tree, on which this VMA reports its fields over {@code [start, end)}. */
    private final Shared tree;
    private long start;
    private long end;
    private final EnumSet<VmFlag> flags;
    private long pgoff;
    private final VmOperations ops;
    private final File file;
    private final PageCacheMode pageProt;
    private AnonVma anonVma;
    private final List<AnonVma> anonVmaChain = new ArrayList<>(1);

    Vma(MmStruct mm, long start, long end, Set<VmFlag> flags, long pgoff, VmOperations ops, File file,
            PageCacheMode pageProt) {
        if (start >= end || (start & (PageFrame.PAGE_SIZE - 1)) != 0 || (end & (PageFrame.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("bad vma range " + Long.toHexString(start) + "-" + Long.toHexString(end));
        }
        this.mm = mm;
        this.tree = mm.vmaTree();
        this.start = start;
        this.end = end;
        this.flags = flags.isEmpty() ? EnumSet.noneOf(VmFlag.class) : EnumSet.copyOf(flags);
        this.pgoff = pgoff;
        this.ops = ops;
        this.file = file;
        this.pageProt = pageProt;
    }

    /** The step reads this VMA's fields. */
    private void readFields() {
        tree.read(start, end);
    }

    /** The step changes this VMA's fields. */
    private void writeFields() {
        tree.write(start, end);
    }

    public MmStruct mm() {
        return mm;
    }

    public long start() {
        readFields();
        return start;
    }

    /** The first address past the VMA. */
    public long end() {
        readFields();
        return end;
    }

    public long sizeBytes() {
        readFields();
        return end - start;
    }

    /** {@code vm_pgoff}: the offset, in pages, of {@code start} in the mapped object. */
    public long pgoff() {
        readFields();
        return pgoff;
    }

    public boolean has(VmFlag flag) {
        readFields();
        return flags.contains(flag);
    }

    /** A copy of the flags. */
    public Set<VmFlag> flags() {
        readFields();
        return EnumSet.copyOf(flags);
    }

    /** Whether the flags are exactly {@code other} (without copying them). */
    boolean hasFlags(Set<VmFlag> other) {
        readFields();
        return flags.equals(other);
    }

    /** Whether this VMA and {@code other} have the same flags apart from {@code ignored} (without copying them). */
    boolean sameFlagsExcept(Vma other, Set<VmFlag> ignored) {
        readFields();
        other.readFields();
        return coveredExcept(flags, other.flags, ignored) && coveredExcept(other.flags, flags, ignored);
    }

    /** Whether every flag of {@code these} outside {@code ignored} is also in {@code those}. */
    private static boolean coveredExcept(Set<VmFlag> these, Set<VmFlag> those, Set<VmFlag> ignored) {
        for (VmFlag f : these) {
            if (!ignored.contains(f) && !those.contains(f)) {
                return false;
            }
        }
        return true;
    }

    /** The owner's operations, or {@code null} for private anonymous memory. */
    public VmOperations ops() {
        return ops;
    }

    /** {@code vm_file}: the file mapped, or {@code null}. */
    public File file() {
        return file;
    }

    /**
     * The memory type of {@code vma->vm_page_prot}: write-back as {@code vm_get_page_prot} gives
     * it, unless the file's {@code ->mmap} set another ({@link MmapSetup#setPageProt}). It is what
     * the VMA's owner declares about the memory, read by {@code kvm_vma_is_cacheable} on arm64;
     * the type of each PTE is chosen apart, at fault or remap time ({@code vmf_insert_pfn_prot},
     * {@code remap_pfn_range} with a prot derived from it). Copied on split and fork; the model's
     * mprotect keeps it ({@code vma_set_page_prot} recomputes the protection bits through {@code
     * pgprot_modify}, which carries the old memory type over).
     */
    public PageCacheMode pageProt() {
        return pageProt;
    }

    /** {@code vma_is_anonymous}: private anonymous memory, backed by nothing but its pages. */
    public boolean isAnonymous() {
        return ops == null;
    }

    /** {@code is_cow_mapping}: private and potentially writable. */
    public boolean isCowMapping() {
        readFields();
        return !flags.contains(VmFlag.SHARED) && flags.contains(VmFlag.MAYWRITE);
    }

    public boolean contains(long address) {
        readFields();
        return address >= start && address < end;
    }

    /** {@code linear_page_index}: the page offset of {@code address} in what the VMA maps. */
    long linearPageIndex(long address) {
        readFields();
        return pgoff + ((address - start) >>> PageFrame.PAGE_SHIFT);
    }

    /** {@code vma_address}: where page offset {@code index} is mapped in this VMA, or -1 outside it. */
    long addressOf(long index) {
        readFields();
        long delta = index - pgoff;
        if (delta < 0 || delta >= (end - start) >>> PageFrame.PAGE_SHIFT) {
            return -1;
        }
        return start + (delta << PageFrame.PAGE_SHIFT);
    }

    /** {@code vma->anon_vma}: where this VMA's new anonymous pages are reverse mapped, or null. */
    AnonVma anonVma() {
        readFields();
        return anonVma;
    }

    void setAnonVma(AnonVma anonVma) {
        writeFields();
        this.anonVma = anonVma;
    }

    /** {@code vma->anon_vma_chain}: every anon_vma this VMA is linked to (its own last; not a copy: callers only read). */
    List<AnonVma> anonVmaChain() {
        readFields();
        return anonVmaChain;
    }

    /** Links {@code anonVma} at the end of {@link #anonVmaChain()}. */
    void addToAnonVmaChain(AnonVma anonVma) {
        writeFields();
        anonVmaChain.add(anonVma);
    }

    /** Unlinks every anon_vma from {@link #anonVmaChain()}. */
    void clearAnonVmaChain() {
        writeFields();
        anonVmaChain.clear();
    }

    /** {@code vma->vm_file->f_mapping} when the file's pages are reverse mapped, or null. */
    AddressSpace mapping() {
        return ops == null ? null : ops.mapping();
    }

    void setFlag(VmFlag flag, boolean on) {
        writeFields();
        if (on) {
            flags.add(flag);
        } else {
            flags.remove(flag);
        }
    }

    void setFlags(Set<VmFlag> newFlags) {
        writeFields();
        flags.clear();
        flags.addAll(newFlags);
    }

    /** Moves the bounds and offset (a merge); only {@link MmStruct#adjustVma} calls it. */
    void setRange(long newStart, long newEnd, long newPgoff) {
        if (newStart >= newEnd) {
            throw new IllegalArgumentException("bad vma range " + Long.toHexString(newStart) + "-"
                    + Long.toHexString(newEnd));
        }
        writeFields();
        start = newStart;
        end = newEnd;
        pgoff = newPgoff;
        writeFields();
    }

    void setAccess(boolean read, boolean write, boolean exec) {
        setFlag(VmFlag.READ, read);
        setFlag(VmFlag.WRITE, write);
        setFlag(VmFlag.EXEC, exec);
    }

    /**
     * {@code __split_vma}: this VMA keeps {@code [start, at)} and a new one, returned, covers
     * {@code [at, end)}. The owner sees the new one through {@code open}, and it holds its own
     * reference on the file.
     */
    Vma splitAt(long at) {
        writeFields();
        if (at <= start || at >= end) {
            throw new IllegalArgumentException("split of " + this + " at " + Long.toHexString(at));
        }
        Vma tail = new Vma(mm, at, end, flags, pgoff + ((at - start) >>> PageFrame.PAGE_SHIFT), ops, file, pageProt);
        end = at;
        if (file != null) {
            file.get();
        }
        Rmap.anonVmaClone(tail, this);
        Rmap.linkFile(tail);
        if (ops != null) {
            ops.open(tail);
        }
        return tail;
    }

    /**
     * A copy for another mm (fork), opened and holding a file reference like any new VMA, and
     * linked for the reverse map ({@code anon_vma_fork} unless {@code wipe}: a VM_WIPEONFORK
     * copy starts without anonymous pages).
     */
    Vma copyFor(MmStruct child, boolean wipe) {
        readFields();
        Vma copy = new Vma(child, start, end, flags, pgoff, ops, file, pageProt);
        if (file != null) {
            file.get();
        }
        if (!wipe) {
            Rmap.anonVmaFork(copy, this);
        }
        Rmap.linkFile(copy);
        if (ops != null) {
            ops.open(copy);
        }
        return copy;
    }

    /** Closes the VMA: tells the owner and drops the file reference. */
    void close() {
        if (ops != null) {
            ops.close(this);
        }
        if (file != null) {
            file.put();
        }
    }

    /**
     * {@code remap_pfn_range} (or {@code io_remap_pfn_range}) from a driver's mmap: special PTEs
     * for {@code frames}, one per page from the VMA's start, installed at once rather than on
     * fault. The VMA is one of the driver's {@code VM_PFNMAP} mappings, created with its {@code
     * ->mmap}; the caller is its owner, in {@link VmOperations#open} of the new VMA. The entries
     * take the protection the driver passes, {@code cacheMode} ({@code pgprot_noncached} of
     * {@code vm_page_prot} gives UC; {@code vm_page_prot} as it is, WB).
     */
    public void remapPfnRange(java.util.List<PageFrame> frames, PageCacheMode cacheMode) {
        readFields();
        if (frames.size() > (end - start) >>> PageFrame.PAGE_SHIFT) {
            throw new IllegalStateException(frames.size() + " frames for " + this);
        }
        for (int i = 0; i < frames.size(); i++) {
            mm.installSpecialPte(this, start + ((long) i << PageFrame.PAGE_SHIFT), frames.get(i), cacheMode);
        }
    }

    /** {@code rw-s} style protection and sharing, as /proc/PID/maps prints it. */
    public String protString() {
        return (has(VmFlag.READ) ? "r" : "-") + (has(VmFlag.WRITE) ? "w" : "-")
                + (has(VmFlag.EXEC) ? "x" : "-") + (has(VmFlag.SHARED) ? "s" : "p");
    }

    @Override
    public String toString() {
        return String.format("%x-%x %s%s", start, end, protString(), ops == null ? "" : " " + ops.name());
    }
}
