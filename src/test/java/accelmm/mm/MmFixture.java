package accelmm.mm;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;

/**
 * One simulated machine for an mm test: a {@link Simulation} and a {@link Kernel} with the
 * chosen fork design, plus helpers for the calls tests make over and over.
 *
 * <p>Model code may block (mmap_lock), so tests run their body as the single actor of the
 * simulation with {@link #run}; a failed assertion inside it is rethrown as it is, so the test
 * report shows the real message. The helpers that act on a task assert the call succeeded, and
 * are only for the setup steps a test is not about; the call under test is made directly and
 * its return value asserted.
 */
final class MmFixture {

    static final int PAGE = PageFrame.PAGE_SIZE;
    static final int UID = 1000;

    final Simulation sim;
    final Kernel kernel;

    MmFixture() {
        this(ForkDesign.MODERN);
    }

    MmFixture(ForkDesign fork) {
        sim = new Simulation(new RandomChoiceSource(1));
        kernel = new Kernel(sim, Designs.of(fork));
    }

    Task process(String name) {
        return kernel.createProcess(name, UID);
    }

    /** Runs {@code body} as the one actor of the simulation; rethrows whatever made it fail. */
    void run(Runnable body) {
        sim.spawn("test", body);
        Outcome outcome = sim.run();
        if (outcome instanceof Outcome.Failed failed) {
            Throwable cause = failed.cause();
            if (cause instanceof Error e) {
                throw e;
            }
            if (cause instanceof RuntimeException e) {
                throw e;
            }
            throw new AssertionError("actor failed", cause);
        }
        assertThat(outcome).isEqualTo(new Outcome.Completed());
    }

    PhysicalMemory memory() {
        return kernel.physicalMemory();
    }

    /** Frames allocated and not freed (zero page excluded). */
    long allocated() {
        return kernel.physicalMemory().allocatedCount();
    }

    // ---- address-space setup ---------------------------------------------------------------

    /** A private anonymous read/write mapping of {@code pages} pages. */
    static long mmapAnon(Task task, int pages) {
        long addr = task.mmap(0, (long) pages * PAGE, Prot.READ_WRITE, false, false, -1, 0);
        assertThat(addr).as("mmap of %d anon pages", pages).isPositive();
        return addr;
    }

    /** A MAP_SHARED | MAP_ANONYMOUS read/write mapping of {@code pages} pages. */
    static long mmapSharedAnon(Task task, int pages) {
        long addr = task.mmap(0, (long) pages * PAGE, Prot.READ_WRITE, true, false, -1, 0);
        assertThat(addr).as("mmap of %d shared anon pages", pages).isPositive();
        return addr;
    }

    /** A read/write mapping of {@code fd}, shared or private, at byte offset {@code offset}. */
    static long mmapFile(Task task, int fd, int pages, boolean shared, long offset) {
        long addr = task.mmap(0, (long) pages * PAGE, Prot.READ_WRITE, shared, false, fd, offset);
        assertThat(addr).as("mmap of fd %d", fd).isPositive();
        return addr;
    }

    /** Opens a shmem file (a memfd) of the kernel and installs it in {@code task}'s fd table. */
    int openMemfd(Task task) {
        return openDevice(task, new Shmem(kernel, "memfd"));
    }

    /** Opens a device file whose {@code private_data} is its owner, read/write, and installs it in {@code task}. */
    int openDevice(Task task, FileOperations device) {
        int fd = task.files().install(kernel.openFile(device, true, true, device), false);
        assertThat(fd).isNotNegative();
        return fd;
    }

    // ---- CPU and device accesses -----------------------------------------------------------

    static void writeByte(Task task, long addr, int value) {
        assertThat(task.write(addr, new byte[] {(byte) value}, null)).as("store at 0x%x", addr).isZero();
    }

    static int readByte(Task task, long addr) {
        byte[] b = new byte[1];
        assertThat(task.read(addr, b)).as("load at 0x%x", addr).isZero();
        return b[0] & 0xff;
    }

    /** The return value of a one-byte store (0 or a negative errno). */
    static int tryWrite(Task task, long addr, int value) {
        return task.write(addr, new byte[] {(byte) value}, null);
    }

    /** The return value of a one-byte load (0 or a negative errno). */
    static int tryRead(Task task, long addr) {
        return task.read(addr, new byte[1]);
    }

    /** A device store of one byte into {@code frame} (DMA), as a device holding a pin makes it. */
    void dmaWrite(PageFrame frame, int offset, int value) {
        kernel.physicalMemory().write(new Principal("device"), MemoryAccess.Via.DEVICE,
                PhysicalMemory.FrameRef.of(frame), offset, new byte[] {(byte) value}, 0, 1, null, "dma");
    }

    /** A device load of one byte from {@code frame}. */
    int dmaRead(PageFrame frame, int offset) {
        return kernel.physicalMemory().read(new Principal("device"), MemoryAccess.Via.DEVICE,
                PhysicalMemory.FrameRef.of(frame), offset, 1, "dma")[0] & 0xff;
    }

    // ---- page tables and pins --------------------------------------------------------------

    static Pte pte(Task task, long addr) {
        return task.mm().pageTable().lookup(addr);
    }

    /** The frame a present PTE maps at {@code addr}; fails if there is none. */
    static PageFrame frameAt(Task task, long addr) {
        Pte pte = pte(task, addr);
        assertThat(pte).as("pte at 0x%x", addr).isNotNull();
        assertThat(pte.isPresent()).as("pte at 0x%x present", addr).isTrue();
        return pte.frame();
    }

    /** Pins {@code pages} pages at {@code addr} and asserts they all were. */
    PageFrame[] pin(Task task, long addr, int pages, boolean write, boolean longterm) {
        PageFrame[] out = new PageFrame[pages];
        long ret = kernel.gup().pinUserPagesUnlocked(task.mm(), addr, pages, write, longterm, out);
        assertThat(ret).as("pin_user_pages of %d pages", pages).isEqualTo(pages);
        return out;
    }

    /** The return value of {@code pin_user_pages_unlocked}. */
    long tryPin(Task task, long addr, int pages, boolean write, boolean longterm) {
        return kernel.gup().pinUserPagesUnlocked(task.mm(), addr, pages, write, longterm, new PageFrame[pages]);
    }
}
