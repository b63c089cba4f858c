package accelmm.rdma;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Kernel;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageFrame;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated machine with one RDMA NIC ({@code nic0}) for an rdma test. A test body runs as
 * an actor of the simulation with {@link #run}. Every NIC access is recorded.
 */
final class RdmaFixture {

    static final int PAGE = PageFrame.PAGE_SIZE;

    final Simulation sim;
    final Kernel kernel;
    final IbDevice nic;
    final List<MemoryAccess> nicAccesses = new ArrayList<>();
    /** NIC accesses through a reference to a frame freed (maybe reused) since: judged when made. */
    final List<MemoryAccess> staleNicAccesses = new ArrayList<>();

    RdmaFixture() {
        this(Designs.of());
    }

    RdmaFixture(Designs designs) {
        this(new Simulation(new RandomChoiceSource(1), true, 200_000), designs);
    }

    /** A machine in {@code sim}, for a test that drives the simulation itself. */
    RdmaFixture(Simulation sim, Designs designs) {
        this.sim = sim;
        kernel = new Kernel(sim, designs);
        nic = new IbDevice(kernel, "nic0", true);
        kernel.physicalMemory().addObserver((access, labels) -> {
            if (access.via() == MemoryAccess.Via.NIC) {
                nicAccesses.add(access);
                if (access.staleReference()) {
                    staleNicAccesses.add(access);
                }
            }
        });
    }

    Task process(String name) {
        return kernel.createProcess(name, 1000);
    }

    /** Runs {@code body} as the one user actor; rethrows whatever made it fail. */
    void run(Runnable body) {
        sim.spawn("test", body);
        Outcome outcome = sim.run();
        if (outcome instanceof Outcome.Failed failed) {
            if (failed.cause() instanceof RuntimeException e) {
                throw e;
            }
            if (failed.cause() instanceof Error e) {
                throw e;
            }
            throw new AssertionError("actor failed", failed.cause());
        }
        assertThat(outcome).isEqualTo(new Outcome.Completed());
    }

    /** Opens nic0 in {@code task}; returns the fd. */
    int open(Task task) {
        int fd = nic.open(task, false);
        assertThat(fd).as("open nic0").isNotNegative();
        return fd;
    }

    /** Opens nic0 in {@code task}; returns the uverbs file behind the new fd. */
    IbUverbsFile openFile(Task task) {
        return file(task, open(task));
    }

    static IbUverbsFile file(Task task, int fd) {
        IbUverbsFile f = IbUverbsFile.ofFile(task.files().lookup(fd));
        assertThat(f).as("uverbs file at fd %d", fd).isNotNull();
        return f;
    }

    static long mmapAnon(Task task, int pages) {
        long addr = task.mmap(0, (long) pages * PAGE, Prot.READ_WRITE, false, false, -1, 0);
        assertThat(addr).as("mmap").isPositive();
        return addr;
    }

    static void write(Task task, long addr, String text) {
        assertThat(task.write(addr, bytes(text), null)).as("store at 0x%x", addr).isZero();
    }

    static String read(Task task, long addr, int length) {
        byte[] out = new byte[length];
        assertThat(task.read(addr, out)).as("load at 0x%x", addr).isZero();
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** After every process exited: no frame allocated, no file open, no region left. */
    void assertNothingLeft() {
        assertThat(nic.liveObjects()).as("live regions").isEmpty();
        assertThat(kernel.openFiles()).as("open files").isEmpty();
        assertThat(kernel.physicalMemory().allocatedCount()).as("allocated frames").isZero();
    }
}
