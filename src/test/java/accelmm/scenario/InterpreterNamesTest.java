package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.indexOf;
import static accelmm.scenario.InterpreterHarness.run;
import static accelmm.scenario.InterpreterHarness.runSeeds;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Violation;
import accelmm.sim.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Names at run time: bound once, visible in every thread of their process and as {@code A.p}
 * elsewhere, copied into a forked child, awaited until bound, and bound to the errno of a
 * statement that failed as allowed.
 */
class InterpreterNamesTest {

    @Test
    void fork_childThreadUsesParentName_readsParentMappingThroughIt() {
        Violation v = firstViolation("""
                scenario "child reads through the parent's name"
                process A

                thread A.main:
                  p = mmap 4K
                  write p "parent"
                  fork B

                thread B.main:
                  x = read p 6
                  expect x == "parent"
                expect clean
                """);

        assertThat(v).isNull();
    }

    @Test
    void fork_parentBindsNameAfterFork_childDoesNotSeeIt() {
        // The child's names are a copy taken at the fork, like its memory; A.q would wait for
        // the parent's binding instead. The file binds q in the process B is forked from, so it
        // loads: that no run binds it for B is the run's to find.
        RunResult r = run("""
                scenario "bound after the fork"
                process A

                thread A.main:
                  fork B
                  q = mmap 4K

                thread B.main:
                  munmap q 4K
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.DEADLOCK);
        assertThat(r.violation().message()).isEqualTo("B.main waits for name 'q' to be bound");
    }

    @Test
    void use_nameBoundLaterByAnotherThread_waitsUntilBound() {
        String text = """
                scenario "ordered by data"
                process A

                thread A.consumer:
                  expect done == "ready"
                  expect read p 5 == "ready"

                thread A.producer:
                  p    = mmap 4K
                  write p "ready"
                  done = read p 5
                """;

        List<RunResult> runs = runSeeds(text, 40);

        assertThat(runs).allSatisfy(r -> assertThat(r.violation()).isNull());
        // The waiting was exercised: in some run the consumer reached its first statement
        // before the producer bound 'done'.
        assertThat(runs).anySatisfy(r -> assertThat(indexOf(r, "A.consumer @ A.consumer line 5"))
                .isLessThan(indexOf(r, "A.producer: done = read p 5 -> 5 bytes")));
        assertThat(firstViolation(text)).isNull();
    }

    @Test
    void use_nameBoundOnlyInThreadThatNeverStarts_deadlockNamesTheName() {
        // The file binds q, so it loads; no run binds it: A.late waits for an event nobody signals.
        RunResult r = run("""
                scenario "bound by a thread that never starts"
                process A

                thread A.main:
                  p = mmap 4K
                  munmap q 4K

                thread A.late after never:
                  q = mmap 4K
                """, 0);

        assertThat(r.outcome()).isInstanceOf(Outcome.Deadlock.class);
        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.DEADLOCK);
        assertThat(r.violation().message()).contains("A.main waits for name 'q' to be bound");
    }

    @Test
    void use_otherProcessNameBoundAfterItsProcessExits_deadlockNamesQualifiedName() {
        // A exits before it binds q, so B waits for A.q forever.
        RunResult r = run("""
                scenario "A.q bound after A exits"
                process A
                process B

                thread A.main:
                  p = mmap 4K
                  exit
                  q = mmap 4K

                thread B.main:
                  munmap A.q 4K
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.DEADLOCK);
        assertThat(r.violation().message()).isEqualTo("B.main waits for name 'A.q' to be bound");
    }

    @Test
    void use_otherProcessName_isPlainNumberInCallersAddressSpace() {
        // A.p is A's address; B has nothing mapped there, so B's load faults.
        Violation v = firstViolation("""
                scenario "A.p in B"
                process A
                process B

                thread A.main:
                  p = mmap 4K
                  write p "A's data"

                thread B.main:
                  x = read A.p 4                                   => EFAULT
                  expect x == EFAULT
                """);

        assertThat(v).isNull();
    }

    @Test
    void bind_statementFailsWithAllowedErrno_nameComparesEqualToIt() {
        Violation v = firstViolation("""
                scenario "bound to an errno"
                process A

                thread A.main:
                  x = read 0x1000 4                                => EFAULT
                  expect x == EFAULT
                  expect x == error
                  expect x == ok|EFAULT
                  expect x != ok
                  expect x != EINVAL
                """);

        assertThat(v).isNull();
    }

    @Test
    void bind_nameBoundToErrno_usedAsNumberFailsExpectation() {
        RunResult r = run("""
                scenario "errno as a number"
                process A

                thread A.main:
                  x = read 0x1000 4                                => EFAULT
                  munmap x 4K
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(r.violation().actor()).isEqualTo("A.main");
        assertThat(r.violation().message())
                .contains("'x' is bound to EFAULT (its statement failed), so it cannot be used as a number");
    }

    @Test
    void bind_nameBoundToErrno_usedAsNumberFailureShowsWhere() {
        RunResult r = run("""
                scenario "errno as a number"
                process A

                thread A.main:
                  x = read 0x1000 4                                => EFAULT
                  munmap x 4K
                """, 0);

        assertThat(r.violation().message()).startsWith("inline.scn:6: `munmap x 4K`");
    }

    @Test
    void wait_nameBoundToErrno_returnsAtOnce() {
        Violation v = firstViolation("""
                scenario "wait on a failed submission"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  vm = ioctl fd vm_create
                  q  = ioctl fd exec_queue_create vm=vm
                  close fd
                  f  = ioctl fd exec queue=q fill dst=0x100000 size=4K byte=1   => EBADF
                  wait f
                  expect f == EBADF
                """);

        assertThat(v).isNull();
    }

    @Test
    void fork_childBindsNameItInherited_usesItsOwnBinding() {
        RunResult r = run("""
                scenario "child rebinds p"
                process A

                thread A.main:
                  p = mmap 4K
                  write p "parent"
                  fork B

                thread B.main:
                  p = mmap 4K at=0x50000000
                  expect p == 0x50000000
                """, 0);

        assertThat(r.violation()).isNull();
    }
}
