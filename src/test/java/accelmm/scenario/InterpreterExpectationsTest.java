package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Violation;
import accelmm.sim.Outcome;
import org.junit.jupiter.api.Test;

/**
 * Statement outcomes ({@code => ...}) and inline expectations ({@code expect X == V}, {@code
 * expect read}): what holds, and what a failure says.
 */
class InterpreterExpectationsTest {

    @Test
    void statement_unexpectedErrnoWithoutOutcome_failsShowingFileLineAndStatement() {
        RunResult r = run("""
                scenario "unexpected result"
                process A

                thread A.main:
                  p = mmap 8K
                  munmap   p+3   4K
                  munmap p 4K
                """, 0);

        assertThat(r.outcome()).isInstanceOf(Outcome.Failed.class);
        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(r.violation().actor()).isEqualTo("A.main");
        assertThat(r.violation().message()).isEqualTo("inline.scn:6: `munmap   p+3   4K` returned EINVAL, expected ok");
    }

    @Test
    void munmap_lengthNotPageMultiple_roundsUpAndSucceeds() {
        // As in Linux: only the address must be page aligned (so `munmap p 3` is no example of
        // an unexpected result).
        RunResult r = run("""
                scenario "munmap p 3"
                process A

                thread A.main:
                  p = mmap 8K
                  munmap p 3
                  write p "x"                                      => EFAULT
                  write p+4K "y"
                """, 0);

        assertThat(r.violation()).isNull();
    }

    @Test
    void statement_unexpectedErrno_endsTheRunAtThatStatement() {
        RunResult r = run("""
                scenario "unexpected result"
                process A

                thread A.main:
                  p = mmap 8K
                  munmap p+3 4K
                  munmap p 4K
                """, 0);

        assertThat(r.trace().render()).contains("A.main: munmap p+3 4K -> EINVAL").doesNotContain("munmap p 4K");
    }

    @Test
    void statement_errnoAllowedByOutcome_continues() {
        Violation v = firstViolation("""
                scenario "allowed errno"
                process A

                thread A.main:
                  p = mmap 8K
                  munmap p+3 4K                                    => EINVAL
                  munmap p 4K                                      => ok|EINVAL
                """);

        assertThat(v).isNull();
    }

    @Test
    void statement_succeedsWhereOnlyErrnoAllowed_fails() {
        RunResult r = run("""
                scenario "unexpected success"
                process A

                thread A.main:
                  p = mmap 8K
                  munmap p 4K                                      => EINVAL|EFAULT
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(r.violation().message())
                .isEqualTo("inline.scn:6: `munmap p 4K                                      => EINVAL|EFAULT` "
                        + "returned ok, expected EFAULT|EINVAL");
    }

    @Test
    void expectValue_equalText_holds() {
        Violation v = firstViolation("""
                scenario "expect =="
                process A

                thread A.main:
                  p = mmap 4K
                  write p "data"
                  x = read p 4
                  expect x == "data"
                  expect x != "date"
                """);

        assertThat(v).isNull();
    }

    @Test
    void expectValue_differentText_failsShowingActualValue() {
        RunResult r = run("""
                scenario "expect == fails"
                process A

                thread A.main:
                  p = mmap 4K
                  write p "data"
                  x = read p 4
                  expect x == "date"
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(r.violation().message()).isEqualTo("inline.scn:8: `expect x == \"date\"` does not hold: x is \"data\"");
    }

    @Test
    void expectValue_notEqualButEqual_fails() {
        RunResult r = run("""
                scenario "expect != fails"
                process A

                thread A.main:
                  p = mmap 4K
                  write p "data"
                  x = read p 4
                  expect x != "data"
                """, 0);

        assertThat(r.violation().message()).isEqualTo("inline.scn:8: `expect x != \"data\"` does not hold: x is \"data\"");
    }

    @Test
    void expectValue_number_comparesBoundNumber() {
        Violation v = firstViolation("""
                scenario "numbers"
                process A

                thread A.main:
                  p = mmap 4K at=0x40000000
                  expect p == 0x40000000
                  expect p != 0x40001000
                  q = mmap 4K at=0x40001000
                  expect q != p
                """);

        assertThat(v).isNull();
    }

    @Test
    void expectRead_repeatedByteLiteral_matchesWholeRange() {
        Violation v = firstViolation("""
                scenario "0xAB*4K"
                process A

                thread A.main:
                  p = mmap 8K
                  write p 0xAB*4K
                  expect read p 4K == 0xAB*4K
                  expect read p 4K != 0xAB*4095
                  expect read p+4K 4K == 0x00*4K
                  expect read p+4095 2 == "\\xab\\x00"
                """);

        assertThat(v).isNull();
    }

    @Test
    void expectRead_differentBytes_failsShowingWhatWasRead() {
        RunResult r = run("""
                scenario "expect read fails"
                process A

                thread A.main:
                  p = mmap 4K
                  write p 0xAB*4K
                  expect read p 4 == "abcd"
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(r.violation().message())
                .isEqualTo("inline.scn:7: `expect read p 4 == \"abcd\"` does not hold: read \"\\xab\\xab\\xab\\xab\"");
    }

    @Test
    void expectRead_unmappedAddress_failsWithErrno() {
        RunResult r = run("""
                scenario "expect read faults"
                process A

                thread A.main:
                  p = mmap 4K
                  munmap p 4K
                  expect read p 4 == "abcd"
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(r.violation().message()).isEqualTo("inline.scn:7: `expect read p 4 == \"abcd\"`: the read failed with EFAULT");
    }
}
