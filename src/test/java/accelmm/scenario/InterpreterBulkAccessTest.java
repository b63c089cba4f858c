package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.RunResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cost of bulk memory accesses: a CPU access or a GPU job takes one step per 2M span
 * (a page-table page), not one per page, and the races between spans are still found.
 */
class InterpreterBulkAccessTest {

    private static final String PRELUDE = """
            scenario "bulk"
            device gpu0 kind=gpu
            process A
            """;

    @Test
    void write_ofSixtyFourMegabytes_takesAStepOrTwoPerSpanNotOnePerPage() {
        RunResult r = InterpreterHarness.run(PRELUDE + "thread A.main:\n" + indented("p = mmap 64M", "write p 0xAB*64M",
                "expect read p+0x3ffffff 1 == 0xAB*1"), 1);

        assertThat(r.violated()).isFalse();
        assertThat(r.steps()).as("32 spans of 2M; a page each would be 16384").isLessThan(200);
    }


    @Test
    void gpuFill_ofEightMegabytes_takesAStepPerSpan() {
        RunResult r = InterpreterHarness.run(PRELUDE + "thread A.main:\n" + indented("fd = open gpu0", "vm = ioctl fd vm_create",
                "bo = ioctl fd gem_create 8M", "ioctl fd vm_bind vm map bo=bo va=0x200000 size=8M",
                "q = ioctl fd exec_queue_create vm=vm", "f = ioctl fd exec queue=q fill dst=0x200000 size=8M byte=7",
                "wait f", "expect f == ok"), 1);

        assertThat(r.violated()).isFalse();
        assertThat(r.steps()).as("4 spans of 2M; a page each would be 2048").isLessThan(200);
    }

    private static String indented(String... statements) {
        return String.join("", java.util.Arrays.stream(statements).map(s -> "  " + s + "\n").toList());
    }

    @Test
    void accesses_aboveUserSpaceOrWrappingALong_areEfaultAtOnce() {
        RunResult r = InterpreterHarness.run(PRELUDE + "thread A.main:\n" + indented(
                "x = read 0x7fffffffffffffff 64M => EFAULT", "write 0x7ffffffffffffff0 0x1*64M => EFAULT",
                "write 0x7ffffffff000 \"ab\" => EFAULT"), 1);

        assertThat(r.violated()).isFalse();
        assertThat(r.steps()).isLessThan(50);
    }

    /**
     * Only an mprotect between the write's two spans makes the write fail (EFAULT) with its first
     * span stored: before the write nothing is stored, after it the write succeeds.
     */
    @Test
    void write_racingMprotectBetweenItsSpans_isFoundHalfDone() {
        String text = PRELUDE + """
                thread A.main:
                  p = mmap 4M
                  write p 0xAB*4M => error
                  expect read p 1 == 0xAB*1
                  expect read p+2M 1 == 0*1
                thread A.protector:
                  mprotect p 4M r
                """;

        List<RunResult> runs = InterpreterHarness.runSeeds(text, 200);

        assertThat(runs).as("an execution in which the mprotect came between the spans")
                .anyMatch(r -> !r.violated());
        assertThat(runs).as("and others in which it did not").anyMatch(RunResult::violated);
    }
}
