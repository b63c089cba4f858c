package accelmm.mm;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.Actor;
import accelmm.sim.ChoiceSource;
import accelmm.sim.Completion;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.Simulation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Shared fixture of the interval-notifier and HMM tests: one simulation (scripted choices by
 * default) with one kernel, an event log that actors append to, and helpers to map and fill
 * memory and to run the actors, rethrowing an actor's assertion failure.
 *
 * <p>Model code that may block runs inside actors; the helpers that only set up memory
 * ({@link #mmapAnon}, {@link #fill}) may also run before the run, in direct mode.
 */
final class NotifierHarness {

    static final long PAGE = PageFrame.PAGE_SIZE;

    final NotifierHarnessChoices choices;
    final Simulation sim;
    final Kernel kernel;
    /** What the actors did, in order; safe because exactly one actor runs at a time. */
    final List<String> events = new ArrayList<>();

    /** Scripted choices with an empty script: the running actor keeps the CPU, else the lowest id runs. */
    NotifierHarness() {
        this(new NotifierHarnessChoices());
    }

    NotifierHarness(NotifierHarnessChoices choices) {
        this.choices = choices;
        this.sim = new Simulation(choices);
        choices.attach(sim);
        this.kernel = new Kernel(sim, Designs.defaults());
    }

    /** A fixture driven by another choice source (e.g. a seeded random walk). */
    NotifierHarness(ChoiceSource source) {
        this.choices = null;
        this.sim = new Simulation(source);
        this.kernel = new Kernel(sim, Designs.defaults());
    }

    Task process(String name) {
        return kernel.createProcess(name, 1000);
    }

    Actor spawn(String name, Runnable body) {
        return sim.spawn(name, body);
    }

    void log(String event) {
        events.add(event);
    }

    /** Runs every actor; fails with the actor's own exception if one failed. */
    void run() {
        assertCompleted(sim.run());
    }

    /** A one-shot gate: {@code completeAll} opens it for every waiter. */
    Completion gate(String name) {
        return new Completion(sim, name);
    }

    static void assertCompleted(Outcome outcome) {
        if (outcome instanceof Outcome.Failed failed) {
            if (failed.cause() instanceof AssertionError e) {
                throw e;
            }
            throw new AssertionError("actor " + failed.actor() + " failed at step " + failed.step(), failed.cause());
        }
        assertThat(outcome).isEqualTo(new Outcome.Completed());
    }

    // ---- memory ------------------------------------------------------------------------------

    /** A private anonymous mapping of {@code pages} pages; fails if mmap does. */
    static long mmapAnon(Task task, int pages, Prot prot) {
        long addr = task.mmap(0, pages * PAGE, prot, false, false, -1, 0);
        assertThat(addr).as("mmap").isPositive();
        return addr;
    }

    /** Writes {@code base + i} as the first int of page {@code i}, for each page. */
    static void fill(Task task, long addr, int pages, int base) {
        for (int i = 0; i < pages; i++) {
            assertThat(task.write(addr + i * PAGE, intBytes(base + i), null)).as("cpu store").isZero();
        }
    }

    /** The first int of the page at {@code addr}, as the CPU of {@code task} reads it. */
    static int readInt(Task task, long addr) {
        byte[] out = new byte[4];
        assertThat(task.read(addr, out)).as("cpu load").isZero();
        return ByteBuffer.wrap(out).getInt();
    }

    /** The first int of a frame, read by a device through an HMM pfn. */
    int deviceReadInt(HmmPfn pfn) {
        byte[] out = kernel.physicalMemory().read(new Principal("device"), MemoryAccess.Via.DEVICE, pfn.ref(), 0, 4,
                "device");
        return ByteBuffer.wrap(out).getInt();
    }

    /** Stores {@code value} as the first int of a frame, as a device does through an HMM pfn. */
    void deviceWriteInt(HmmPfn pfn, int value) {
        kernel.physicalMemory().write(new Principal("device"), MemoryAccess.Via.DEVICE, pfn.ref(), 0,
                intBytes(value), 0, 4, null, "device");
    }

    static byte[] intBytes(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    // ---- notifier callbacks ------------------------------------------------------------------

    /** One call of an invalidate callback, with what the test wants to know about that moment. */
    record Invalidation(String subscription, MmuNotifierEvent event, long start, long end, long curSeq,
            long mmSeq, long allocatedFrames) {
    }

    /**
     * Callback ops that record every call and, like a well-behaved driver, call {@code setSeq}
     * first; then run {@code during} (e.g. block on a gate, which keeps the invalidation open).
     */
    static final class Recorder implements MmuIntervalNotifierOps {
        private final Kernel kernel;
        final List<Invalidation> calls = new ArrayList<>();
        private final boolean setSeq;
        private Consumer<Invalidation> during = call -> { };

        Recorder(Kernel kernel) {
            this(kernel, true);
        }

        Recorder(Kernel kernel, boolean setSeq) {
            this.kernel = kernel;
            this.setSeq = setSeq;
        }

        /** Runs {@code action} inside every later callback, after {@code setSeq}. */
        Recorder during(Consumer<Invalidation> action) {
            this.during = action;
            return this;
        }

        @Override
        public boolean invalidate(MmuIntervalNotifier sub, MmuNotifierRange range, long curSeq) {
            Invalidation call = new Invalidation(sub.toString(), range.event(), range.start(), range.end(), curSeq,
                    sub.mm().notifierSubscriptions().invalidateSeq(), kernel.physicalMemory().allocatedCount());
            calls.add(call);
            if (setSeq) {
                sub.setSeq(curSeq);
            }
            during.accept(call);
            return true;
        }

        List<MmuNotifierEvent> events() {
            return calls.stream().map(Invalidation::event).toList();
        }
    }
}
