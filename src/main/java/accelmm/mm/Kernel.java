package accelmm.mm;

import accelmm.sim.Cost;
import accelmm.sim.Designs;
import accelmm.sim.Mutex;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host kernel of one simulated machine: physical memory, processes, open files and the mm
 * operations, wired to one {@link Simulation} and one choice of {@link Designs}. Upper layers
 * (DRM devices, dma-buf, accelerators) are built on a kernel instance.
 *
 * <p>Every object has a serial number allocated here in creation order, so reports never
 * depend on identity hashes. The lists of processes, address spaces and open files and the
 * serial counters are shared state ({@code tables}), one entry per list or counter: creating a
 * process, an mm, a file or a swap slot writes its list's entry, since the order of creations
 * decides the serials. The open files are one more entry each, from {@code OPEN_FILES} on: a
 * file's release removes only its own, so releases of different files commute with each other,
 * with the openings of other files and with reads of the other lists (a process's exit walks
 * the process list while another process's last {@code fput} releases a file).
 */
public final class Kernel {

    /** The entries of {@code tables}: each list and counter, then one per open file by id. */
    private static final long TASKS = 0;
    private static final long MMS = 1;
    private static final long SWAP_SLOTS = 2;
    private static final long RESERVATIONS = 3;
    private static final long FILE_IDS = 4;
    private static final long OPEN_FILES = 5;

    private final Simulation sim;
    private final Designs designs;
    private final PhysicalMemory physicalMemory;
    private final MemoryOps memoryOps = new MemoryOps(this);
    private final Mmap mmapOps = new Mmap(this);
    private final Fork forkOps = new Fork(this);
    private final Gup gup = new Gup(this);
    private final Hmm hmm = new Hmm(this);
    private final Migrate migrate = new Migrate(this);
    private final Uaccess uaccess = new Uaccess(this);
    private final RemoteVm remoteVm = new RemoteVm(this);
    private final Mutex mmAllLocksMutex;
    private final DeferredFput deferredFput;
    private final Shared tables;
    private final List<Task> tasks = new ArrayList<>();
    private final List<MmStruct> mms = new ArrayList<>();
    private final Map<Integer, File> openFiles = new LinkedHashMap<>();
    private int nextMmId = 1;
    private int nextFileId = 1;
    private int nextSwapSlot = 1;
    private int nextReservationSerial = 1;

    public Kernel(Simulation sim, Designs designs) {
        this.sim = sim;
        this.designs = designs;
        this.physicalMemory = new PhysicalMemory(sim.costs(), sim.shared("physical memory"),
                sim.shared("page allocator"));
        this.mmAllLocksMutex = new Mutex(sim, "mm_all_locks_mutex", MmAllLocks.MUTEX);
        this.deferredFput = new DeferredFput(sim);
        this.tables = sim.shared("kernel tables");
    }

    public Simulation sim() {
        return sim;
    }

    /**
     * The next serial number for a reservation object of an upper layer ({@code dma_resv}): one
     * counter for the whole machine, so that locks of every device's objects have one order.
     */
    public int nextReservationSerial() {
        tables.write(RESERVATIONS, RESERVATIONS + 1);
        return nextReservationSerial++;
    }

    public Designs designs() {
        return designs;
    }

    public PhysicalMemory physicalMemory() {
        return physicalMemory;
    }

    public MemoryOps memoryOps() {
        return memoryOps;
    }

    public Mmap mmapOps() {
        return mmapOps;
    }

    Fork forkOps() {
        return forkOps;
    }

    public Gup gup() {
        return gup;
    }

    public Hmm hmm() {
        return hmm;
    }

    public Migrate migrate() {
        return migrate;
    }

    public Uaccess uaccess() {
        return uaccess;
    }

    /** {@code access_remote_vm}: a debugger's access to another process's memory. */
    public RemoteVm remoteVm() {
        return remoteVm;
    }

    /** Where the release of a file's last reference runs: task work or {@code delayed_fput}. */
    public DeferredFput deferredFput() {
        return deferredFput;
    }

    /** {@code mm_all_locks_mutex}: one {@code mm_take_all_locks} at a time (see {@link MmAllLocks}). */
    Mutex mmAllLocksMutex() {
        return mmAllLocksMutex;
    }

    /** A new process with an empty address space and no open files, as if started by init. */
    public Task createProcess(String name, int uid) {
        return newTask(name, uid, newMm(name), new FdTable(sim.shared("fd table")));
    }

    Task newTask(String name, int uid, MmStruct mm, FdTable files) {
        tables.write(TASKS, TASKS + 1);
        Task task = new Task(this, tasks.size() + 1, name, uid, mm, files);
        tasks.add(task);
        return task;
    }

    MmStruct newMm(String ownerName) {
        tables.write(MMS, MMS + 1);
        MmStruct mm = new MmStruct(this, nextMmId++, ownerName);
        mms.add(mm);
        return mm;
    }

    /** Every process created, in pid order. */
    public List<Task> tasks() {
        tables.read(TASKS, TASKS + 1);
        return Collections.unmodifiableList(tasks);
    }

    /** Every address space created, in creation order (torn-down ones included). */
    public List<MmStruct> mms() {
        tables.read(MMS, MMS + 1);
        return Collections.unmodifiableList(mms);
    }

    /**
     * Opens a new file ({@code alloc_file}) with one reference, owned by the caller: install it in
     * an {@link FdTable} or drop it with {@link File#put()}.
     */
    public File openFile(FileOperations ops, boolean readable, boolean writable, Object privateData) {
        tables.write(FILE_IDS, FILE_IDS + 1);
        File file = new File(this, nextFileId++, ops, readable, writable, privateData);
        tables.write(OPEN_FILES + file.id(), OPEN_FILES + file.id() + 1);
        openFiles.put(file.id(), file);
        return file;
    }

    void fileReleased(File file) {
        // Only this file's entry: its removal commutes with the removal and opening of other files.
        tables.write(OPEN_FILES + file.id(), OPEN_FILES + file.id() + 1);
        openFiles.remove(file.id());
    }

    /** Files not yet released, in opening order (for leak reports). */
    public List<File> openFiles() {
        tables.read(OPEN_FILES, Long.MAX_VALUE);
        return new ArrayList<>(openFiles.values());
    }

    SwapSlot newSwapSlot(byte[] data, int[] labels) {
        tables.write(SWAP_SLOTS, SWAP_SLOTS + 1);
        sim.costs().count(Cost.PAGE_COPIED);
        return new SwapSlot(nextSwapSlot++, data, labels, sim.shared("swap slot"));
    }

    /**
     * Adds the host's side of who holds whom to {@code graph}: each live process with its mm
     * and its file descriptors; each mm with the files its mappings hold ({@code vm_file}) and
     * the frames its page tables map; each open file with its references and what its {@code
     * private_data} points at (named by the layer that owns it). Only reads the model.
     */
    public void addTo(accelmm.sim.ObjectGraph graph) {
        for (Task t : tasks()) {
            if (t.exited()) {
                continue;
            }
            graph.node(t, "process", t.toString(), "pid " + t.pid());
            MmStruct mm = t.mm();
            if (mm != null && !mm.isTornDown()) {
                if (!graph.has(mm)) {
                    addTo(graph, mm);
                }
                graph.edge(t, mm, "mm");
            }
            for (int fd : t.files().openFds()) {
                File f = t.files().lookup(fd);
                if (f != null) {
                    addTo(graph, f);
                    graph.edge(t, f, "fd " + fd);
                }
            }
        }
        for (File f : openFiles()) {
            addTo(graph, f);
            if (f.privateData() != null) {
                graph.edge(f, f.privateData(), "private_data");
            }
        }
    }

    private static void addTo(accelmm.sim.ObjectGraph graph, File f) {
        int refs = f.refCount();
        graph.node(f, "file", f.toString(), refs + (refs == 1 ? " reference" : " references"));
    }

    private static void addTo(accelmm.sim.ObjectGraph graph, MmStruct mm) {
        graph.node(mm, "mm", mm.toString(), "mm_users " + mm.users());
        for (Vma vma : mm.vmas()) {
            String range = "0x" + Long.toHexString(vma.start()) + "-0x" + Long.toHexString(vma.end());
            if (vma.file() != null) {
                addTo(graph, vma.file());
                graph.edge(mm, vma.file(), "vma " + range);
            }
            for (long address : mm.pageTable().addressesIn(vma.start(), vma.end())) {
                Pte pte = mm.pageTable().lookup(address);
                if (pte != null && pte.isPresent() && !pte.frame().isZeroPage()) {
                    pte.ref().addTo(graph, mm, "pte", address);
                }
            }
        }
    }
}
