package accelmm.bench;

import accelmm.mm.Kernel;
import accelmm.mm.PageFrame;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Throughput of CPU accesses through the host memory model, in pages per second. Everything
 * runs in the simulation's direct mode (no {@code run()}): with one thread nothing blocks, so
 * {@code mmap_lock} is taken and released without scheduling, and the figures are the model's
 * own cost.
 *
 * <ul>
 *   <li>{@link #firstTouchWriteFault}: one-byte stores to fresh anonymous memory, one per page;
 *       each takes a missing-page fault that allocates and maps a frame. An invocation maps
 *       {@value #PAGES} pages, touches each, and unmaps them (the mmap and munmap are counted
 *       in, spread over the pages).
 *   <li>{@link #cowBreakFault}: one-byte stores by the parent after fork to pages the child still
 *       shares, one per page; each takes a write-protect fault that copies the page. The fork
 *       is made in a per-invocation setup and the teardown (exit of both) is not timed.
 *   <li>{@link #mappedStore}: one-byte stores to pages already mapped writable: no fault, the
 *       PTE lookup and the reported store only.
 * </ul>
 *
 * Run: {@code bin/bench CpuFaultBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CpuFaultBenchmark {

    static final int PAGES = 64;
    /** Pages COW-broken per invocation: many, so the per-invocation setup's timer cost is small. */
    static final int COW_PAGES = 512;
    static final int PAGE = PageFrame.PAGE_SIZE;
    private static final byte[] ONE = {1};

    static Kernel newKernel() {
        return new Kernel(new Simulation(new RandomChoiceSource(1), false, Long.MAX_VALUE), Designs.defaults());
    }

    static long mmapAnon(Task task, int pages) {
        long addr = task.mmap(0, (long) pages * PAGE, Prot.READ_WRITE, false, false, -1, 0);
        if (addr < 0) {
            throw new IllegalStateException("mmap failed: " + addr);
        }
        return addr;
    }

    static void store(Task task, long addr) {
        if (task.write(addr, ONE, null) != 0) {
            throw new IllegalStateException("store at 0x" + Long.toHexString(addr) + " failed");
        }
    }

    /** One process with an empty address space, reused by every invocation. */
    @State(Scope.Thread)
    public static class Fresh {
        Kernel kernel;
        Task task;

        @Setup(Level.Trial)
        public void setUp() {
            kernel = newKernel();
            task = kernel.createProcess("bench", 1000);
        }
    }

    /** One process with {@value #PAGES} pages mapped and already written. */
    @State(Scope.Thread)
    public static class Mapped {
        Task task;
        long addr;

        @Setup(Level.Trial)
        public void setUp() {
            task = newKernel().createProcess("bench", 1000);
            addr = mmapAnon(task, PAGES);
            for (int i = 0; i < PAGES; i++) {
                store(task, addr + (long) i * PAGE);
            }
        }
    }

    /** A parent that wrote {@value #COW_PAGES} pages and just forked; a new kernel each time. */
    @State(Scope.Thread)
    public static class Forked {
        Task parent;
        Task child;
        long addr;

        @Setup(Level.Invocation)
        public void setUp() {
            parent = newKernel().createProcess("parent", 1000);
            addr = mmapAnon(parent, COW_PAGES);
            for (int i = 0; i < COW_PAGES; i++) {
                store(parent, addr + (long) i * PAGE);
            }
            child = parent.fork("child");
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            child.exit();
            parent.exit();
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long firstTouchWriteFault(Fresh s) {
        long addr = mmapAnon(s.task, PAGES);
        for (int i = 0; i < PAGES; i++) {
            store(s.task, addr + (long) i * PAGE);
        }
        long allocated = s.kernel.physicalMemory().allocatedCount();
        if (s.task.munmap(addr, (long) PAGES * PAGE) != 0 || allocated != PAGES) {
            throw new IllegalStateException("expected " + PAGES + " frames, had " + allocated);
        }
        return allocated;
    }

    @Benchmark
    @OperationsPerInvocation(COW_PAGES)
    public long cowBreakFault(Forked s) {
        for (int i = 0; i < COW_PAGES; i++) {
            store(s.parent, s.addr + (long) i * PAGE);
        }
        return s.parent.kernel().physicalMemory().allocatedCount();
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long mappedStore(Mapped s) {
        for (int i = 0; i < PAGES; i++) {
            store(s.task, s.addr + (long) i * PAGE);
        }
        return s.addr;
    }
}
