package accelmm.mm;

import accelmm.sim.RefcountError;

import accelmm.sim.LockClass;
import accelmm.sim.RwSemaphore;
import accelmm.sim.Shared;
import accelmm.sim.WaitQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Models {@code struct mm_struct}: one address space — its VMAs, page tables, {@code mmap_lock},
 * interval-notifier subscriptions and the flags the model needs.
 *
 * <p>Lifetime follows the kernel's two counts: {@code mm_users} (tasks and {@code mmget}
 * holders that may use the address space; at zero it is torn down: notifiers get RELEASE, VMAs
 * are unmapped, pages freed) and {@code mm_count} ({@code mmgrab} holders of the structure
 * itself, such as interval notifiers).
 *
 * <p>Locking: VMAs and page tables change under {@code mmap_lock} held for writing; faults and
 * page walks hold it for reading.
 *
 * <p>Shared state, as the explorer sees it: the counts, flags and notifier lists ({@code
 * shared}); the VMA tree and the gaps between VMAs, by address ({@code vmaTree}), which also
 * covers each {@link Vma}'s own fields over its range; the page table, by virtual page number
 * (its own).
 */
public final class MmStruct {

    /** The lockdep class shared by every mm's {@code mmap_lock}. */
    public static final LockClass MMAP_LOCK = new LockClass("mmap_lock");
    /** Where {@code get_unmapped_area} starts looking (bottom-up, for readable addresses). */
    public static final long MMAP_BASE = 0x10000000L;
    /** The top of user space on x86-64 ({@code TASK_SIZE}). */
    public static final long TASK_SIZE = 0x7ffffffff000L;

    private final Kernel kernel;
    private final int id;
    private final RwSemaphore mmapLock;
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    /** The gaps between {@link #vmas}, for {@link #getUnmappedArea}. */
    private final MmapGaps gaps = new MmapGaps();
    private final Shared shared;
    private final Shared vmaTree;
    private final PageTable pageTable;
    private MmuNotifierSubscriptions notifierSubscriptions;
    /**
     * The whole-mm notifiers ({@code subscriptions->list}), newest first: an immutable list
     * replaced on every registration and removal (copy-on-write), so a dispatch iterates it as
     * it was when the dispatch began, as an SRCU reader walks the RCU list, without a copy.
     */
    private List<MmuNotifier> notifiers = List.of();
    /**
     * The walks of {@link #notifiers} in progress (start, end and release loops): the SRCU read
     * sections of {@code mm/mmu_notifier.c} that {@code mmu_notifier_unregister} waits for.
     */
    private int notifierWalks;
    /** Where {@link #mmuNotifierUnregister} waits for {@link #notifierWalks} to drain; lazily made. */
    private WaitQueue notifierWalksDone;
    /** Set by {@link #mmuNotifierRelease}: the whole-mm notifiers were released and removed. */
    private boolean notifiersReleased;
    /** The invalidations started on this mm and not yet ended. */
    private int invalidationsInProgress;
    /** Where a range-notifier registration waits for {@link #invalidationsInProgress} to drain; lazily made. */
    private WaitQueue invalidationsDone;
    private boolean hasPinned;
    private int users = 1;
    private int count = 1;
    private boolean tornDown;
    private String ownerName;

    MmStruct(Kernel kernel, int id, String ownerName) {
        this.kernel = kernel;
        this.id = id;
        this.ownerName = ownerName;
        this.mmapLock = new RwSemaphore(kernel.sim(), "mmap_lock " + ownerName, MMAP_LOCK);
        this.shared = kernel.sim().shared("mm");
        this.vmaTree = kernel.sim().shared("vma tree");
        this.pageTable = new PageTable(kernel.sim().shared("page table"));
    }

    /** The VMA tree as the explorer sees it, by address: what each {@link Vma} reports its fields on. */
    Shared vmaTree() {
        return vmaTree;
    }

    /** The step reads the VMA tree over {@code [lo, hi)} (all of it for an empty or inverted range). */
    private void readVmas(long lo, long hi) {
        if (lo < hi) {
            vmaTree.read(lo, hi);
        } else {
            vmaTree.read();
        }
    }

    /** The step changes the VMA tree over {@code [lo, hi)}. */
    private void writeVmas(long lo, long hi) {
        if (lo < hi) {
            vmaTree.write(lo, hi);
        } else {
            vmaTree.write();
        }
    }

    public Kernel kernel() {
        return kernel;
    }

    public int id() {
        return id;
    }

    public RwSemaphore mmapLock() {
        return mmapLock;
    }

    public PageTable pageTable() {
        return pageTable;
    }

    /**
     * The process whose address space this is ({@code mm->owner}), as the principal on whose
     * behalf a device works through pages pinned in it.
     */
    public Principal owner() {
        shared.read();
        return new Principal(ownerName);
    }

    void setOwnerName(String name) {
        shared.write();
        this.ownerName = name;
    }

    // ---- lifetime ---------------------------------------------------------------------------

    /** {@code MMF_HAS_PINNED}: set the first time anything FOLL_PIN-pins this mm; never cleared. */
    public boolean hasPinned() {
        shared.read();
        return hasPinned;
    }

    void setHasPinned() {
        // Set once and never cleared: setting it again changes nothing.
        shared.add();
        hasPinned = true;
    }

    public int users() {
        shared.read();
        return users;
    }

    /** Whether the address space was torn down (mm_users reached zero). */
    public boolean isTornDown() {
        shared.read();
        return tornDown;
    }

    /**
     * {@code mmget}: another user of an address space that has one already (the caller reached it
     * through {@code task->mm}, which holds a user reference as long as it is set).
     */
    void mmget() {
        shared.write();
        if (users <= 0) {
            throw new RefcountError("mmget on " + this + " with no users left");
        }
        users++;
    }

    /** {@code mmget_not_zero}: a user reference if the address space is still alive. */
    public boolean mmgetNotZero() {
        shared.write();
        if (users == 0) {
            return false;
        }
        users++;
        return true;
    }

    /** {@code mmput}: the last user tears the address space down ({@code exit_mmap}). */
    public void mmput() {
        shared.write();
        if (users <= 0) {
            throw new RefcountError("mmput underflow on " + this);
        }
        if (--users == 0) {
            kernel.memoryOps().exitMmap(this);
            shared.write();
            tornDown = true;
            mmdrop();
        }
    }

    /** {@code mmgrab}. */
    public void mmgrab() {
        shared.write();
        count++;
    }

    /** {@code mmdrop}. */
    public void mmdrop() {
        shared.write();
        if (count <= 0) {
            throw new RefcountError("mmdrop underflow on " + this);
        }
        count--;
    }

    /** {@code mm_count}: references to the structure itself. */
    public int count() {
        shared.read();
        return count;
    }

    // ---- notifiers --------------------------------------------------------------------------

    /**
     * {@code mmu_interval_notifier_insert}: subscribes {@code ops} to invalidations of {@code
     * [start, start + length)}. The subscription holds {@code mm_count} until removed. The caller
     * holds a user reference and no {@code mmap_lock}: the first insert on the mm registers the
     * subscriptions under it.
     */
    public MmuIntervalNotifier insertIntervalNotifier(long start, long length, MmuIntervalNotifierOps ops,
            String name) {
        shared.read();
        if (users <= 0) {
            throw new IllegalStateException("notifier insert on " + this + " without a user reference");
        }
        if (notifierSubscriptions == null) {
            registerSubscriptions();
        }
        return notifierSubscriptions.insert(start, length, ops, name);
    }

    /**
     * {@code mmu_notifier_register(NULL, mm)}: under {@code mmap_lock} held for writing, makes the
     * subscriptions if they are still missing, with every reverse-map lock of the mm taken ({@link
     * MmAllLocks}). Invalidations of an mm without subscriptions notify nobody, and nothing
     * between a start and its end may see them appear: {@code mmap_lock} keeps out this mm's
     * own changes, the reverse-map locks other processes' migration and reclaim walks.
     */
    private void registerSubscriptions() {
        mmapLock.downWrite();
        try {
            MmAllLocks locks = MmAllLocks.take(this);
            shared.write();
            if (notifierSubscriptions == null) {
                notifierSubscriptions = new MmuNotifierSubscriptions(this, kernel.sim());
            }
            locks.drop();
        } finally {
            mmapLock.upWrite();
        }
    }

    /** The subscriptions, or {@code null} if nothing ever subscribed. */
    public MmuNotifierSubscriptions notifierSubscriptions() {
        shared.read();
        return notifierSubscriptions;
    }

    /**
     * {@code mmu_notifier_register}: {@code mn} gets this mm's invalidations and TLB flushes until
     * {@link #mmuNotifierUnregister}, {@link #mmuNotifierPut} or the mm's teardown ({@link
     * #mmuNotifierRelease}); it holds {@code mm_count} until unregistered or put. It takes {@code
     * mmap_lock} for writing around the registration (mm/mmu_notifier.c), so the caller must hold
     * none (the SVA bind of {@code uacce_fops_open} and {@code kvm_create_vm} hold none), and joins
     * the head of the list ({@code hlist_add_head_rcu}): the newest notifier is called first.
     *
     * <p>{@code __mmu_notifier_register} also takes every reverse-map lock of the mm ({@code
     * mm_take_all_locks}), so that no invalidation is running when the notifier appears: one
     * running would call the new notifier's {@code invalidate_range_end} without its start. The
     * model does that for a notifier with range callbacks ({@link MmuNotifier#hasRangeOps}): it
     * takes {@link MmAllLocks}, then waits for the invalidations of this mm still in progress,
     * which stands in for the locks the kernel's walkers hold and the model's do not ({@code
     * unmap_mapping_range} runs under {@code i_mmap_rwsem} for reading). A notifier with only
     * {@code arch_invalidate_secondary_tlbs} (an IOMMU SVA domain) sees no start/end pair, so
     * the model registers it under {@code mmap_lock} alone.
     *
     * <p>A notifier with both kinds of op is a bug of its driver: {@code __mmu_notifier_register}
     * WARNs and returns -EINVAL; the model throws.
     */
    public void mmuNotifierRegister(MmuNotifier mn) {
        if (mn.hasSecondaryTlbOps() && mn.hasRangeOps()) {
            throw new IllegalStateException("mmu_notifier_register of " + mn
                    + " with both arch_invalidate_secondary_tlbs and range callbacks on " + this);
        }
        mmapLock.downWrite();
        try {
            if (mn.hasRangeOps()) {
                MmAllLocks locks = MmAllLocks.take(this);
                waitForInvalidations();
                addNotifier(mn);
                locks.drop();
            } else {
                addNotifier(mn);
            }
        } finally {
            mmapLock.upWrite();
        }
    }

    private void addNotifier(MmuNotifier mn) {
        shared.write();
        if (notifiers.contains(mn)) {
            throw new IllegalStateException("mmu_notifier_register of " + mn + " twice on " + this);
        }
        mmgrab();
        List<MmuNotifier> next = new ArrayList<>(notifiers.size() + 1);
        next.add(mn);
        next.addAll(notifiers);
        notifiers = List.copyOf(next);
    }

    /** Takes {@code mn} off the list (a new list without it); whether it was there. */
    private boolean removeNotifier(MmuNotifier mn) {
        shared.write();
        if (!notifiers.contains(mn)) {
            return false;
        }
        notifiers = notifiers.stream().filter(n -> n != mn).toList();
        return true;
    }

    private void waitForInvalidations() {
        shared.read();
        if (invalidationsInProgress == 0) {
            return;
        }
        if (invalidationsDone == null) {
            shared.write();
            invalidationsDone = new WaitQueue(kernel.sim(), "mmu_notifier_register " + this);
        }
        invalidationsDone.waitEvent(this::noInvalidationsInProgress);
    }

    private boolean noInvalidationsInProgress() {
        shared.read();
        return invalidationsInProgress == 0;
    }

    /** The whole-mm notifiers, newest first (immutable: a snapshot). */
    public List<MmuNotifier> mmuNotifiers() {
        shared.read();
        return notifiers;
    }

    /**
     * {@code mmu_notifier_put}: takes {@code mn} off the mm; nothing to do when the mm's release
     * already did ({@link #mmuNotifierRelease}). The registration's {@code mm_count} goes with
     * it ({@code mmu_notifier_free_rcu}).
     */
    public void mmuNotifierPut(MmuNotifier mn) {
        boolean removed = removeNotifier(mn);
        if (!removed && !notifiersReleased) {
            throw new IllegalStateException("mmu_notifier_put of a notifier not registered on " + this);
        }
        mmdrop();
    }

    /**
     * {@code mmu_notifier_unregister}: a notifier still on the list (the mm is live, or its
     * teardown has not reached {@code mn_hlist_release}) gets its {@code release} here, once,
     * and leaves the list; one the mm's teardown released already gets nothing more. Then, as
     * the kernel's {@code synchronize_srcu} at its end, it waits until no walk of the list that
     * may still be calling {@code mn} is in progress (the model waits for every walk of this mm
     * to finish): the caller may free what the callbacks use once it returns, as {@code
     * kvm_destroy_vm} does. Either way the registration's {@code mm_count} is dropped. Called
     * from a callback of this mm it would wait for itself, as the kernel would.
     */
    public void mmuNotifierUnregister(MmuNotifier mn) {
        shared.read();
        if (notifiers.contains(mn)) {
            mn.release(this);
            removeNotifier(mn);
        } else if (!notifiersReleased) {
            throw new IllegalStateException("mmu_notifier_unregister of a notifier not registered on " + this);
        }
        waitForNotifierWalks();
        mmdrop();
    }

    private void waitForNotifierWalks() {
        shared.read();
        if (notifierWalks == 0) {
            return;
        }
        if (notifierWalksDone == null) {
            shared.write();
            notifierWalksDone = new WaitQueue(kernel.sim(), "mmu_notifier_unregister " + this);
        }
        notifierWalksDone.waitEvent(this::noNotifierWalks);
    }

    private boolean noNotifierWalks() {
        shared.read();
        return notifierWalks == 0;
    }

    /** A walk of {@link #notifiers} begins ({@code srcu_read_lock}). */
    private void beginNotifierWalk() {
        shared.write();
        notifierWalks++;
    }

    /** A walk of {@link #notifiers} ends ({@code srcu_read_unlock}): the last wakes the unregisters. */
    private void endNotifierWalk() {
        shared.write();
        if (--notifierWalks == 0 && notifierWalksDone != null) {
            notifierWalksDone.wakeUpAll();
        }
    }

    /**
     * {@code mn_hlist_release} from {@code exit_mmap}: every whole-mm notifier gets its {@code
     * release} and leaves the list, so the TLB flushes of the teardown reach none of them.
     *
     * <p>A simplification: the model takes the notifiers off the list before it calls their
     * {@code release}, while the kernel calls {@code release} with the notifier still on the list
     * and unhooks it afterwards, so a concurrent {@code mmu_notifier_unregister} can call {@code
     * release} a second time (drivers must cope); here that unregister finds it gone and calls
     * nothing.
     */
    void mmuNotifierRelease() {
        shared.write();
        notifiersReleased = true;
        List<MmuNotifier> released = notifiers;
        if (released.isEmpty()) {
            return;
        }
        notifiers = List.of();
        beginNotifierWalk();
        for (MmuNotifier mn : released) {
            mn.release(this);
        }
        endNotifierWalk();
    }

    /**
     * {@code flush_tlb_mm_range} after PTEs of {@code [start, end)} changed: the CPU TLB flush
     * itself is not modelled; the registered notifiers' secondary TLBs are flushed with it
     * ({@code mmu_notifier_arch_invalidate_secondary_tlbs}).
     */
    void flushTlbRange(long start, long end) {
        shared.read();
        if (notifiers.isEmpty()) {
            return;
        }
        for (MmuNotifier mn : notifiers) {
            mn.archInvalidateSecondaryTlbs(this, start, end);
        }
    }

    /**
     * {@code mmu_notifier_invalidate_range_start}: the interval subscriptions first ({@code
     * mn_itree_invalidate}), then the whole-mm notifiers ({@code mn_hlist_invalidate_range_start}),
     * as {@code __mmu_notifier_invalidate_range_start} orders them. Blockable: no callback may
     * fail. The range stays in progress until {@link #invalidateRangeEnd} gets it back.
     */
    void invalidateRangeStart(MmuNotifierRange range) {
        shared.read();
        if (range.mm() != this) {
            throw new IllegalArgumentException("range " + range + " of " + range.mm() + " started on " + this);
        }
        if (notifierSubscriptions != null) {
            notifierSubscriptions.invalidateRangeStart(range);
        }
        shared.write();
        invalidationsInProgress++;
        List<MmuNotifier> walked = notifiers;
        if (walked.isEmpty()) {
            return;
        }
        beginNotifierWalk();
        for (MmuNotifier mn : walked) {
            mn.invalidateRangeStart(range);
        }
        endNotifierWalk();
    }

    /**
     * {@code mmu_notifier_invalidate_range_end} with the range its start had: the interval
     * subscriptions first ({@code mn_itree_inv_end}), then the whole-mm notifiers ({@code
     * mn_hlist_invalidate_end}), as {@code __mmu_notifier_invalidate_range_end} orders them. The
     * range stays in progress until the list's ends have run, so that a registration waiting
     * for the mm's invalidations ({@link #mmuNotifierRegister}) cannot slip in while an end
     * callback blocks and then get an end without its start.
     */
    void invalidateRangeEnd(MmuNotifierRange range) {
        shared.write();
        if (invalidationsInProgress == 0) {
            throw new IllegalStateException("invalidate_range_end of " + range + " without its start on " + this);
        }
        if (notifierSubscriptions != null) {
            notifierSubscriptions.invalidateRangeEnd();
        }
        List<MmuNotifier> walked = notifiers;
        if (!walked.isEmpty()) {
            beginNotifierWalk();
            for (MmuNotifier mn : walked) {
                mn.invalidateRangeEnd(range);
            }
            endNotifierWalk();
        }
        shared.write();
        if (--invalidationsInProgress == 0 && invalidationsDone != null) {
            invalidationsDone.wakeUpAll();
        }
    }

    // ---- VMAs -------------------------------------------------------------------------------

    /** {@code vma_lookup}: the VMA containing {@code address}, or {@code null}. */
    public Vma findVma(long address) {
        readVmas(address, address + 1);
        Map.Entry<Long, Vma> e = vmas.floorEntry(address);
        return e != null && e.getValue().contains(address) ? e.getValue() : null;
    }

    /** The VMAs intersecting {@code [start, end)}, in address order (a snapshot). */
    public List<Vma> vmasIn(long start, long end) {
        readVmas(start, end);
        List<Vma> out = new ArrayList<>();
        Map.Entry<Long, Vma> first = vmas.floorEntry(start);
        long from = first != null && first.getValue().end() > start ? first.getKey() : start;
        for (Vma v : vmas.subMap(from, true, end, false).values()) {
            out.add(v);
        }
        return out;
    }

    /** Every VMA, in address order (a snapshot). */
    public List<Vma> vmas() {
        vmaTree.read();
        return new ArrayList<>(vmas.values());
    }

    void insertVma(Vma vma) {
        writeVmas(vma.start(), vma.end());
        if (!vmasIn(vma.start(), vma.end()).isEmpty()) {
            throw new IllegalStateException("vma " + vma + " overlaps an existing one");
        }
        vmas.put(vma.start(), vma);
        refreshGaps(vma.start(), vma.end());
    }

    /** Takes {@code vma} out of the address space and out of the reverse map. */
    void removeVma(Vma vma) {
        writeVmas(vma.start(), vma.end());
        if (vmas.remove(vma.start()) != vma) {
            throw new IllegalStateException("vma " + vma + " is not in " + this);
        }
        refreshGaps(vma.start(), vma.end());
        Rmap.unlinkVma(vma);
    }

    /**
     * Splits VMAs so that {@code start} and {@code end} fall on VMA boundaries, and returns the
     * VMAs inside {@code [start, end)} in address order.
     */
    List<Vma> splitAround(long start, long end) {
        for (Vma v : vmasIn(start, end)) {
            if (v.start() < start) {
                splitVma(v, start);
            }
        }
        for (Vma v : vmasIn(start, end)) {
            if (v.end() > end) {
                splitVma(v, end);
            }
        }
        return vmasIn(start, end);
    }

    /** {@code split_vma}: {@code vma} keeps {@code [start, at)}; returns the new VMA of the rest. */
    Vma splitVma(Vma vma, long at) {
        writeVmas(vma.start(), vma.end());
        Vma tail = vma.splitAt(at);
        vmas.put(tail.start(), tail);
        return tail;
    }

    /** {@code vma_set_range} in a merge: moves {@code vma}'s bounds and offset, keeping the tree sorted. */
    void adjustVma(Vma vma, long start, long end, long pgoff) {
        if (vmas.get(vma.start()) != vma) {
            throw new IllegalStateException("vma " + vma + " is not in " + this);
        }
        long changedFrom = Math.min(vma.start(), start);
        long changedTo = Math.max(vma.end(), end);
        writeVmas(changedFrom, changedTo);
        vmas.remove(vma.start());
        vma.setRange(start, end, pgoff);
        vmas.put(start, vma);
        refreshGaps(changedFrom, changedTo);
    }

    /** Re-reads which pages of {@code [start, end)} the VMAs map now, into {@link #gaps}. */
    private void refreshGaps(long start, long end) {
        gaps.set(start, end, false);
        for (Vma v : vmasIn(start, end)) {
            gaps.set(Math.max(v.start(), start), Math.min(v.end(), end), true);
        }
    }

    /** {@code find_vma}: the first VMA that ends above {@code address}, or null. */
    Vma findVmaFrom(long address) {
        readVmas(address, Long.MAX_VALUE);
        Vma v = findVma(address);
        return v != null ? v : vmaAtOrAbove(address);
    }

    /**
     * The VMA that starts below {@code address} and is the last to do so, or null: for a VMA's
     * start, the VMA before it ({@code vma_prev}), adjacent or not.
     */
    Vma vmaBelow(long address) {
        readVmas(0, address);
        Map.Entry<Long, Vma> e = vmas.lowerEntry(address);
        return e == null ? null : e.getValue();
    }

    /**
     * The first VMA that starts at or above {@code address}, or null: for a VMA's end, the VMA
     * after it ({@code vma_next}), adjacent or not.
     */
    Vma vmaAtOrAbove(long address) {
        readVmas(address, Long.MAX_VALUE);
        Map.Entry<Long, Vma> e = vmas.ceilingEntry(address);
        return e == null ? null : e.getValue();
    }

    /**
     * {@code get_unmapped_area} bottom-up ({@code vm_unmapped_area} without {@code
     * VM_UNMAPPED_AREA_TOPDOWN}): the lowest address at or above MMAP_BASE where {@code length}
     * bytes (page aligned) fit below TASK_SIZE, or -ENOMEM; logarithmic in the address space
     * ({@link MmapGaps}).
     */
    long getUnmappedArea(long length) {
        vmaTree.read();
        long start = gaps.firstFit(length >>> PageFrame.PAGE_SHIFT);
        return start < 0 ? Errno.ENOMEM.neg() : start;
    }

    /**
     * Installs a special PTE from a VM_PFNMAP or VM_MIXEDMAP fault handler ({@code vmf_insert_pfn},
     * {@code vmf_insert_mixed}). The kernel BUGs on a VMA that is neither or both, and on a COW
     * VM_PFNMAP VMA (there is no page to copy on write): the driver's mmap must have refused it.
     * The entry has the memory type {@code cacheMode} the handler chose ({@code
     * vmf_insert_pfn_prot}'s pgprot; {@code vmf_insert_pfn} uses the VMA's, WB in the model).
     */
    void installSpecialPte(Vma vma, long address, PageFrame frame, PageCacheMode cacheMode) {
        boolean pfnmap = vma.has(VmFlag.PFNMAP);
        if (pfnmap == vma.has(VmFlag.MIXEDMAP) || (pfnmap && vma.isCowMapping())) {
            throw new IllegalStateException("vmf_insert_pfn into " + vma + " " + vma.flags()
                    + ": its mmap should have refused the mapping");
        }
        pageTable.set(address, Pte.special(frame, vma.has(VmFlag.WRITE) && vma.has(VmFlag.SHARED), cacheMode));
    }

    @Override
    public String toString() {
        return "mm " + id + " (" + ownerName + ")";
    }
}
