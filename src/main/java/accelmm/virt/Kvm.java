package accelmm.virt;

import accelmm.mm.Errno;
import accelmm.mm.FdTable;
import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Kernel;
import accelmm.mm.MmStruct;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.Task;
import accelmm.mm.Vma;
import accelmm.mm.VmFlag;
import accelmm.sim.Cost;
import accelmm.sim.LockClass;
import accelmm.sim.Mutex;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A virtual machine: {@code struct kvm} (include/linux/kvm_host.h, virt/kvm/kvm_main.c), with
 * one vCPU ({@link KvmVcpu}). It belongs to the VMM's address space: {@code kvm_create_vm}
 * takes {@code mmgrab} on it, and every VM ioctl from another mm gets -EIO ({@code
 * kvm_vm_ioctl}). Guest memory is the VMM's virtual memory, listed in memslots; the stage-2
 * table maps guest frames to the frames the VMM's addresses resolved to ({@link HvaToPfn}).
 *
 * <p>Under {@link KvmDesign#NOTIFIER} an mmu notifier on the VMM's mm keeps the stage-2 table a
 * subset of the VMM's page tables: an invalidation zaps the entries of the guest frames it
 * covers, and {@code mmu_invalidate_seq} with the in-progress count and range tell a fault that
 * resolved its PFN while an invalidation ran to retry ({@code kvm_mmu_invalidate_begin}, {@code
 * _range_add}, {@code _end}, {@code mmu_invalidate_retry_gfn}).
 *
 * <p>Memslots are only ever created: each {@link #setUserMemoryRegion} is a new slot id (the
 * VMM's choice in the kernel), and deleting, moving or re-flagging a slot is left out, as are
 * read-only slots. The ioctls are methods that take the calling task; the VM fd's lookup (EBADF,
 * ENOTTY for another file) is the caller's, through {@link #ofFile}.
 */
public final class Kvm {

    /**
     * {@code kvm->mmu_lock}: an rwlock on x86, a spinlock elsewhere, a sim mutex here. It is never
     * held across a preemption point, so it never sleeps; taking it is a preemption point, which
     * is where another CPU could have taken it first.
     */
    public static final LockClass MMU_LOCK = new LockClass("kvm->mmu_lock");
    /** {@code kvm->slots_lock}. */
    public static final LockClass SLOTS_LOCK = new LockClass("kvm->slots_lock");
    /** {@code KVM_MEM_MAX_NR_PAGES}: {@code (1UL << 31) - 1}. */
    static final long KVM_MEM_MAX_NR_PAGES = (1L << 31) - 1;

    /**
     * Test-only variants of the stage-2 fault, as {@code GemEvict}'s: {@link #NO_RETRY_CHECK}
     * installs the SPTE without {@code mmu_invalidate_retry_gfn}, {@link #SEQ_ONLY_CHECK} checks
     * the seq but not the in-progress range, to show what each part of the check prevents.
     */
    enum Variant {
        FAITHFUL, NO_RETRY_CHECK, SEQ_ONLY_CHECK
    }

    private final Kernel kernel;
    private final MmStruct mm;
    private final KvmConfig config;
    private final KvmDesign design;
    private final Variant variant;
    /** Memslots by base gfn. */
    private final TreeMap<Long, KvmMemorySlot> memslots = new TreeMap<>();
    /** The same memslots in creation order, which is id order: ids only rise. */
    private final List<KvmMemorySlot> memslotsInIdOrder = new ArrayList<>();
    private int nextSlotId;
    private final Stage2PageTable stage2;
    private final GuestStage1 stage1;
    private final Mutex mmuLock;
    private final Mutex slotsLock;
    private final MmuInvalidation invalidation;
    /** The two stages' types of the last guest access of each gfn (for traces, described when asked). */
    private final TreeMap<Long, LastType> lastTypes = new TreeMap<>();
    private final KvmVcpu vcpu;
    private KvmMmuNotifier notifier;
    private File file;
    private boolean destroyed;
    /** The memslots and their ids, the notifier, the file and the destroyed flag. */
    private final Shared shared;
    /** {@link #lastTypes}, by gfn: written only when a page's types change, so equal accesses commute. */
    private final Shared lastTypesShared;

    private Kvm(Kernel kernel, MmStruct mm, KvmConfig config, Variant variant) {
        this.kernel = kernel;
        this.mm = mm;
        this.config = config;
        this.design = kernel.designs().get(KvmDesign.class);
        this.variant = variant;
        this.shared = kernel.sim().shared("kvm");
        this.lastTypesShared = kernel.sim().shared("kvm last access types");
        this.stage2 = new Stage2PageTable(kernel.sim().shared("kvm stage2"));
        this.stage1 = new GuestStage1(kernel.sim().shared("kvm guest stage1"));
        this.mmuLock = new Mutex(kernel.sim(), "kvm mmu_lock of " + mm, MMU_LOCK);
        this.slotsLock = new Mutex(kernel.sim(), "kvm slots_lock of " + mm, SLOTS_LOCK);
        this.invalidation = new MmuInvalidation(kernel.sim(), mm.toString());
        this.vcpu = new KvmVcpu(this);
    }

    /**
     * {@code KVM_CREATE_VM} ({@code kvm_dev_ioctl_create_vm}, {@code kvm_create_vm}): a VM of
     * {@code task}'s address space, which it holds with {@code mmgrab}; under {@link
     * KvmDesign#NOTIFIER} its mmu notifier is registered on that mm (which takes {@code
     * mmap_lock}: the caller holds none). Returns the VM's fd (an anonymous inode {@code
     * kvm-vm}, close-on-exec) or -EMFILE.
     *
     * <p>The kernel reserves the fd first ({@code get_unused_fd_flags}) and fails with -EMFILE
     * before creating anything; the model checks for a free fd first the same way, but installs
     * only at the end. Should another thread of the process take the last fd while the
     * registration waits for {@code mmap_lock}, the install fails with -EMFILE and the VM goes
     * with its file, as the kernel's error path after {@code anon_inode_getfile} does.
     */
    public static long createVm(Kernel kernel, Task task, KvmConfig config) {
        return createVm(kernel, task, config, Variant.FAITHFUL);
    }

    static long createVm(Kernel kernel, Task task, KvmConfig config, Variant variant) {
        if (task.files().openFds().size() >= FdTable.NR_OPEN_DEFAULT) {
            return Errno.EMFILE.neg();
        }
        Kvm kvm = create(kernel, task, config, variant);
        return task.installFile(kvm.file, true);
    }

    /** As {@link #createVm}, returning the VM with its file's reference for the caller. */
    static Kvm create(Kernel kernel, Task task, KvmConfig config, Variant variant) {
        MmStruct mm = task.mm();
        Kvm kvm = new Kvm(kernel, mm, config, variant);
        mm.mmgrab();
        kvm.shared.write();
        if (kvm.design == KvmDesign.NOTIFIER) {
            kvm.notifier = new KvmMmuNotifier(kvm);
            mm.mmuNotifierRegister(kvm.notifier);
        }
        File file = kernel.openFile(new Fops(), true, true, kvm);
        kvm.shared.write();
        kvm.file = file;
        return kvm;
    }

    /** The VM behind {@code file}, or null if it is not a VM's file. */
    public static Kvm ofFile(File file) {
        return file.privateData() instanceof Kvm kvm && kvm.fileIs(file) ? kvm : null;
    }

    private boolean fileIs(File candidate) {
        shared.read();
        return file == candidate;
    }

    // ---- ioctls -----------------------------------------------------------------------------

    /**
     * {@code KVM_SET_USER_MEMORY_REGION} creating a new memslot ({@code kvm_set_memory_region}):
     * guest frames from {@code gpa} are backed by the caller's memory from {@code hva}; nothing
     * needs to be mapped there yet. -EIO if the caller's mm is not the VM's ({@code
     * kvm_vm_ioctl}); -EINVAL for a size, gpa or hva not page aligned, a range past {@code
     * TASK_SIZE} ({@code access_ok}), a gpa range that wraps, more than {@code
     * KVM_MEM_MAX_NR_PAGES} pages, or size 0 (which deletes the slot the id names, and a new id
     * names none); -EEXIST if the gfns overlap another slot's ({@code kvm_check_memslot_overlap}).
     * On arm64 without FWB, -EINVAL for a cacheable {@code VM_PFNMAP} VMA in the range ({@link
     * #refusesCacheablePfnmap}). The new slot waits until no invalidation is in progress ({@code kvm_swap_active_memslots}
     * waits for {@code mn_active_invalidate_count}), so a start and its end see the same slots.
     */
    public long setUserMemoryRegion(Task caller, long gpa, long hva, long size) {
        if (caller.mm() != mm || isDestroyed()) {
            return Errno.EIO.neg();
        }
        slotsLock.lock();
        try {
            return setMemoryRegion(gpa, hva, size);
        } finally {
            slotsLock.unlock();
        }
    }

    private long setMemoryRegion(long gpa, long hva, long size) {
        if (!pageAligned(size) || !pageAligned(gpa) || !pageAligned(hva) || !accessOk(hva, size)
                || Long.compareUnsigned(gpa + size, gpa) < 0
                || Long.compareUnsigned(size >>> PageFrame.PAGE_SHIFT, KVM_MEM_MAX_NR_PAGES) > 0
                || size == 0) {
            return Errno.EINVAL.neg();
        }
        long baseGfn = gpa >>> PageFrame.PAGE_SHIFT;
        long npages = size >>> PageFrame.PAGE_SHIFT;
        shared.read();
        if (overlapsSlot(baseGfn, baseGfn + npages)) {
            return Errno.EEXIST.neg();
        }
        if (config.arch() == KvmConfig.Arch.ARM64 && refusesCacheablePfnmap(hva, hva + size)) {
            return Errno.EINVAL.neg();
        }
        invalidation.waitForNoActive();
        shared.write();
        KvmMemorySlot slot = new KvmMemorySlot(nextSlotId++, baseGfn, npages, hva);
        memslots.put(baseGfn, slot);
        memslotsInIdOrder.add(slot);
        return 0;
    }

    /**
     * arm64's {@code kvm_arch_prepare_memory_region} (arch/arm64/kvm/mmu.c): under {@code
     * mmap_lock} it walks the VMAs over the new slot's {@code [hva, end)} and refuses a {@code
     * VM_PFNMAP} one whose {@code vm_page_prot} is cacheable ({@code kvm_vma_is_cacheable}: any
     * type but Normal-NC and Device, here WB) unless {@code kvm_supports_cacheable_pfnmap}. That
     * needs FEAT_S2FWB and CTR_EL0.DIC, because such PFNs may have no kernel mapping for cache
     * maintenance; the model's {@code fwb} stands for both. Only the VMAs there at creation count:
     * one mapped later is caught at the stage-2 fault ({@link Stage2Attr#refusesCacheablePfnmap}).
     */
    private boolean refusesCacheablePfnmap(long hva, long end) {
        if (config.fwb()) {
            return false;
        }
        mm.mmapLock().downRead();
        try {
            for (Vma vma : mm.vmasIn(hva, end)) {
                if (vma.has(VmFlag.PFNMAP) && vma.pageProt().cacheable()) {
                    return true;
                }
            }
            return false;
        } finally {
            mm.mmapLock().upRead();
        }
    }

    private static boolean pageAligned(long value) {
        return (value & (PageFrame.PAGE_SIZE - 1)) == 0;
    }

    /** {@code access_ok}: {@code [addr, addr + size)} lies below {@code TASK_SIZE}. */
    private static boolean accessOk(long addr, long size) {
        return Long.compareUnsigned(size, MmStruct.TASK_SIZE) <= 0
                && Long.compareUnsigned(addr, MmStruct.TASK_SIZE - size) <= 0;
    }

    private boolean overlapsSlot(long startGfn, long endGfn) {
        Map.Entry<Long, KvmMemorySlot> below = memslots.lowerEntry(endGfn);
        return below != null && below.getValue().endGfn() > startGfn;
    }

    /**
     * The guest maps {@code [gpa, gpa + size)} with type {@code mode} in its own page tables
     * (identity translation; a later call for the same pages replaces the type). Not a syscall:
     * the guest kernel's work. -EIO if the caller's mm is not the VM's, -EINVAL for an unaligned
     * or empty range.
     */
    public long guestMap(Task caller, long gpa, long size, PageCacheMode mode) {
        if (caller.mm() != mm || isDestroyed()) {
            return Errno.EIO.neg();
        }
        if (!pageAligned(gpa) || !pageAligned(size) || size <= 0 || Long.compareUnsigned(gpa + size, gpa) < 0) {
            return Errno.EINVAL.neg();
        }
        stage1.map(gpa, size, mode);
        return 0;
    }

    /**
     * A guest load of {@code out.length} bytes at {@code gpa} ({@code KVM_RUN} until the guest
     * has them): the bytes loaded, or -EIO (another mm's caller), -EFAULT (no stage-1 mapping, no
     * memslot, a PFN {@code hva_to_pfn} could not resolve).
     */
    public long guestRead(Task caller, long gpa, byte[] out) {
        if (caller.mm() != mm || isDestroyed()) {
            return Errno.EIO.neg();
        }
        return vcpu.access(gpa, out, null, false);
    }

    /**
     * A guest store of {@code data} at {@code gpa}, with its bytes' secret labels ({@code null}
     * for none, as {@code PhysicalMemory} takes them): the bytes stored or -EIO / -EFAULT, as
     * {@link #guestRead}; a write to a read-only PFNMAP entry is -EFAULT too (KVM would emulate it
     * as MMIO).
     */
    public long guestWrite(Task caller, long gpa, byte[] data, int[] labels) {
        if (caller.mm() != mm || isDestroyed()) {
            return Errno.EIO.neg();
        }
        return vcpu.access(gpa, data, labels, true);
    }

    /** The VMM's address behind guest address {@code gpa} ({@code gfn_to_hva}), if a memslot has it. */
    public OptionalLong hvaOf(long gpa) {
        long gfn = gpa >>> PageFrame.PAGE_SHIFT;
        KvmMemorySlot slot = slotOf(gfn);
        return slot == null ? OptionalLong.empty()
                : OptionalLong.of(slot.hvaOf(gfn) + (gpa & (PageFrame.PAGE_SIZE - 1)));
    }

    /**
     * The effective type of the last guest access at {@code gpa}'s page with its parts, e.g.
     * {@code wc (stage 1 wc, EPT wb, guest PAT honoured)}; null if the guest never accessed it.
     */
    public String describeType(long gpa) {
        long gfn = gpa >>> PageFrame.PAGE_SHIFT;
        lastTypesShared.read(gfn, gfn + 1);
        LastType last = lastTypes.get(gfn);
        return last == null ? null : last.attr().describe(last.stage1());
    }

    /** What {@link #describeType} describes: the entry's attributes and the guest's own type. */
    private record LastType(Stage2Attr attr, PageCacheMode stage1) {
    }

    // ---- for the vCPU -----------------------------------------------------------------------

    Kernel kernel() {
        return kernel;
    }

    MmStruct mm() {
        return mm;
    }

    KvmConfig config() {
        return config;
    }

    KvmDesign design() {
        return design;
    }

    Variant variant() {
        return variant;
    }

    GuestStage1 stage1() {
        return stage1;
    }

    Stage2PageTable stage2() {
        return stage2;
    }

    Mutex mmuLock() {
        return mmuLock;
    }

    long mmuInvalidateSeq() {
        return invalidation.seq();
    }

    int mmuInvalidateInProgress() {
        return invalidation.inProgress();
    }

    boolean notifierRegistered() {
        shared.read();
        return notifier != null && mm.mmuNotifiers().contains(notifier);
    }

    KvmMemorySlot slotOf(long gfn) {
        shared.read();
        Map.Entry<Long, KvmMemorySlot> e = memslots.floorEntry(gfn);
        return e != null && e.getValue().containsGfn(gfn) ? e.getValue() : null;
    }

    /** Notes the two stages of a guest access of {@code gfn}; allocates only when they changed. */
    void recordType(long gfn, Stage2Attr attr, PageCacheMode stage1) {
        lastTypesShared.read(gfn, gfn + 1);
        LastType last = lastTypes.get(gfn);
        if (last == null || last.attr() != attr || last.stage1() != stage1) {
            lastTypesShared.write(gfn, gfn + 1);
            lastTypes.put(gfn, new LastType(attr, stage1));
        }
    }

    /**
     * The stage-2 fault's check before it installs, under {@code mmu_lock}: on x86 {@code
     * mmu_invalidate_retry_gfn} ({@code is_page_fault_stale}, arch/x86/kvm/mmu/mmu.c: an
     * invalidation in progress over {@code gfn}, or the seq moved), on arm64 {@code
     * mmu_invalidate_retry} ({@code user_mem_abort}, arch/arm64/kvm/mmu.c: any invalidation in
     * progress, or the seq moved).
     */
    boolean mmuInvalidateRetry(long seq, long gfn) {
        mmuLock.assertHeld();
        return config.arch() == KvmConfig.Arch.ARM64 ? invalidation.retry(seq) : invalidation.retryGfn(seq, gfn);
    }

    /** The memslots in the order {@code kvm_handle_hva_range} meets them (here: by id); not to be changed. */
    List<KvmMemorySlot> memslotsInIdOrder() {
        shared.read();
        return memslotsInIdOrder;
    }

    MmuInvalidation invalidation() {
        return invalidation;
    }

    KvmMmuNotifier notifier() {
        shared.read();
        return notifier;
    }

    /**
     * {@code kvm_flush_shadow_all} ({@code kvm_mmu_notifier_release}, and at the VM's
     * destruction): every stage-2 entry goes, with the page references pfn-walk entries hold.
     */
    void flushShadowAll() {
        mmuLock.lock();
        if (dropSptes(stage2.zapAll())) {
            kernel.sim().costs().count(Cost.TLB_INVALIDATION);
        }
        mmuLock.unlock();
    }

    /** Drops the references zapped entries held; whether there were any entries (a flush is due). */
    static boolean dropSptes(List<Spte> zapped) {
        for (Spte spte : zapped) {
            if (spte.refcountedPage()) {
                spte.ref().frame().put();
            }
        }
        return !zapped.isEmpty();
    }

    // ---- lifetime -----------------------------------------------------------------------------

    /**
     * {@code kvm_destroy_vm}, at the release of the VM's file: the notifier leaves the mm ({@code
     * mmu_notifier_unregister}, which calls its release if the mm's teardown has not, and the
     * release drops the stage-2 table); without a notifier the stage-2 table goes here ({@code
     * kvm_arch_flush_shadow_all}), with the references pfn-walk held; then the VM lets go of the
     * mm ({@code mmdrop}).
     */
    private void destroy() {
        shared.write();
        destroyed = true;
        if (notifier != null) {
            mm.mmuNotifierUnregister(notifier); // its release (now or at the mm's teardown) flushed stage 2
        } else {
            flushShadowAll();
        }
        mm.mmdrop();
    }

    boolean isDestroyed() {
        shared.read();
        return destroyed;
    }

    /** The anonymous inode's file operations ({@code kvm_vm_fops}). */
    private static final class Fops implements FileOperations {

        @Override
        public void release(File file) {
            ofFile(file).destroy();
        }

        @Override
        public String name() {
            return "kvm-vm";
        }
    }

    @Override
    public String toString() {
        shared.read();
        return file == null ? "kvm of " + mm : "kvm-vm " + file.id();
    }
}
