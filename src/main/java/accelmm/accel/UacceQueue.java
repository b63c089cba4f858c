package accelmm.accel;

import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.MmStruct;
import accelmm.mm.MmuIntervalNotifier;
import accelmm.mm.MmuNotifierRange;
import accelmm.mm.MmapSetup;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Principal;
import accelmm.mm.Task;
import accelmm.mm.Vma;
import accelmm.mm.VmFault;
import accelmm.mm.VmFaultResult;
import accelmm.mm.VmFlag;
import accelmm.sim.Cost;
import accelmm.sim.Shared;
import accelmm.sim.WaitQueue;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/**
 * Models {@code struct uacce_queue} with its HiSilicon QM queue pair: one per open of the device
 * file, bound to the opener's PASID for its whole life — also when the file is used from another
 * process (a fork's child, a passed fd: uacce never looks at {@code current->mm} after open,
 * UA-09). The model follows the Dec 2025 generation (G3, KERNEL-SEMANTICS §12).
 *
 * <pre>
 *   open --> INIT --start_q--> STARTED --put_q--> INIT      (put_q of INIT: 0, nothing)
 *              \                  |
 *               `---- release ----+--> ZOMBIE (stopped, queue put, PASID unbound)
 * </pre>
 *
 * <p>Stopping drains ({@code hisi_qm_stop_qp} waits for the queue's outstanding tasks): put_q
 * and release wait until every job the queue's doorbell started has ended.
 *
 * <p>Without SVA ({@code design accel=pin}) the queue has no PASID: the device reaches only the
 * ranges {@code dma_map} pinned and mapped 1:1 in the IOMMU for it ({@link UacceDmaMap}),
 * released with the queue.
 *
 * <p>Regions ({@link UacceQfrt}): each at most once at a time (-EEXIST), its slot cleared by the
 * close of its VMA (G2+). The pages behind them belong to the queue pair (the driver's {@code
 * qp->qdma} and doorbell page) and go with the queue at release, after every mapping of them,
 * since each VMA holds the file.
 */
public final class UacceQueue {

    private final UacceDevice device;
    private final int qpId;
    private final Principal owner;
    /** The SVA bond, or {@code null} on a device driven without SVA. */
    private final IommuSva.Domain domain;
    /** The {@code dma_map} ranges of a queue without SVA, in the order mapped. */
    private final List<UacceDmaMap> dmaMaps = new ArrayList<>();
    /** pin-notifier: every range {@code dma_map} declared, pinned or not, to pin again at the doorbell fault. */
    private final List<DeclaredRange> declared = new ArrayList<>();
    /** pin-notifier: the interval notifiers over the declared ranges, in each mm they were pinned in. */
    private final List<Watch> notifiers = new ArrayList<>();
    /**
     * Every VMA mapping the queue's doorbell, in every address space, in the order they opened:
     * the mmap's, a fork's copies ({@code queue-mmap=plain}), the next mmap's after a close —
     * what {@code unmap_mapping_range} on the file's mapping reaches, so what pin-notifier zaps.
     */
    private final List<Vma> doorbellVmas = new ArrayList<>();
    /** pin-notifier: the address space the doorbell fault last pinned every declared range in; null once unpinned. */
    private MmStruct pinnedIn;
    /** pin-notifier: the doorbell fault is pinning again; an invalidation meanwhile makes it retry. */
    private boolean repinning;
    private boolean invalidatedWhileRepinning;
    private final EnumMap<UacceQfrt, UacceRegion> qfrs = new EnumMap<>(UacceQfrt.class);
    private final WaitQueue drained;
    private UacceQState state = UacceQState.INIT;
    private File filp;
    private PageFrame doorbellPage;
    private final List<PageFrame> dusPages = new ArrayList<>();
    /** Jobs rung on the doorbell that have not ended. */
    private int inflight;
    private int nextJob = 1;
    /**
     * Everything above that changes: the state, the file, the regions and their pages, the
     * dma_map ranges, their pins and notifiers, the doorbell VMAs, the jobs in flight. Each
     * access is reported next to it, since most paths here sleep between two of them.
     */
    private final Shared shared;
    /** Bounds the doorbell fault's retries, which only invalidations by other threads can prolong. */
    private static final int MAX_REPIN_ROUNDS = 64;

    UacceQueue(UacceDevice device, int qpId, Principal owner, IommuSva.Domain domain) {
        this.device = device;
        this.qpId = qpId;
        this.owner = owner;
        this.domain = domain;
        this.shared = device.sim().shared("uacce queue");
        this.drained = new WaitQueue(device.sim(), this + " drain");
    }

    void opened(File file) {
        shared.write();
        this.filp = file;
    }

    /**
     * Adds this queue to {@code graph}: its state, the doorbell frame and the frames its
     * pinned DMA mappings hold at their IOVAs (what the device reaches without SVA).
     */
    void addTo(accelmm.sim.ObjectGraph graph) {
        shared.read();
        graph.node(this, "uacce queue", toString(), state.toString().toLowerCase(java.util.Locale.ROOT));
        if (doorbellPage != null) {
            doorbellPage.addTo(graph, this, "doorbell", -1);
        }
        for (UacceDmaMap m : dmaMaps) {
            m.addTo(graph, this);
        }
    }

    /** The queue's DMA mappings with their frames ({@link UacceDmaMap#describe}), for {@code replay --show}. */
    List<String> describeDmaMaps() {
        shared.read();
        return dmaMaps.stream().map(UacceDmaMap::describe).toList();
    }

    File filp() {
        shared.read();
        return filp;
    }

    UacceDevice device() {
        return device;
    }

    /** The hardware queue id. */
    public int qpId() {
        return qpId;
    }

    /** The PASID the queue was bound to at open: its opener's address space's. */
    public int pasid() {
        if (domain == null) {
            throw new IllegalStateException(this + " has no PASID (no SVA)");
        }
        return domain.pasid();
    }

    /** How the device addresses the queue's memory, for traces: its PASID, or the IOMMU's 1:1 IOVAs. */
    String addressing() {
        return domain != null ? "pasid " + domain.pasid() : "iova";
    }

    public UacceQState state() {
        shared.read();
        return state;
    }

    /** On whose behalf the device works for this queue: the process whose address space it is bound to. */
    Principal owner() {
        return owner;
    }

    IommuSva.Domain domain() {
        return domain;
    }

    /**
     * {@code UACCE_CMD_START_Q} ({@code uacce_start_queue}): INIT to STARTED; -EINVAL when
     * already started; -ENXIO for a queue that is no longer valid (G2+, UA-02).
     */
    public int startQ() {
        device.sim().preemptionPoint("ioctl start_q " + this);
        shared.write();
        if (!state.isValid()) {
            return Errno.ENXIO.neg();
        }
        if (state != UacceQState.INIT) {
            return Errno.EINVAL.neg();
        }
        state = UacceQState.STARTED;
        return 0;
    }

    /**
     * {@code UACCE_CMD_PUT_Q} in the Dec 2025 generation: only stops the queue (STARTED to INIT,
     * after its jobs drained), 0 also for a queue that was not started; the real put is left to
     * the release. -ENXIO for a queue that is no longer valid (UA-03).
     */
    public int putQ() {
        device.sim().preemptionPoint("ioctl put_q " + this);
        shared.read();
        if (!state.isValid()) {
            return Errno.ENXIO.neg();
        }
        stop();
        return 0;
    }

    /**
     * Any other ioctl number ({@code uacce_fops_unl_ioctl}'s default): the driver's ioctl, which
     * knows only its own context commands ({@code hisi_qm_uacce_ioctl}) and refuses the rest with
     * -EINVAL; -ENXIO first for a queue that is no longer valid (UA-04).
     */
    public int unknownIoctl() {
        shared.read();
        return state.isValid() ? Errno.EINVAL.neg() : Errno.ENXIO.neg();
    }

    /** A range {@code dma_map} declared under pin-notifier. */
    private record DeclaredRange(long addr, long size) {

        boolean overlaps(long start, long length) {
            return start < addr + size && addr < start + length;
        }
    }

    /** An interval notifier over a declared range in one address space. */
    private record Watch(MmStruct mm, DeclaredRange range, MmuIntervalNotifier notifier) {
    }

    /**
     * {@code ioctl FD dma_map addr= size=}, the one call user space makes in every design (R1)
     * to declare a range the device will use: -ENXIO for a queue no longer valid, -EINVAL for an
     * empty range, one outside the address space (or wrapping), and an address or size that is
     * not page aligned — VFIO's rule ({@code vfio_dma_do_map} refuses {@code (size | iova |
     * vaddr)} not a multiple of the IOMMU page size), so no design maps a part of a page the
     * device could not reach the rest of, or two ranges within one page. Under {@link
     * AccelDesign#SVA} it only checks that every page of the range is mapped in the address space
     * the queue is bound to, the one the device translates through (-EFAULT otherwise, as GUP
     * fails on a hole; so a forked child's call on the inherited fd checks the parent's, where
     * its addresses will be used); under {@link AccelDesign#PIN} it pins the range in the caller's
     * address space ({@code pin_user_pages(FOLL_LONGTERM | FOLL_WRITE)}: -EFAULT where a page
     * cannot be pinned for writing, the pages pinned so far are unpinned) and maps it 1:1 in the
     * IOMMU for the queue; a range overlapping one already mapped is -EEXIST, as VFIO refuses
     * an IOVA range overlapping a mapping it holds ({@code vfio_dma_do_map}: {@code
     * vfio_find_dma} finds one, drivers/vfio/vfio_iommu_type1.c; the IOVA is the address here).
     */
    public int dmaMap(Task task, long addr, long size) {
        device.sim().preemptionPoint("ioctl dma_map " + this);
        shared.read();
        if (!state.isValid()) {
            return Errno.ENXIO.neg();
        }
        if (!UacceDmaMap.inAddressSpace(addr, size) || ((addr | size) & (PageFrame.PAGE_SIZE - 1)) != 0) {
            return Errno.EINVAL.neg();
        }
        return switch (device.accelDesign()) {
            case SVA -> checkMappedInBoundMm(addr, size);
            case PIN -> pinAndMapUnlocked(task.mm(), addr, size);
            case PIN_NOTIFIER -> pinMapAndWatch(task.mm(), addr, size);
            case KERNEL_SUBMIT -> checkMapped(task.mm(), addr, addr + size);
        };
    }

    /**
     * SVA: the range is checked in the address space bound to the queue's PASID, which the
     * device's DMA will walk ({@code iommu_sva_bind_device} at open binds the opener's mm, and
     * uacce never looks at {@code current->mm} again): -EFAULT once that mm has exited.
     */
    private int checkMappedInBoundMm(long addr, long size) {
        MmStruct mm = domain.mm();
        if (!mm.mmgetNotZero()) {
            return Errno.EFAULT.neg();
        }
        try {
            return checkMapped(mm, addr, addr + size);
        } finally {
            mm.mmput();
        }
    }

    /** Every page of {@code [start, end)} has a VMA in {@code mm}: 0, else -EFAULT. */
    private static int checkMapped(MmStruct mm, long start, long end) {
        mm.mmapLock().downRead();
        try {
            for (long page = start & ~(long) (PageFrame.PAGE_SIZE - 1); page < end; page += PageFrame.PAGE_SIZE) {
                if (mm.findVma(page) == null) {
                    return Errno.EFAULT.neg();
                }
            }
            return 0;
        } finally {
            mm.mmapLock().upRead();
        }
    }

    private int pinAndMapUnlocked(MmStruct mm, long addr, long size) {
        mm.mmapLock().downRead();
        try {
            return pinAndMap(mm, addr, size);
        } finally {
            mm.mmapLock().upRead();
        }
    }

    /** Pins and maps a range in {@code mm}, whose {@code mmap_lock} the caller holds. */
    private int pinAndMap(MmStruct mm, long addr, long size) {
        shared.read();
        for (UacceDmaMap m : dmaMaps) {
            if (m.overlaps(addr, size)) {
                return Errno.EEXIST.neg();
            }
        }
        UacceDmaMap.Pinned pinned = UacceDmaMap.pin(mm, addr, size, true, true);
        if (pinned.map() != null) {
            shared.write();
            dmaMaps.add(pinned.map());
        }
        return pinned.errno();
    }

    /**
     * pin-notifier, Glisse's (A): {@link #pinAndMap}, then an mmu interval notifier over the
     * range, whose every invalidation undoes all the queue's mappings ({@link #invalidate}). A
     * range overlapping one declared before is -EEXIST, as under pin, whether or not an
     * invalidation has unpinned it meanwhile: the declared ranges are the queue's mappings, the
     * pins only their current backing (R1: one API).
     */
    private int pinMapAndWatch(MmStruct mm, long addr, long size) {
        shared.read();
        if (declared.stream().anyMatch(r -> r.overlaps(addr, size))) {
            return Errno.EEXIST.neg();
        }
        int ret = pinAndMapUnlocked(mm, addr, size);
        if (ret == 0) {
            shared.write();
            if (pinnedIn != mm) {
                pinnedIn = null; // pins of two address spaces now: the next doorbell fault, wherever, pins all again
            }
            DeclaredRange range = new DeclaredRange(addr, size);
            declared.add(range);
            watch(mm, range);
        }
        return ret;
    }

    /** Inserts an interval notifier over {@code range} in {@code mm}; the caller does not hold its {@code mmap_lock}. */
    private void watch(MmStruct mm, DeclaredRange range) {
        MmuIntervalNotifier notifier = mm.insertIntervalNotifier(range.addr(), range.size(), this::invalidate,
                this + " dma_map");
        shared.write();
        notifiers.add(new Watch(mm, range, notifier));
    }

    private boolean watches(MmStruct mm, DeclaredRange range) {
        shared.read();
        return notifiers.stream().anyMatch(w -> w.mm() == mm && w.range() == range);
    }

    /**
     * Glisse's (B): on every invalidation of a declared range, whatever its cause (the driver
     * cannot tell a fork from anything else), zap the doorbell mapping — every VMA of it in every
     * address space, as {@code unmap_mapping_range} on the file's mapping does — so the next
     * store to it, in any process, faults; wait for the queue's jobs to end, then drop every
     * IOMMU mapping and unpin every page. During the doorbell fault's own pinning (whose
     * FOLL_WRITE may break COW in a declared range) it only records that the pins it is taking
     * may be stale, and the fault starts over.
     */
    private boolean invalidate(MmuIntervalNotifier sub, MmuNotifierRange range, long curSeq) {
        sub.setSeq(curSeq);
        shared.write();
        if (repinning) {
            invalidatedWhileRepinning = true;
            return true;
        }
        zapDoorbells(null);
        drained.waitEvent(this::idle);
        int pinned = dmaMaps.size();
        unpinAll();
        device.trace("invalidate " + this, "doorbell zapped, " + pinned + " dma range(s) unpinned");
        return true;
    }

    /** {@code unmap_mapping_range} over the doorbell: every VMA of it but {@code except}. */
    private void zapDoorbells(Vma except) {
        shared.read();
        for (Vma vma : List.copyOf(doorbellVmas)) {
            if (vma != except) {
                device.kernel().memoryOps().unmapMappingRange(vma);
            }
        }
    }

    private void unpinAll() {
        shared.write();
        dmaMaps.forEach(UacceDmaMap::unmapAndUnpin);
        dmaMaps.clear();
        pinnedIn = null;
    }

    /**
     * Glisse's (C), the doorbell region's fault handler under pin-notifier ({@link
     * UacceRegion#fault}), reached by every access to a zapped doorbell — a library's store, a
     * plain CPU write — through the CPU fault path, with {@code mmap_lock} held for reading: pin
     * and map every declared range again, against the faulting process's address space ({@code
     * current->mm}, watched from then on too), and map the doorbell page again. The pins then
     * belong to that process: the doorbell mappings of every other address space are zapped, so
     * each process's next store faults and pins in its own (a child gets its own), after the
     * jobs that used the old pins have ended. Watching a new address space may register its
     * notifier subscriptions, which takes {@code mmap_lock} for writing: the handler drops its
     * hold for that and looks the VMA up again, as a fault handler that must sleep does with
     * {@code FAULT_FLAG_ALLOW_RETRY}. An invalidation during the pinning starts it over; a range
     * that can no longer be pinned (unmapped meanwhile) fails the fault (SIGBUS).
     */
    VmFaultResult doorbellFault(VmFault fault) {
        Vma vma = fault.vma();
        MmStruct mm = vma.mm();
        for (int round = 0; round < MAX_REPIN_ROUNDS; round++) {
            // One fault at a time (the driver's queue mutex).
            drained.waitEvent(this::notRepinning);
            shared.read();
            List<DeclaredRange> unwatched = declared.stream().filter(r -> !watches(mm, r)).toList();
            if (!unwatched.isEmpty()) {
                mm.mmapLock().upRead();
                try {
                    unwatched.forEach(r -> watch(mm, r));
                } finally {
                    mm.mmapLock().downRead();
                }
                if (mm.findVma(fault.address()) != vma) {
                    return VmFaultResult.SIGBUS;
                }
                continue;
            }
            shared.read();
            if (pinnedIn == mm) {
                fault.insertPfnProt(doorbellPage, UacceQfrt.MMIO.cacheMode());
                return VmFaultResult.NOPAGE;
            }
            zapDoorbells(vma);
            drained.waitEvent(() -> idle() && notRepinning());
            unpinAll();
            shared.write();
            repinning = true;
            invalidatedWhileRepinning = false;
            int err = 0;
            for (DeclaredRange r : declared) {
                err = pinAndMap(mm, r.addr(), r.size());
                if (err < 0) {
                    break;
                }
            }
            shared.write();
            repinning = false;
            drained.wakeUpAll();
            if (err < 0) {
                unpinAll();
                return VmFaultResult.SIGBUS;
            }
            if (!invalidatedWhileRepinning) {
                pinnedIn = mm;
                fault.insertPfnProt(doorbellPage, UacceQfrt.MMIO.cacheMode());
                device.trace("doorbell fault " + this, declared.size() + " dma range(s) pinned again in " + mm);
                return VmFaultResult.NOPAGE;
            }
        }
        throw new IllegalStateException(this + ": the doorbell fault was invalidated " + MAX_REPIN_ROUNDS + " times");
    }

    /**
     * The {@code dma_map} range that translates I/O virtual address {@code iova} for this queue,
     * or {@code null} (an IOMMU fault: no page request interface without SVA).
     */
    UacceDmaMap mappingOf(long iova) {
        shared.read();
        for (UacceDmaMap m : dmaMaps) {
            if (m.translate(iova) != null) {
                return m;
            }
        }
        return null;
    }

    /** The frame the IOMMU translates {@code iova} to for this queue, or {@code null}. */
    PhysicalMemory.FrameRef translateIova(long iova) {
        UacceDmaMap m = mappingOf(iova);
        return m == null ? null : m.translate(iova);
    }

    /** {@code uacce_stop_queue}: STARTED to INIT once the queue's jobs have ended ({@code hisi_qm_stop_qp}). */
    private void stop() {
        shared.read();
        if (state != UacceQState.STARTED) {
            return;
        }
        drained.waitEvent(this::idle);
        shared.write();
        state = UacceQState.INIT;
    }

    /** Whether every job the doorbell started has ended (what a stop waits for). */
    private boolean idle() {
        shared.read();
        return inflight == 0;
    }

    /** Whether no doorbell fault is pinning again (what a second fault waits for). */
    private boolean notRepinning() {
        shared.read();
        return !repinning;
    }

    /**
     * {@code uacce_fops_mmap} with {@code hisi_qm_uacce_mmap} (UA-05, UA-06): the page offset
     * selects the region (-EINVAL past {@code UACCE_MAX_REGION}); the VMA gets the fork flags of
     * the {@code queue-mmap} design; -ENXIO for a queue no longer valid, -EEXIST when the region
     * is mapped already; the doorbell is one page (a larger mapping -EINVAL: {@code
     * hisi_qm_uacce_mmap}'s limit for {@code QM_HW_V1}, {@code QM_DOORBELL_PAGE_NR} pages; later
     * QM versions allow a page more, or {@code db_interval} with doorbell isolation, but the
     * model's queue has one doorbell page), the device-user-share region any size (the model's device does not fix the size
     * the driver would insist on). The VMA is a PFN map of the region's pages, installed at once
     * ({@code remap_pfn_range}) when the new VMA opens. Neither {@code uacce_fops_mmap} nor
     * {@code hisi_qm_uacce_mmap} assigns {@code vm_page_prot}: the doorbell's {@code
     * pgprot_noncached} goes to {@code remap_pfn_range} only, and {@code dma_mmap_coherent} keeps
     * the default for a coherent device, so both regions' VMAs stay cacheable ({@link
     * accelmm.mm.Vma#pageProt}) whatever their PTEs say.
     */
    int mmap(MmapSetup setup) {
        UacceQfrt type = UacceQfrt.ofPgoff(setup.pgoff());
        if (type == null) {
            return Errno.EINVAL.neg();
        }
        shared.write();
        if (!state.isValid()) {
            return Errno.ENXIO.neg();
        }
        if (qfrs.containsKey(type)) {
            return Errno.EEXIST.neg();
        }
        long pages = setup.lengthBytes() >>> PageFrame.PAGE_SHIFT;
        if (type == UacceQfrt.MMIO && (pages > 1 || device.accelDesign() == AccelDesign.KERNEL_SUBMIT)) {
            return Errno.EINVAL.neg();
        }
        UacceRegion region = new UacceRegion(this, type, regionPages(type, (int) pages));
        int ret = setup.pfnMapping(region);
        if (ret < 0) {
            return ret;
        }
        shared.write();
        setup.addFlag(VmFlag.DONTEXPAND);
        if (device.mmapDesign() == QueueMmapDesign.DONTCOPY) {
            setup.addFlag(VmFlag.DONTCOPY);
            setup.addFlag(VmFlag.WIPEONFORK);
        }
        qfrs.put(type, region);
        return 0;
    }

    /** The queue pair's pages behind {@code pages} pages of region {@code type}, allocated at first use. */
    private List<PageFrame> regionPages(UacceQfrt type, int pages) {
        shared.write();
        if (type == UacceQfrt.MMIO) {
            if (doorbellPage == null) {
                doorbellPage = device.allocMmioPage();
            }
            return List.of(doorbellPage);
        }
        while (dusPages.size() < pages) {
            dusPages.add(device.kernel().physicalMemory().allocPage());
        }
        return List.copyOf(dusPages.subList(0, pages));
    }

    /**
     * {@code uacce_vma_close} (G2+): the region's slot is free again, whichever VMA of it closed
     * (a child's copy too, as uacce does); the other VMAs mapping the doorbell stay known.
     */
    void regionClosed(UacceQfrt type, Vma vma) {
        shared.write();
        qfrs.remove(type);
        if (type == UacceQfrt.MMIO) {
            doorbellVmas.remove(vma);
        }
    }

    /** A VMA of region {@code type} opened: the mmap's own, a split's or a fork's copy. */
    void regionOpened(UacceQfrt type, Vma vma) {
        shared.write();
        if (type == UacceQfrt.MMIO) {
            doorbellVmas.add(vma);
        }
    }

    /**
     * The submission system call of {@code accel=kernel-submit} (no doorbell): -ENXIO for a queue
     * no longer valid, -EINVAL for an empty copy or a buffer outside the address space (or
     * wrapping, as {@code dma_map}), -EAGAIN for a queue not started (as {@code
     * hisi_qp_send} refuses a stopped queue pair); then the job's buffers are checked and pinned
     * in the caller's address space — the source for reading, the destination for writing, each
     * for the job's duration only (no FOLL_LONGTERM) — -EFAULT at the first page that cannot be
     * pinned — and the job goes to the engine with those pins, which it drops when the job ends.
     * The device reaches only the pages pinned at the call, in whichever process makes it, and
     * on that process's behalf.
     */
    Submission submitIoctl(Task task, long srcVa, long dstVa, long sizeBytes) {
        device.sim().preemptionPoint("ioctl submit " + this);
        shared.read();
        if (!state.isValid()) {
            return new Submission(Errno.ENXIO.neg(), null);
        }
        if (!UacceDmaMap.inAddressSpace(srcVa, sizeBytes) || !UacceDmaMap.inAddressSpace(dstVa, sizeBytes)) {
            return new Submission(Errno.EINVAL.neg(), null);
        }
        if (state != UacceQState.STARTED) {
            return new Submission(Errno.EAGAIN.neg(), null);
        }
        UacceDmaMap.Pinned src = UacceDmaMap.pinUnlocked(task.mm(), srcVa, sizeBytes, false, false);
        if (src.map() == null) {
            return new Submission(src.errno(), null);
        }
        UacceDmaMap.Pinned dst = UacceDmaMap.pinUnlocked(task.mm(), dstVa, sizeBytes, true, false);
        if (dst.map() == null) {
            src.map().unmapAndUnpin();
            return new Submission(dst.errno(), null);
        }
        shared.write();
        UacceJob job = new UacceJob(this, nextJob++, srcVa, dstVa, sizeBytes, List.of(src.map(), dst.map()));
        device.sim().costs().count(Cost.DOORBELL_WRITE); // hisi_qp_send rings the doorbell itself (qm_db)
        inflight++;
        device.engine().push(job);
        return new Submission(0, job);
    }

    /** What {@link #submitIoctl} returns: 0 with the job, or a negative errno without one. */
    record Submission(int ret, UacceJob job) {
    }

    /**
     * A doorbell write reached the device: a STARTED queue's job goes to the engine; any other
     * queue's hardware is not fetching, so the write is lost and the job never runs (its fence
     * never signals). The model's choice: the QM has no completion for a descriptor of a stopped
     * queue pair, and the driver never sees the write.
     */
    UacceJob ring(long srcVa, long dstVa, long sizeBytes) {
        shared.write();
        UacceJob job = new UacceJob(this, nextJob++, srcVa, dstVa, sizeBytes, List.of());
        device.sim().costs().count(Cost.DOORBELL_WRITE);
        if (state != UacceQState.STARTED) {
            device.trace(job.toString(), "ignored (queue " + state + ")");
            return job;
        }
        inflight++;
        device.engine().push(job);
        return job;
    }

    /** The engine ended one of this queue's jobs. */
    void jobEnded() {
        shared.write();
        if (--inflight < 0) {
            throw new IllegalStateException(this + " ended more jobs than it started");
        }
        drained.wakeUpAll();
    }

    /**
     * {@code uacce_fops_release} (UA-10): the last reference to the file — after every mapping of
     * it, each of which holds the file — stops the queue (draining its jobs), puts it (the
     * hardware queue is free again, the state ZOMBIE), unbinds the PASID and frees the regions'
     * pages.
     */
    void release() {
        stop();
        shared.write();
        state = UacceQState.ZOMBIE;
        device.putQueue(this);
        if (domain != null) {
            device.unbind(domain);
        }
        shared.read();
        notifiers.forEach(w -> w.notifier().remove());
        shared.write();
        notifiers.clear();
        unpinAll();
        shared.write();
        if (doorbellPage != null) {
            doorbellPage.put();
        }
        dusPages.forEach(PageFrame::put);
        dusPages.clear();
        device.trace("release " + this, domain != null ? "queue put, pasid " + pasid() + " unbound"
                : "queue put, dma mappings unpinned");
    }

    @Override
    public String toString() {
        return device.name() + " queue " + qpId;
    }
}
