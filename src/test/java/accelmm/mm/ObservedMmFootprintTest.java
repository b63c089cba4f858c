package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static accelmm.mm.MmFixture.mmapAnon;
import static accelmm.mm.MmFixture.mmapSharedAnon;
import static accelmm.mm.MmFixture.readByte;
import static accelmm.mm.MmFixture.writeByte;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.Access;
import accelmm.sim.Actor;
import accelmm.sim.Designs;
import accelmm.sim.Footprint;
import accelmm.sim.ObservingChoices;
import accelmm.sim.Outcome;
import accelmm.sim.SchedulingPoint;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The footprints the mm layer's objects report when the simulation observes them: operations on
 * different objects (other address spaces, other pages, other files) commute; operations on the
 * same object conflict, on the piece of state they really share.
 */
class ObservedMmFootprintTest {

    private static final String OP = "op";
    private static final String DONE = "done";

    /**
     * Runs the actors one after the other (the running one goes on while it can) and collects,
     * per actor, what it touched between its {@link #OP} and {@link #DONE} points, over every
     * stretch in between (an operation that takes a lock has several).
     */
    private static final class OpFootprints extends ObservingChoices {
        final Map<Integer, Footprint> ops = new TreeMap<>();
        private final TreeSet<Integer> inOp = new TreeSet<>();

        @Override
        public int pickActor(SchedulingPoint point) {
            for (int i = 0; i < point.eventCount(); i++) {
                int actor = point.eventActor(i);
                if (inOp.contains(actor)) {
                    ops.merge(actor, point.eventFootprint(i), Footprint::plus);
                }
            }
            Actor running = point.running();
            if (running != null && point.label().equals(OP)) {
                inOp.add(running.id());
                ops.put(running.id(), Footprint.NONE);
            } else if (running != null && point.label().equals(DONE)) {
                inOp.remove(running.id());
            }
            int index = running == null ? -1 : point.indexOf(running);
            return Math.max(index, 0);
        }
    }

    /**
     * A machine whose simulation observes footprints: a setup actor, then two operations, and a
     * bystander that stays runnable so that every point of theirs is a decision (a lone runnable
     * actor runs on without one).
     */
    private static final class Machine {
        final OpFootprints choices = new OpFootprints();
        final Simulation sim = new Simulation(choices);
        final Kernel kernel = new Kernel(sim, Designs.defaults());

        Machine() {
            sim.observeFootprints(true);
        }

        /** What {@code a} and {@code b} touched, run after {@code setup}, in that order. */
        Footprint[] run(Runnable setup, Runnable a, Runnable b) {
            sim.spawn("setup", setup);
            sim.spawn("a", () -> op(a));
            sim.spawn("b", () -> op(b));
            sim.spawn("bystander", () -> sim.preemptionPoint("bystander"));
            Outcome outcome = sim.run();
            if (outcome instanceof Outcome.Failed failed) {
                throw new AssertionError("actor failed", failed.cause());
            }
            assertThat(outcome).isEqualTo(new Outcome.Completed());
            Footprint[] out = {choices.ops.get(1), choices.ops.get(2)};
            assertThat(out).doesNotContainNull();
            assertThat(out[0].known()).as("a's footprint is observed").isTrue();
            assertThat(out[1].known()).as("b's footprint is observed").isTrue();
            assertThat(out[0].accesses()).as("what a touched").isNotEmpty();
            assertThat(out[1].accesses()).as("what b touched").isNotEmpty();
            return out;
        }

        private void op(Runnable body) {
            sim.preemptionPoint(OP);
            body.run();
            sim.preemptionPoint(DONE);
        }
    }

    /** The accesses of {@code a} that conflict with one of {@code b}, as text. */
    private static List<String> conflicts(Footprint[] ab) {
        List<String> out = new ArrayList<>();
        for (Access x : ab[0].accesses()) {
            for (Access y : ab[1].accesses()) {
                if (x.conflictsWith(y)) {
                    out.add(x + " / " + y);
                }
            }
        }
        return out;
    }

    /** The kinds of the pieces on which {@code a} and {@code b} conflict. */
    private static TreeSet<String> conflictKinds(Footprint[] ab) {
        TreeSet<String> kinds = new TreeSet<>();
        for (Access x : ab[0].accesses()) {
            for (Access y : ab[1].accesses()) {
                if (x.conflictsWith(y)) {
                    kinds.add(((Shared.Key) x.resource()).kind());
                }
            }
        }
        return kinds;
    }

    /** A setup: two processes with one private anonymous page each, stored to first if {@code touched}. */
    private static Runnable twoAnonProcesses(Machine m, Task[] tasks, long[] addr, boolean touched) {
        return () -> {
            for (int i = 0; i < 2; i++) {
                tasks[i] = m.kernel.createProcess("p" + i, MmFixture.UID);
                addr[i] = mmapAnon(tasks[i], 1);
                if (touched) {
                    writeByte(tasks[i], addr[i], i + 1);
                }
            }
        };
    }

    // ---- page tables, VMAs, mm ----------------------------------------------------------------

    /**
     * A read fault of untouched private anonymous memory maps the shared zero page ({@code
     * do_anonymous_page}, mm/memory.c, without FAULT_FLAG_WRITE): nothing is allocated, so two
     * processes doing it touch nothing in common but the zero page, which both only read.
     */
    @Test
    void readFault_ofAnonMemoryInTwoMms_commute() {
        Machine m = new Machine();
        long[] addr = new long[2];
        Task[] tasks = new Task[2];
        Footprint[] ab = m.run(twoAnonProcesses(m, tasks, addr, false),
                () -> readByte(tasks[0], addr[0]), () -> readByte(tasks[1], addr[1]));

        assertThat(conflicts(ab)).isEmpty();
    }

    /**
     * Two threads of one process read-faulting different pages hold {@code mmap_lock} for reading
     * (lock_mm_and_find_vma, mm/mmap_lock.c) and fill different PTEs: they commute.
     */
    @Test
    void readFault_ofTwoPagesOfOneMm_commute() {
        Machine m = new Machine();
        long[] addr = new long[1];
        Task[] task = new Task[1];
        Footprint[] ab = m.run(() -> {
            task[0] = m.kernel.createProcess("p", MmFixture.UID);
            addr[0] = mmapAnon(task[0], 2);
        }, () -> readByte(task[0], addr[0]), () -> readByte(task[0], addr[0] + PAGE));

        assertThat(conflicts(ab)).isEmpty();
    }

    /**
     * A fault and a munmap of the same page ({@code __vm_munmap} takes {@code mmap_lock} for
     * writing and zaps the PTE the fault filled) conflict, on the lock and on the VMA tree and PTE.
     */
    @Test
    void fault_andMunmapOfTheSamePage_conflict() {
        Machine m = new Machine();
        long[] addr = new long[1];
        Task[] task = new Task[1];
        Footprint[] ab = m.run(() -> {
            task[0] = m.kernel.createProcess("p", MmFixture.UID);
            addr[0] = mmapAnon(task[0], 1);
        }, () -> readByte(task[0], addr[0]), () -> assertThat(task[0].munmap(addr[0], PAGE)).isZero());

        assertThat(conflictKinds(ab)).contains("vma tree", "page table");
    }

    // ---- frames and the page allocator --------------------------------------------------------

    /**
     * Stores to pages already mapped writable in two processes touch their own frames and PTEs
     * only: they commute.
     */
    @Test
    void store_toMappedPagesOfTwoMms_commute() {
        Machine m = new Machine();
        long[] addr = new long[2];
        Task[] tasks = new Task[2];
        Footprint[] ab = m.run(twoAnonProcesses(m, tasks, addr, true),
                () -> writeByte(tasks[0], addr[0], 3), () -> writeByte(tasks[1], addr[1], 4));

        assertThat(conflicts(ab)).isEmpty();
    }

    /**
     * After fork, parent and child map the same page of a MAP_SHARED anonymous mapping (its
     * shmem page cache, {@code shmem_zero_setup}): the child's load and the parent's store of it
     * conflict on that frame, and on nothing of their address spaces.
     */
    @Test
    void storeAndLoad_ofOneSharedFrameFromTwoMms_conflictOnTheFrame() {
        Machine m = new Machine();
        long[] addr = new long[1];
        Task[] tasks = new Task[2];
        Footprint[] ab = m.run(() -> {
            tasks[0] = m.kernel.createProcess("p", MmFixture.UID);
            addr[0] = mmapSharedAnon(tasks[0], 1);
            writeByte(tasks[0], addr[0], 1);
            tasks[1] = tasks[0].fork("c");
            readByte(tasks[1], addr[0]);
        }, () -> writeByte(tasks[0], addr[0], 2), () -> readByte(tasks[1], addr[0]));

        assertThat(conflictKinds(ab)).containsExactly("physical memory");
    }

    /**
     * First stores to anonymous memory in two processes each allocate a frame
     * ({@code do_anonymous_page}): the allocator's order decides which frame each gets, so they
     * conflict on it, and on nothing else.
     */
    @Test
    void writeFault_inTwoMms_conflictOnlyOnThePageAllocator() {
        Machine m = new Machine();
        long[] addr = new long[2];
        Task[] tasks = new Task[2];
        Footprint[] ab = m.run(twoAnonProcesses(m, tasks, addr, false),
                () -> writeByte(tasks[0], addr[0], 1), () -> writeByte(tasks[1], addr[1], 2));

        assertThat(conflictKinds(ab)).containsExactly("page allocator");
    }

    // ---- pins ---------------------------------------------------------------------------------

    /**
     * Two threads of one process pinning different present pages ({@code pin_user_pages_unlocked},
     * mm/gup.c: {@code mmap_lock} for reading, a pin on each folio, MMF_HAS_PINNED set, which only
     * ever goes from clear to set) commute.
     */
    @Test
    void pin_ofDifferentPagesOfOneMm_commute() {
        Machine m = new Machine();
        long[] addr = new long[1];
        Task[] task = new Task[1];
        Footprint[] ab = m.run(() -> {
            task[0] = m.kernel.createProcess("p", MmFixture.UID);
            addr[0] = mmapAnon(task[0], 2);
            writeByte(task[0], addr[0], 1);
            writeByte(task[0], addr[0] + PAGE, 2);
        }, () -> pin(m, task[0], addr[0]), () -> pin(m, task[0], addr[0] + PAGE));

        assertThat(conflicts(ab)).isEmpty();
    }

    /** A pin of a page and a munmap of it (which drops the PTE's reference on the frame) conflict on the frame. */
    @Test
    void pin_andMunmapOfTheSamePage_conflictOnTheFrame() {
        Machine m = new Machine();
        long[] addr = new long[1];
        Task[] task = new Task[1];
        Footprint[] ab = m.run(() -> {
            task[0] = m.kernel.createProcess("p", MmFixture.UID);
            addr[0] = mmapAnon(task[0], 1);
            writeByte(task[0], addr[0], 1);
        }, () -> pin(m, task[0], addr[0]), () -> assertThat(task[0].munmap(addr[0], PAGE)).isZero());

        assertThat(conflictKinds(ab)).contains("physical memory");
    }

    private static void pin(Machine m, Task task, long addr) {
        PageFrame[] pages = new PageFrame[1];
        assertThat(m.kernel.gup().pinUserPagesUnlocked(task.mm(), addr, 1, true, false, pages)).isEqualTo(1);
    }

    // ---- files, fd tables, processes ----------------------------------------------------------

    /**
     * Closing the last fd of two different files in two processes: each file's last {@code fput}
     * is its own thread's task work ({@code fput}, fs/file_table.c), so they commute.
     */
    @Test
    void close_ofDifferentFilesInTwoProcesses_commute() {
        Machine m = new Machine();
        Task[] tasks = new Task[2];
        int[] fds = new int[2];
        Footprint[] ab = m.run(() -> {
            m.kernel.deferredFput().trackContexts();
            for (int i = 0; i < 2; i++) {
                tasks[i] = m.kernel.createProcess("p" + i, MmFixture.UID);
                fds[i] = tasks[i].installFile(m.kernel.openFile(new TestFiles.CountingFile(), true, true, null),
                        false);
            }
        }, () -> {
            m.kernel.deferredFput().userThreadStarted();
            assertThat(tasks[0].close(fds[0])).isZero();
        }, () -> {
            m.kernel.deferredFput().userThreadStarted();
            assertThat(tasks[1].close(fds[1])).isZero();
        });

        assertThat(conflicts(ab)).isEmpty();
    }

    /**
     * After fork both processes hold the file ({@code dup_fd}); their closes each drop a
     * reference of it, and the last one releases it: they conflict on the file, not on their
     * fd tables.
     */
    @Test
    void close_ofOneFileInParentAndChild_conflictOnTheFile() {
        Machine m = new Machine();
        Task[] tasks = new Task[2];
        int[] fd = new int[1];
        Footprint[] ab = m.run(() -> {
            tasks[0] = m.kernel.createProcess("p", MmFixture.UID);
            fd[0] = tasks[0].installFile(m.kernel.openFile(new TestFiles.CountingFile(), true, true, null), false);
            tasks[1] = tasks[0].fork("c");
        }, () -> assertThat(tasks[0].close(fd[0])).isZero(), () -> assertThat(tasks[1].close(fd[0])).isZero());

        assertThat(conflictKinds(ab)).contains("file").doesNotContain("fd table");
    }

    /**
     * Opening a file hands out the next file id ({@code alloc_file}; the model's serial, shown in
     * reports): two openings in two processes conflict on the kernel's tables, since their order
     * decides which file gets which id.
     */
    @Test
    void openFile_inTwoProcesses_conflictOnTheKernelTables() {
        Machine m = new Machine();
        Footprint[] ab = m.run(() -> { },
                () -> m.kernel.openFile(new TestFiles.CountingFile(), true, true, null),
                () -> m.kernel.openFile(new TestFiles.CountingFile(), true, true, null));

        assertThat(conflictKinds(ab)).containsExactly("kernel tables");
    }

    /**
     * A process's exit walks the process list for its children ({@code forget_original_parent},
     * kernel/exit.c) while another process's close releases a file of its own ({@code __fput}
     * takes it off the open files): the exit reads nothing the release changes, so they commute.
     */
    @Test
    void exit_ofOneProcess_andLastCloseOfAFileInAnother_commute() {
        Machine m = new Machine();
        Task[] tasks = new Task[2];
        int[] fd = new int[1];
        Footprint[] ab = m.run(() -> {
            m.kernel.deferredFput().trackContexts();
            tasks[0] = m.kernel.createProcess("p0", MmFixture.UID);
            tasks[1] = m.kernel.createProcess("p1", MmFixture.UID);
            fd[0] = tasks[1].installFile(m.kernel.openFile(new TestFiles.CountingFile(), true, true, null), false);
        }, () -> {
            m.kernel.deferredFput().userThreadStarted();
            tasks[0].exit();
        }, () -> {
            m.kernel.deferredFput().userThreadStarted();
            assertThat(tasks[1].close(fd[0])).isZero();
        });

        assertThat(conflicts(ab)).isEmpty();
    }

    /**
     * Two unrelated processes exiting: each clears its own {@code mm} and reads the other's parent
     * link, which neither exit changes ({@code exit_notify} reparents only the exiting process's
     * children): they commute.
     */
    @Test
    void exit_ofTwoUnrelatedProcesses_commute() {
        Machine m = new Machine();
        Task[] tasks = new Task[2];
        Footprint[] ab = m.run(() -> {
            tasks[0] = m.kernel.createProcess("p0", MmFixture.UID);
            tasks[1] = m.kernel.createProcess("p1", MmFixture.UID);
        }, () -> tasks[0].exit(), () -> tasks[1].exit());

        assertThat(conflicts(ab)).isEmpty();
    }

    /**
     * A parent's exit hands its child to init ({@code forget_original_parent} rewrites the
     * child's {@code real_parent}): it conflicts with a read of the child's parent (a ptrace
     * ancestry check), on the child's process state.
     */
    @Test
    void exit_ofAParent_andReadOfItsChildsParent_conflictOnTheProcess() {
        Machine m = new Machine();
        Task[] tasks = new Task[2];
        Footprint[] ab = m.run(() -> {
            tasks[0] = m.kernel.createProcess("p", MmFixture.UID);
            tasks[1] = tasks[0].fork("c");
        }, () -> tasks[0].exit(), () -> tasks[1].realParent());

        assertThat(conflictKinds(ab)).containsExactly("process");
    }

    // ---- interval notifiers -------------------------------------------------------------------

    /**
     * A driver's {@code mmu_interval_read_retry} and a munmap of the subscribed range, whose
     * invalidation sets the subscription's sequence ({@code mmu_interval_set_seq} from the
     * callback), conflict on the subscription.
     */
    @Test
    void readRetry_andMunmapOfTheSubscribedRange_conflictOnTheSubscription() {
        Machine m = new Machine();
        long[] addr = new long[1];
        long[] seq = new long[1];
        Task[] task = new Task[1];
        MmuIntervalNotifier[] sub = new MmuIntervalNotifier[1];
        Footprint[] ab = m.run(() -> {
            task[0] = m.kernel.createProcess("p", MmFixture.UID);
            addr[0] = mmapAnon(task[0], 1);
            sub[0] = task[0].mm().insertIntervalNotifier(addr[0], PAGE, (s, range, cur) -> {
                s.setSeq(cur);
                return true;
            }, "mirror");
            seq[0] = sub[0].readBegin();
        }, () -> sub[0].readRetry(seq[0]), () -> assertThat(task[0].munmap(addr[0], PAGE)).isZero());

        assertThat(conflictKinds(ab)).containsExactly("mmu interval notifier");
    }

    /** {@code mmu_interval_read_begin} on subscriptions of two mms (nothing invalidating) commute. */
    @Test
    void readBegin_onSubscriptionsOfTwoMms_commute() {
        Machine m = new Machine();
        MmuIntervalNotifier[] subs = new MmuIntervalNotifier[2];
        Footprint[] ab = m.run(() -> {
            for (int i = 0; i < 2; i++) {
                Task t = m.kernel.createProcess("p" + i, MmFixture.UID);
                long addr = mmapAnon(t, 1);
                subs[i] = t.mm().insertIntervalNotifier(addr, PAGE, (s, range, cur) -> true, "mirror " + i);
            }
        }, () -> subs[0].readBegin(), () -> subs[1].readBegin());

        assertThat(conflicts(ab)).isEmpty();
    }
}
