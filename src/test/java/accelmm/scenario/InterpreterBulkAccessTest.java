package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Violation;
import accelmm.mm.BulkAccess;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cost of bulk memory accesses ({@code BulkAccess}): a CPU access or a GPU job of at most
 * 256K has a preemption point before every page, as neither {@code copy_to_user} nor an engine
 * holds anything across pages; a larger one takes one step per 2M span (a page-table page), and
 * the races between its spans are still found.
 */
class InterpreterBulkAccessTest {

    private static final String PRELUDE = """
            scenario "bulk"
            device gpu0 kind=gpu
            process A
            """;

    /** A write into memory faulted in already (so no fault adds a step) of {@code size}: its run's steps. */
    private static long stepsOfWrite(String size) {
        RunResult r = InterpreterHarness.run(PRELUDE + "thread A.main:\n" + indented("p = mmap 512K", "write p 0*512K",
                "write p 0x1*" + size), 1);
        assertThat(r.violated()).isFalse();
        return r.steps();
    }

    /** A GPU fill of {@code size} into a bound object: its run's steps. */
    private static long stepsOfFill(String size) {
        RunResult r = InterpreterHarness.run(PRELUDE + "thread A.main:\n" + indented("fd = open gpu0",
                "vm = ioctl fd vm_create", "bo = ioctl fd gem_create 512K",
                "ioctl fd vm_bind vm map bo=bo va=0x200000 size=512K", "q = ioctl fd exec_queue_create vm=vm",
                "f = ioctl fd exec queue=q fill dst=0x200000 size=" + size + " byte=7", "wait f", "expect f == ok"), 1);
        assertThat(r.violated()).isFalse();
        return r.steps();
    }

    @Test
    void write_atThePagewiseLimit_hasAPreemptionPointBeforeEveryPage() {
        assertThat(BulkAccess.PAGEWISE_MAX_BYTES).isEqualTo(256 * 1024);

        assertThat(stepsOfWrite("256K") - stepsOfWrite("4K")).as("63 pages more, a step each").isEqualTo(63);
    }

    @Test
    void write_justAboveThePagewiseLimit_takesOneStepForItsSpan() {
        assertThat(stepsOfWrite("260K")).as("65 pages within one 2M span").isEqualTo(stepsOfWrite("4K"));
    }

    @Test
    void gpuFill_atThePagewiseLimit_hasAPreemptionPointBeforeEveryPage() {
        assertThat(stepsOfFill("256K") - stepsOfFill("4K")).as("63 pages more, a step each").isEqualTo(63);
    }

    @Test
    void gpuFill_justAboveThePagewiseLimit_takesOneStepForItsSpan() {
        assertThat(stepsOfFill("260K")).as("65 pages within one 2M span").isEqualTo(stepsOfFill("4K"));
    }

    /**
     * An engine writes page after page: a CPU reading across the page boundary of an 8K fill may
     * see the first page filled and the second not yet. The reader claims it never does.
     */
    @Test
    void gpuFill_ofTwoPages_isSeenHalfDoneByACpuReader() {
        Violation v = InterpreterHarness.firstViolation(PRELUDE + """
                thread A.main:
                  fd = open gpu0
                  vm = ioctl fd vm_create
                  bo = ioctl fd gem_create 8K
                  off = ioctl fd gem_mmap_offset bo
                  p = mmap fd 8K offset=off
                  ioctl fd vm_bind vm map bo=bo va=0x200000 size=8K
                  q = ioctl fd exec_queue_create vm=vm
                  signal mapped
                  f = ioctl fd exec queue=q fill dst=0x200000 size=8K byte=7
                  wait f
                thread A.reader:
                  await mapped
                  expect read p+4095 2 != "\\x07\\x00"
                """);

        assertThat(v).as("a schedule with the read between the fill's two pages").isNotNull();
        assertThat(v.invariant()).isEqualTo(InvariantKind.EXPECTATION);
    }

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
