package accelmm.mm;

import static accelmm.mm.NotifierHarness.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.NotifierHarness.Recorder;
import accelmm.mm.NotifierHarnessMirror.FaultResult;
import accelmm.sim.RandomChoiceSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The canonical {@code hmm_range_fault} retry loop of a driver (KERNEL-SEMANTICS 13.1, lib/test_hmm.c
 * {@code dmirror_range_fault}), written once in {@link NotifierHarnessMirror#fault}: -EBUSY when
 * the walk's own faults or another thread invalidate the range, a collision caught by
 * {@code read_retry} under the driver lock, and convergence with pfns that are still what the
 * CPU maps.
 */
class HmmRetryLoopTest {

    // ---- COW after fork (HMM-06) -------------------------------------------------------------

    /** Parent fills two pages with 1, 2; forks; the child mirrors its own mm and write-faults. */
    private static final class ForkedChild {
        final NotifierHarness h = new NotifierHarness();
        final Task parent = h.process("A");
        final long addr = NotifierHarness.mmapAnon(parent, 2, Prot.READ_WRITE);
        final Recorder parentOps = new Recorder(h.kernel);
        Task child;
        NotifierHarnessMirror mirror;
        FaultResult result;

        ForkedChild() {
            NotifierHarness.fill(parent, addr, 2, 1);
            parent.mm().insertIntervalNotifier(addr, 2 * PAGE, parentOps, "A.mirror");
        }

        /** Forks and runs the child's device write fault; {@code then} runs in the child afterwards. */
        void run(Runnable then) {
            h.spawn("B.main", () -> {
                child = parent.fork("B");
                mirror = new NotifierHarnessMirror(h.kernel, child.mm(), addr, 2 * PAGE, "B.mirror");
                result = mirror.fault(addr, addr + 2 * PAGE, true, 10);
                then.run();
            });
            h.run();
        }
    }

    @Test
    void fault_writeOnCowSharedPages_firstAttemptEbusySecondConverges_HMM06() {
        // The COW breaks invalidate the child's own subscription. hmm_vma_fault breaks every COW
        // of the page-table block before it restarts, so one -EBUSY covers both pages.
        ForkedChild f = new ForkedChild();

        f.run(() -> { });

        assertThat(f.result.ret()).isZero();
        assertThat(f.result.ebusy()).isEqualTo(1);
        assertThat(f.result.attempts()).isEqualTo(2);
        assertThat(f.mirror.invalidations).extracting(MmuNotifierRange::event)
                .containsExactly(MmuNotifierEvent.CLEAR, MmuNotifierEvent.CLEAR);
    }

    @Test
    void fault_writeOnCowSharedPagesInTwoPageTableBlocks_oneEbusyPerBlock() {
        // A fault covers the rest of one PMD (2 MiB) at most: pages 511 and 512 of a 2 MiB-aligned
        // mapping lie in two blocks, so each needs its own round.
        NotifierHarness h = new NotifierHarness();
        Task parent = h.process("A");
        long addr = NotifierHarness.mmapAnon(parent, 513, Prot.READ_WRITE);
        assertThat(addr % (1L << 21)).as("mapping is 2 MiB aligned").isZero();
        long first = addr + 511 * PAGE;
        NotifierHarness.fill(parent, first, 2, 1);
        FaultResult[] result = new FaultResult[1];
        h.spawn("B.main", () -> {
            Task child = parent.fork("B");
            NotifierHarnessMirror mirror = new NotifierHarnessMirror(h.kernel, child.mm(), first, 2 * PAGE, "B.mirror");
            result[0] = mirror.fault(first, first + 2 * PAGE, true, 10);
        });

        h.run();

        assertThat(result[0].ret()).isZero();
        assertThat(result[0].ebusy()).isEqualTo(2);
    }

    @Test
    void fault_writeOnCowSharedPages_returnsWritableExclusiveFramesOfTheChild_HMM06() {
        ForkedChild f = new ForkedChild();

        f.run(() -> { });

        for (int i = 0; i < 2; i++) {
            HmmPfn pfn = f.result.range().pfn(i);
            long va = f.addr + i * PAGE;
            assertThat(pfn.writable()).isTrue();
            assertThat(pfn.frame().isAnonExclusive()).isTrue();
            assertThat(pfn.frame().mapCount()).isEqualTo(1);
            assertThat(pfn.frame()).isSameAs(f.child.mm().pageTable().lookup(va).frame());
            assertThat(pfn.frame()).isNotSameAs(f.parent.mm().pageTable().lookup(va).frame());
            assertThat(f.h.deviceReadInt(pfn)).as("contents copied from the shared page").isEqualTo(1 + i);
        }
    }

    @Test
    void fault_childDeviceWritesAfterCowBreak_parentKeepsItsValues_HMM06() {
        // HMM-06 anon_write_child: the child sees -i, the parent still sees i.
        ForkedChild f = new ForkedChild();

        f.run(() -> {
            for (int i = 0; i < 2; i++) {
                f.h.deviceWriteInt(f.result.range().pfn(i), -(1 + i));
            }
            for (int i = 0; i < 2; i++) {
                assertThat(NotifierHarness.readInt(f.child, f.addr + i * PAGE)).isEqualTo(-(1 + i));
                assertThat(NotifierHarness.readInt(f.parent, f.addr + i * PAGE)).isEqualTo(1 + i);
            }
        });
    }

    @Test
    void fault_parentWritesCowSharedPagesAfterFork_convergesOnItsOwnCopies() {
        // The same from the parent's side: its own mm breaks COW and invalidates its own mirror;
        // the child keeps the original frames.
        NotifierHarness h = new NotifierHarness();
        Task parent = h.process("A");
        long addr = NotifierHarness.mmapAnon(parent, 2, Prot.READ_WRITE);
        NotifierHarness.fill(parent, addr, 2, 1);
        NotifierHarnessMirror mirror = new NotifierHarnessMirror(h.kernel, parent.mm(), addr, 2 * PAGE, "A.mirror");
        h.spawn("A.main", () -> {
            Task child = parent.fork("B");
            List<PageFrame> shared = List.of(child.mm().pageTable().lookup(addr).frame(),
                    child.mm().pageTable().lookup(addr + PAGE).frame());
            FaultResult result = mirror.fault(addr, addr + 2 * PAGE, true, 10);
            assertThat(result.ret()).isZero();
            assertThat(result.attempts()).isEqualTo(2);
            for (int i = 0; i < 2; i++) {
                HmmPfn pfn = result.range().pfn(i);
                assertThat(pfn.writable()).isTrue();
                assertThat(pfn.frame().isAnonExclusive()).isTrue();
                assertThat(pfn.frame()).isNotSameAs(shared.get(i));
                assertThat(child.mm().pageTable().lookup(addr + i * PAGE).frame()).isSameAs(shared.get(i));
                assertThat(h.deviceReadInt(pfn)).isEqualTo(1 + i);
            }
        });

        h.run();
    }

    @Test
    void fault_cowBreakInChild_parentSubscriptionSeesOnlyTheForkProtection() {
        ForkedChild f = new ForkedChild();

        f.run(() -> { });

        assertThat(f.parentOps.events()).containsExactly(MmuNotifierEvent.PROTECTION_PAGE);
    }

    @Test
    void fault_writeOnZeroPage_firstAttemptEbusyThenWritableCopy() {
        // do_wp_page on the zero page copies it under a CLEAR invalidation, like a COW break.
        NotifierHarness h = new NotifierHarness();
        Task a = h.process("A");
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        assertThat(NotifierHarness.readInt(a, addr)).isZero();
        NotifierHarnessMirror mirror = new NotifierHarnessMirror(h.kernel, a.mm(), addr, PAGE, "mirror");
        FaultResult[] result = new FaultResult[1];
        h.spawn("A.device", () -> result[0] = mirror.fault(addr, addr + PAGE, true, 10));

        h.run();

        assertThat(result[0].ret()).isZero();
        assertThat(result[0].attempts()).isEqualTo(2);
        assertThat(result[0].range().pfn(0).frame().isZeroPage()).isFalse();
        assertThat(result[0].range().pfn(0).writable()).isTrue();
    }

    // ---- a racing munmap ---------------------------------------------------------------------

    /**
     * Two populated pages of A under one subscription; a device actor faults the first page by
     * hand, recording read_retry under the driver lock; an unmapper actor unmaps the second.
     */
    private static final class Race {
        final NotifierHarness h;
        final Task a;
        final long addr;
        final NotifierHarnessMirror mirror;
        final List<Boolean> retries = new ArrayList<>();

        Race(NotifierHarnessChoices choices) {
            h = new NotifierHarness(choices);
            a = h.process("A");
            addr = NotifierHarness.mmapAnon(a, 2, Prot.READ_WRITE);
            NotifierHarness.fill(a, addr, 2, 1);
            mirror = new NotifierHarnessMirror(h.kernel, a.mm(), addr, 2 * PAGE, "mirror");
        }

        void spawnActors() {
            h.spawn("device", () -> {
                HmmRange range = new HmmRange(mirror.notifier, addr, addr + PAGE, true, false);
                range.notifierSeq = mirror.notifier.readBegin();
                a.mm().mmapLock().downRead();
                int ret = h.kernel.hmm().hmmRangeFault(range);
                a.mm().mmapLock().upRead();
                assertThat(ret).isZero();
                mirror.lock.lock();
                retries.add(mirror.notifier.readRetry(range.notifierSeq));
                mirror.lock.unlock();
            });
            h.spawn("unmapper", () -> assertThat(a.munmap(addr + PAGE, PAGE)).isZero());
        }
    }

    @Test
    void readRetry_munmapBetweenFaultAndCheck_true() {
        // The device stops right before taking its lock for read_retry; the munmap runs whole.
        Race race = new Race(new NotifierHarnessChoices()
                .runUntil("device", "mutex_lock mirror").run("unmapper").run("device"));
        race.spawnActors();

        race.h.run();

        assertThat(race.retries).containsExactly(true);
    }

    @Test
    void readRetry_munmapBeforeReadBegin_false() {
        Race race = new Race(new NotifierHarnessChoices().run("unmapper").run("device"));
        race.spawnActors();

        race.h.run();

        assertThat(race.retries).containsExactly(false);
    }

    @Test
    void readRetry_munmapAfterTheCheck_falseAndTheCallbackErasesTheDeviceEntry() {
        NotifierHarness h = new NotifierHarness(new NotifierHarnessChoices().run("device").run("unmapper"));
        Task a = h.process("A");
        long addr = NotifierHarness.mmapAnon(a, 2, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 2, 1);
        NotifierHarnessMirror mirror = new NotifierHarnessMirror(h.kernel, a.mm(), addr, 2 * PAGE, "mirror");
        FaultResult[] result = new FaultResult[1];
        h.spawn("device", () -> result[0] = mirror.fault(addr, addr + 2 * PAGE, false, 10));
        h.spawn("unmapper", () -> assertThat(a.munmap(addr + PAGE, PAGE)).isZero());

        h.run();

        assertThat(result[0].ret()).isZero();
        assertThat(result[0].collisions()).isZero();
        assertThat(mirror.devicePt.keySet()).containsExactly(addr);
        assertThat(mirror.incoherentEntries()).isEmpty();
    }

    @Test
    void fault_munmapBetweenFaultAndCheck_retriesAndReportsEfault() {
        // The loop sees the collision, starts over, and the walk then finds the hole.
        NotifierHarness h = new NotifierHarness(new NotifierHarnessChoices()
                .runUntil("device", "mutex_lock mirror").run("unmapper").run("device"));
        Task a = h.process("A");
        long addr = NotifierHarness.mmapAnon(a, 2, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 2, 1);
        NotifierHarnessMirror mirror = new NotifierHarnessMirror(h.kernel, a.mm(), addr, 2 * PAGE, "mirror");
        FaultResult[] result = new FaultResult[1];
        h.spawn("device", () -> result[0] = mirror.fault(addr, addr + 2 * PAGE, false, 10));
        h.spawn("unmapper", () -> assertThat(a.munmap(addr + PAGE, PAGE)).isZero());

        h.run();

        assertThat(result[0].collisions()).isEqualTo(1);
        assertThat(result[0].ret()).isEqualTo(Errno.EFAULT.neg());
        assertThat(mirror.devicePt).isEmpty();
    }

    // ---- random schedules --------------------------------------------------------------------

    /** What the CPU thread does while the device faults. */
    enum CpuAction {
        MUNMAP, MPROTECT, FORK
    }

    private static final int SEEDS = 60;
    private static final int CPU_ROUNDS = 3;
    /**
     * More than the loop can need: the CPU thread invalidates the range at most three times a
     * round (two stores that may break COW, and its action), and the device's own COW breaks
     * cost one attempt per fork.
     */
    private static final int MAX_ATTEMPTS = 16;

    /** One random run: a device faulting 4 pages twice, and a CPU thread changing the mapping. */
    private static final class RandomRun {
        final NotifierHarness h;
        final Task a;
        final long addr;
        final NotifierHarnessMirror mirror;
        final List<FaultResult> results = new ArrayList<>();

        RandomRun(long seed, CpuAction action) {
            h = new NotifierHarness(new RandomChoiceSource(seed));
            a = h.process("A");
            addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
            NotifierHarness.fill(a, addr, 4, 1);
            mirror = new NotifierHarnessMirror(h.kernel, a.mm(), addr, 4 * PAGE, "mirror");
            h.spawn("device", () -> {
                results.add(mirror.fault(addr, addr + 4 * PAGE, true, MAX_ATTEMPTS));
                results.add(mirror.fault(addr, addr + 4 * PAGE, false, MAX_ATTEMPTS));
            });
            h.spawn("cpu", () -> {
                for (int round = 0; round < CPU_ROUNDS; round++) {
                    assertThat(a.write(addr, NotifierHarness.intBytes(round), null)).isZero();
                    switch (action) {
                        case MUNMAP -> {
                            assertThat(a.munmap(addr + 2 * PAGE, PAGE)).isZero();
                            assertThat(a.mmap(addr + 2 * PAGE, PAGE, Prot.READ_WRITE, false, true, -1, 0))
                                    .isEqualTo(addr + 2 * PAGE);
                        }
                        case MPROTECT -> {
                            assertThat(a.mprotect(addr, 2 * PAGE, Prot.READ)).isZero();
                            assertThat(a.mprotect(addr, 2 * PAGE, Prot.READ_WRITE)).isZero();
                        }
                        case FORK -> a.fork("B" + round);
                    }
                    assertThat(a.write(addr + PAGE, NotifierHarness.intBytes(round), null)).isZero();
                }
            });
            h.run();
        }
    }

    /**
     * HMM-20 anon_teardown, generalised: under many random schedules, a device faults while a
     * CPU thread unmaps, re-protects or forks. Either the loop fails cleanly or its pfns are
     * still the CPU's when programmed (checked in {@link NotifierHarnessMirror}), and whatever
     * stays programmed afterwards still matches the CPU page table.
     */
    @ParameterizedTest
    @EnumSource(CpuAction.class)
    void fault_randomSchedulesWithConcurrentCpuThread_convergesWithoutStaleFrames_HMM20(CpuAction action) {
        int successes = 0;
        int retried = 0;
        int collisions = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomRun run = new RandomRun(seed, action);
            for (FaultResult r : run.results) {
                assertThat(r.ret()).as("seed %d", seed)
                        .isIn(0, Errno.EFAULT.neg(), Errno.EPERM.neg());
                assertThat(r.attempts()).as("seed %d attempts", seed).isLessThan(MAX_ATTEMPTS);
                successes += r.ret() == 0 ? 1 : 0;
                retried += r.attempts() > 1 ? 1 : 0;
                collisions += r.collisions();
            }
            // Whatever stayed programmed is still what the CPU maps (the callback erased the rest).
            assertThat(run.mirror.incoherentEntries()).as("seed %d", seed).isEmpty();
            assertThat(run.h.sim.lockDep().violations()).as("seed %d", seed).isEmpty();
        }
        // The seeds must reach success, retries and read_retry collisions, or the test proves little.
        assertThat(successes).as("successful faults over all seeds").isPositive();
        assertThat(retried).as("faults that needed a retry").isPositive();
        assertThat(collisions).as("read_retry collisions over all seeds").isPositive();
    }
}
