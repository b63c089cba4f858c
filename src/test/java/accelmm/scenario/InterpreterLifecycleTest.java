package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.indexOf;
import static accelmm.scenario.InterpreterHarness.run;
import static accelmm.scenario.InterpreterHarness.runSeeds;
import static accelmm.scenario.InterpreterHarness.traceLines;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Process lifetime: {@code exit} ends the process's other threads at their next statement
 * (waking those blocked in {@code await} or {@code recv}); {@code exec} ends them the same way
 * and waits until they are gone before it runs ({@code de_thread}); a process whose threads all
 * ended exits by itself; {@code PROC.exit} is signalled once the last thread has ended.
 */
class InterpreterLifecycleTest {

    /** 60 seeded runs of A.main ending with {@code ending} while A.busy maps four pages. */
    private static List<RunResult> runsWithABusySibling(String ending) {
        return runSeeds("""
                scenario "%s while another thread runs"
                process A

                thread A.main:
                  p = mmap 4K
                  %s

                thread A.busy:
                  a = mmap 4K
                  b = mmap 4K
                  c = mmap 4K
                  d = mmap 4K
                """.formatted(ending, ending), 60);
    }

    @Test
    void exit_otherThreadBlockedInAwait_wakesAndEnds() {
        Violation v = firstViolation("""
                scenario "exit wakes an await"
                process A
                process W

                thread A.main:
                  exit

                thread A.waiter:
                  await never-signalled
                  munmap 0x1003 4K

                thread W.main:
                  await A.exit
                """);

        assertThat(v).isNull();
    }

    @Test
    void exit_otherThreadBlockedInRecv_wakesAndEnds() {
        Violation v = firstViolation("""
                scenario "exit wakes a recv"
                process A
                process W

                thread A.main:
                  exit

                thread A.receiver:
                  recv never-sent
                  munmap 0x1003 4K

                thread W.main:
                  await A.exit
                """);

        assertThat(v).isNull();
    }

    @Test
    void exit_statementsAfterExitInSameThread_neverRun() {
        RunResult r = run("""
                scenario "after exit"
                process A

                thread A.main:
                  exit
                  munmap 0x1003 4K
                """, 0);

        assertThat(r.violation()).isNull();
        assertThat(traceLines(r)).contains("A.main: exit -> ok").noneMatch(l -> l.contains("munmap"));
    }

    @Test
    void exit_otherRunningThread_startsNoStatementAfterIt() {
        List<RunResult> runs = runsWithABusySibling("exit");

        for (RunResult r : runs) {
            List<String> lines = traceLines(r);
            int exit = lines.indexOf("A.main: exit -> ok");
            assertThat(lines.subList(exit + 1, lines.size()))
                    .as("trace after exit:%n%s", r.trace().render())
                    .noneMatch(l -> l.startsWith("A.busy @ A.busy line"));
        }
        // Some run did cut A.busy short.
        assertThat(runs).anySatisfy(r -> assertThat(traceLines(r)).noneMatch(l -> l.startsWith("A.busy: d =")));
    }

    @Test
    void exit_otherThreadPreemptedAtStatementStart_doesNotRunThatStatement() {
        List<RunResult> runs = runsWithABusySibling("exit");

        for (RunResult r : runs) {
            List<String> lines = traceLines(r);
            int exit = lines.indexOf("A.main: exit -> ok");
            List<String> busyBefore = lines.subList(0, exit).stream().filter(l -> l.startsWith("A.busy")).toList();
            boolean atStatementStart = !busyBefore.isEmpty()
                    && busyBefore.get(busyBefore.size() - 1).startsWith("A.busy @ A.busy line");
            if (atStatementStart) {
                assertThat(lines.subList(exit, lines.size()))
                        .as("trace:%n%s", r.trace().render())
                        .noneMatch(l -> l.startsWith("A.busy: "));
            }
        }
    }

    // ---- exec: de_thread ends the other threads first (fs/exec.c begin_new_exec) ----------------

    @Test
    void exec_otherThreadBlockedInAwait_isEndedAndTheExecingThreadGoesOn() {
        RunResult r = run("""
                scenario "exec ends an await"
                process A

                thread A.main:
                  exec
                  p = mmap 4K
                  signal woken

                thread A.waiter:
                  await woken
                  munmap 0x1003 4K
                """, 0);

        assertThat(r.violation()).isNull();
        assertThat(traceLines(r)).contains("A.main: exec -> ok").anyMatch(l -> l.startsWith("A.main: p = mmap 4K"))
                .noneMatch(l -> l.contains("munmap"));
    }

    @Test
    void exec_otherRunningThread_isGoneBeforeTheExecCompletes() {
        List<RunResult> runs = runsWithABusySibling("exec");

        for (RunResult r : runs) {
            List<String> lines = traceLines(r);
            int exec = lines.indexOf("A.main: exec -> ok");
            assertThat(lines.subList(exec, lines.size())).as("trace:%n%s", r.trace().render())
                    .noneMatch(l -> l.startsWith("A.busy"));
        }
        assertThat(runs).anySatisfy(r -> assertThat(traceLines(r)).noneMatch(l -> l.startsWith("A.busy: d =")));
    }

    @Test
    void exec_threadWaitingForItsStartEvent_neverStarts() {
        RunResult r = run("""
                scenario "exec cancels a thread not started yet"
                process A

                thread A.main:
                  exec
                  signal go

                thread A.later after go:
                  munmap 0x1003 4K
                """, 0);

        assertThat(r.violation()).isNull();
        assertThat(traceLines(r)).contains("A.main: signal go -> ok").noneMatch(l -> l.contains("munmap"));
    }

    @Test
    void exit_otherThreadInsideFenceWait_exitSignalledOnlyAfterItEnds() {
        // A.gpu may be inside `wait f` when A.main exits: the wait completes first, and only the
        // last thread out signals A.exit, so nothing of A happens after W's await returns.
        String text = """
                scenario "exit while a thread waits for the GPU"
                device gpu0 kind=gpu
                process A
                process W

                thread A.gpu:
                  fd = open gpu0
                  vm = ioctl fd vm_create
                  bo = ioctl fd gem_create 16K
                  ioctl fd vm_bind vm map bo=bo va=0x100000 size=16K
                  q  = ioctl fd exec_queue_create vm=vm
                  f  = ioctl fd exec queue=q fill dst=0x100000 size=16K byte=1
                  signal submitted
                  wait f

                thread A.main:
                  await submitted
                  exit

                thread W.main:
                  await A.exit
                """;

        List<RunResult> runs = runSeeds(text, 100);

        for (RunResult r : runs) {
            List<String> lines = traceLines(r);
            int awaited = lines.indexOf("W.main: await A.exit -> ok");
            assertThat(awaited).as("W's await returned").isPositive();
            assertThat(lines.subList(awaited, lines.size()))
                    .as("trace after A.exit:%n%s", r.trace().render())
                    .noneMatch(l -> l.startsWith("A."));
        }
        // The interesting case happened: A.gpu was in its wait when A.main exited.
        assertThat(runs).anySatisfy(r -> assertThat(indexOf(r, "A.main: exit -> ok"))
                .isLessThan(indexOf(r, "A.gpu: wait f -> ok")).isPositive());
    }

    @Test
    void threadsAllEnd_withoutExit_processExitsAndAwaitReturns() {
        Violation v = firstViolation("""
                scenario "implicit exit"
                process A
                process B

                thread A.one:
                  p = mmap 4K

                thread A.two:
                  q = mmap 4K

                thread B.main:
                  await A.exit
                """);

        assertThat(v).isNull();
    }

    @Test
    void processWithoutThreads_exitsAtOnce() {
        Violation v = firstViolation("""
                scenario "no threads"
                process A
                process B

                thread B.main:
                  await A.exit
                """);

        assertThat(v).isNull();
    }

    @Test
    void awaitOwnProcessExit_deadlocksNamingTheEvent() {
        RunResult r = run("""
                scenario "self join"
                process A

                thread A.main:
                  await A.exit
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.DEADLOCK);
        assertThat(r.violation().message()).isEqualTo("A.main waits for event A.exit");
    }

    @Test
    void threadAfterEvent_eventNeverSignalled_neverStartsAndIsNoDeadlock() {
        RunResult r = run("""
                scenario "never started"
                process A

                thread A.main:
                  p = mmap 4K

                thread A.late after go:
                  q = mmap 4K
                """, 0);

        assertThat(r.violation()).isNull();
        assertThat(r.trace().render()).contains("A.main: p = mmap 4K").doesNotContain("q = mmap");
    }

    @Test
    void threadAfterEvent_eventSignalled_runsAfterIt() {
        List<RunResult> runs = runSeeds("""
                scenario "started by an event"
                process A

                thread A.late after go:
                  q = mmap 4K

                thread A.main:
                  p = mmap 4K
                  signal go
                """, 20);

        assertThat(runs).allSatisfy(r -> {
            assertThat(r.violation()).isNull();
            assertThat(indexOf(r, "A.main: signal go -> ok")).isLessThan(indexOf(r, "A.late: q = mmap 4K -> 0x10001000"));
        });
    }

    @Test
    void signal_plainEventName_wakesAwaitInAnotherProcess() {
        // Events are not process names: `signal ready` in B is `ready` for every process.
        Violation v = firstViolation("""
                scenario "events are global"
                process A
                process B

                thread A.main:
                  await ready
                  p = mmap 4K

                thread B.main:
                  q = mmap 4K
                  signal ready
                """);

        assertThat(v).isNull();
    }

    @Test
    void await_processQualifiedEvent_notSignalledByThatProcessesPlainSignal() {
        // The parser accepts `await B.ready`, but only `B.exit` is ever signalled under B's name.
        RunResult r = run("""
                scenario "qualified event"
                process A
                process B

                thread A.main:
                  await B.ready

                thread B.main:
                  signal ready
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.DEADLOCK);
        assertThat(r.violation().message()).isEqualTo("A.main waits for event B.ready");
    }

    @Test
    void exit_otherThreadWaitingInSendForUnforkedProcess_wakesAndEnds() {
        Violation v = firstViolation("""
                scenario "exit wakes a send"
                device gpu0 kind=gpu
                process A
                process B

                thread A.main:
                  fd = open gpu0
                  exit

                thread A.sender:
                  send fd to C as g

                thread B.main:
                  await A.exit
                  fork C
                """);

        assertThat(v).isNull();
    }
}
