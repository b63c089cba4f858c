package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.RunResult;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import org.junit.jupiter.api.Test;

/**
 * The stop of PTRACE_ATTACH as the interpreter honours it: every thread of the tracee stops
 * before its next statement (its next return to user space) until the tracer detaches or exits;
 * the wait names the tracer, so a run that never resumes it is a deadlock saying why.
 */
class InterpreterPtraceStopTest {

    private static final String TRACEE_AND_TRACER = """
            scenario "a traced process"
            process A
            process D caps=sys_ptrace

            thread A.main:
              p = mmap 4K

            thread A.other:
              q = mmap 4K

            thread D.main:
              %s
            """;

    /** A world for {@code text} with A attached by D (CAP_SYS_PTRACE) before anything runs. */
    private static World attachedWorld(String text, long seed) {
        Scenario scenario = InterpreterHarness.parse(text);
        var prepared = ScenarioModel.Prepared.of(scenario,
                DesignMatrix.toDesigns(DesignMatrix.combinations(scenario).get(0)));
        World world = new World(scenario, prepared, new Simulation(new RandomChoiceSource(seed), true, 200_000));
        assertThat(world.ptrace.attach(world.process("D").task, true, world.process("A").task, true)).isZero();
        return world;
    }

    @Test
    void ptr02_stop_tracerNeverDetaches_deadlockNamesTheStop() {
        World world = attachedWorld(TRACEE_AND_TRACER.formatted("await never-signalled"), 1);

        RunResult r = world.run();

        assertThat(r.outcome()).isInstanceOf(Outcome.Deadlock.class);
        assertThat(((Outcome.Deadlock) r.outcome()).blocked())
                .filteredOn(b -> b.actor().startsWith("A."))
                .hasSize(2)
                .allSatisfy(b -> assertThat(b.waitsFor()).isEqualTo("stopped by ptrace from D"));
        assertThat(world.process("A").bindings()).doesNotContainKeys("p", "q");
    }

    /** PTRACE_DETACH: no statement of the tracee runs before it, and all run after it. */
    @Test
    void ptr02_stop_detach_tracesThreadsRunOnlyAfterIt() {
        for (long seed = 0; seed < 20; seed++) {
            long s = seed;
            World world = attachedWorld(TRACEE_AND_TRACER.formatted("await never-signalled"), s);
            ProcessState a = world.process("A");
            ProcessState d = world.process("D");
            world.sim.spawn("tracer", () -> {
                world.sim.preemptionPoint("before detach");
                assertThat(a.bindings()).as("seed %d", s).doesNotContainKeys("p", "q");
                assertThat(world.ptrace.detach(d.task, a.task)).isZero();
                world.signal("never-signalled");
            });

            RunResult r = world.run();

            assertThat(r.outcome()).as("seed %d", seed).isEqualTo(new Outcome.Completed());
            assertThat(a.bindings()).containsKeys("p", "q");
        }
    }

    /** exit_ptrace: the tracer's exit detaches, and the tracee runs on. */
    @Test
    void ptr02_stop_tracerExits_traceeResumes() {
        World world = attachedWorld(TRACEE_AND_TRACER.formatted("exit"), 1);

        RunResult r = world.run();

        assertThat(r.outcome()).isEqualTo(new Outcome.Completed());
        assertThat(world.process("A").bindings()).containsKeys("p", "q");
    }
}
