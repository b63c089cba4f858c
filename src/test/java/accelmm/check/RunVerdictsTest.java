package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.mm.Kernel;
import accelmm.mm.PageFrame;
import accelmm.sim.Designs;
import accelmm.sim.LockClass;
import accelmm.sim.Mutex;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import accelmm.sim.WaitQueue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the end of an execution becomes its verdict. */
class RunVerdictsTest {

    private final Simulation sim = new Simulation(new RandomChoiceSource(1));
    private final Kernel kernel = new Kernel(sim, Designs.defaults());

    @Test
    void judge_cleanCompletedRun_isNoViolation() {
        sim.spawn("a", () -> sim.preemptionPoint("x"));

        assertThat(RunVerdicts.judge(sim, kernel, sim.run(), List.of())).isNull();
    }

    @Test
    void judge_runPastTheStepLimit_isNoViolation() {
        Simulation limited = new Simulation(new RandomChoiceSource(1), false, 10);
        Kernel k = new Kernel(limited, Designs.defaults());
        limited.spawn("a", () -> {
            for (int i = 0; i < 100; i++) {
                limited.preemptionPoint("page " + i);
            }
        });

        Outcome outcome = limited.run();

        assertThat(outcome).isEqualTo(new Outcome.StepLimitExceeded(10));
        assertThat(RunVerdicts.judge(limited, k, outcome, List.of())).isNull();
    }

    @Test
    void judge_frameAliveAtEnd_isLeakNamingIt() {
        sim.spawn("a", () -> kernel.physicalMemory().allocPage());

        Violation v = RunVerdicts.judge(sim, kernel, sim.run(), List.of("gem object 1 (16K)"));

        assertThat(v.invariant()).isEqualTo(InvariantKind.LEAK);
        assertThat(v.message()).contains("gem object 1 (16K)").contains("pfn 1 (refcount 1");
    }

    @Test
    void judge_consecutiveFramesWithEqualCounts_areOneRunOfPfns() {
        sim.spawn("a", () -> {
            for (int i = 0; i < 4; i++) {
                kernel.physicalMemory().allocPage();
            }
            // A fifth with another count ends the run; a sixth starts a run of one.
            kernel.physicalMemory().allocPage().get();
            kernel.physicalMemory().allocPage();
        });

        Violation v = RunVerdicts.judge(sim, kernel, sim.run(), List.of());

        assertThat(v.message()).isEqualTo("still alive after every process exited: "
                + "pfn 1..4 (refcount 1, mapcount 0, pins 0 each), pfn 5 (refcount 2, mapcount 0, pins 0), "
                + "pfn 6 (refcount 1, mapcount 0, pins 0)");
    }

    @Test
    void judge_deviceObjectsAliveAtEnd_isLeakPrintingWhatHoldsEach() {
        sim.spawn("a", () -> sim.preemptionPoint("x"));
        List<String> live = List.of("gpu0 gem object 1 (16K) held by vm 1 mapping va 0x200000",
                "gpu0 vm 1 held by gem object 1 back-reference");

        Violation v = RunVerdicts.judge(sim, kernel, sim.run(), live);

        assertThat(v.invariant()).isEqualTo(InvariantKind.LEAK);
        assertThat(v.message()).isEqualTo("still alive after every process exited: "
                + "gpu0 gem object 1 (16K) held by vm 1 mapping va 0x200000, "
                + "gpu0 vm 1 held by gem object 1 back-reference");
        assertThat(v.details()).isEqualTo(Map.of("alive", live));
    }

    @Test
    void judge_refcountErrorInModel_isRefcount() {
        sim.spawn("a", () -> {
            PageFrame f = kernel.physicalMemory().allocPage();
            f.put();
            f.put();
        });

        Violation v = RunVerdicts.judge(sim, kernel, sim.run(), List.of());

        assertThat(v.invariant()).isEqualTo(InvariantKind.REFCOUNT);
        assertThat(v.actor()).isEqualTo("a");
    }

    @Test
    void judge_blockedForever_isDeadlockNamingWhatEachWaitsFor() {
        WaitQueue never = new WaitQueue(sim, "never");
        sim.spawn("a", () -> never.waitEvent(() -> false));

        Violation v = RunVerdicts.judge(sim, kernel, sim.run(), List.of());

        assertThat(v.invariant()).isEqualTo(InvariantKind.DEADLOCK);
        assertThat(v.message()).isEqualTo("a waits for wait queue never");
        assertThat(v.details()).isEqualTo(Map.of("blocked", List.of(Map.of("actor", "a", "waitsFor", "wait queue never"))));
    }

    @Test
    void judge_lockOrderCycleInACompletedRun_isLockOrder() {
        Mutex x = new Mutex(sim, "x", new LockClass("x"));
        Mutex y = new Mutex(sim, "y", new LockClass("y"));
        sim.spawn("a", () -> {
            x.lock();
            y.lock();
            y.unlock();
            x.unlock();
            y.lock();
            x.lock();
            x.unlock();
            y.unlock();
        });

        Violation v = RunVerdicts.judge(sim, kernel, sim.run(), List.of());

        assertThat(v.invariant()).isEqualTo(InvariantKind.LOCK_ORDER);
        assertThat(v.message()).contains("x -> y -> x");
        assertThat(v.details()).containsEntry("cycle", List.of("x", "y", "x")).containsKeys("held", "acquired");
    }

    @Test
    void judge_failedExpectation_isExpectation() {
        sim.spawn("a", () -> {
            throw new ExpectationFailed("f.scn:3: `munmap p 3` returned EINVAL, expected ok");
        });

        Violation v = RunVerdicts.judge(sim, kernel, sim.run(), List.of());

        assertThat(v.invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(v.message()).startsWith("f.scn:3:");
    }

    @Test
    void judge_otherExceptionInModel_isModelBugNotAVerdict() {
        sim.spawn("a", () -> {
            throw new IllegalStateException("precondition");
        });
        Outcome outcome = sim.run();

        assertThatThrownBy(() -> RunVerdicts.judge(sim, kernel, outcome, List.of()))
                .isInstanceOf(ModelBugException.class).hasMessageContaining("precondition");
    }

    @Test
    void judge_modelBug_carriesTheScheduleTheSimulationRecorded() {
        sim.spawn("a", () -> sim.preemptionPoint("a1"));
        sim.spawn("b", () -> {
            sim.preemptionPoint("b1");
            throw new IllegalStateException("precondition");
        });
        Outcome outcome = sim.run();

        assertThatThrownBy(() -> RunVerdicts.judge(sim, kernel, outcome, List.of()))
                .isInstanceOfSatisfying(ModelBugException.class,
                        e -> assertThat(e.schedule()).contains(sim.schedule()));
        assertThat(sim.schedule().length()).isPositive();
    }
}
