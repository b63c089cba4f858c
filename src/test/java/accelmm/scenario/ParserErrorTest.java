package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad scenarios are reported at the exact {@code FILE:LINE:COL} with a short, precise message.
 * In {@link Scenarios#inThread} snippets the thread line is line 7 and the first statement
 * line 8, indented by two.
 */
class ParserErrorTest {

    private static ScenarioError error(String text) {
        ScenarioError e = catchThrowableOfType(ScenarioError.class, () -> Parser.parse("t.scn", text));
        assertThat(e).as("expected a ScenarioError for:%n%s", text).isNotNull();
        return e;
    }

    private static String thread(String... statements) {
        return Scenarios.inThread(statements);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                // lexical
                Arguments.of(thread("p = mmap 16KB"), "t.scn:8:14: bad size suffix 'KB' (use K, M or G)"),
                Arguments.of(thread("write p \"hello"), "t.scn:8:11: unterminated string"),
                Arguments.of(thread("write p \"a\\qb\""),
                        "t.scn:8:13: bad escape '\\q' in string (use \\n, \\\", \\\\ or \\xNN)"),
                Arguments.of(thread("write p \"\\x4g\""), "t.scn:8:12: bad escape '\\x4g' (\\x takes two hex digits)"),
                Arguments.of(thread("munmap 0xZZ 4K"), "t.scn:8:10: bad hex number '0xZZ'"),
                Arguments.of(thread("munmap p @ 4K"), "t.scn:8:12: unexpected character '@'"),
                // indentation
                Arguments.of(thread("  exec", " exit"), "t.scn:9:4: bad indentation: expected 4 spaces, got 3"),
                Arguments.of(thread("exec", "  exit"), "t.scn:9:5: bad indentation: expected 2 spaces, got 4"),
                Arguments.of(Scenarios.PRELUDE + "thread A.main:\n  exec\n\texit\n",
                        "t.scn:9:1: tab used for indentation (indent with spaces)"),
                Arguments.of("  scenario \"x\"\n", "t.scn:1:3: unexpected indentation (only a thread's body is indented)"),
                Arguments.of(Scenarios.PRELUDE + "thread A.main:\nprocess C\n",
                        "t.scn:7:15: expected an indented body after 'thread A.main:'"),
                Arguments.of(Scenarios.PRELUDE + "mmap 4K\n",
                        "t.scn:7:1: a statement belongs in a thread body: indent it under a 'thread PROC.NAME:' line"),
                // operations and arguments
                Arguments.of(thread("mmapp 16K"), "t.scn:8:3: unknown operation 'mmapp' (did you mean 'mmap'?)"),
                Arguments.of(thread("munmap p"), "t.scn:8:11: missing SIZE (usage: munmap ADDR SIZE)"),
                Arguments.of(thread("p = mmap foo"), "t.scn:8:12: expected a size, got 'foo'"),
                Arguments.of(thread("x = ioctl fd gem_creat 4K"),
                        "t.scn:8:16: unknown ioctl 'gem_creat' (did you mean 'gem_create'?)"),
                Arguments.of(thread("ioctl fd vm_bind vm map bo=bo va=0 siz=4K"),
                        "t.scn:8:38: unknown key 'siz' for ioctl vm_bind map (did you mean 'size'?)"),
                Arguments.of(thread("ioctl fd vm_bind vm map bo=bo va=0"),
                        "t.scn:8:37: missing size=SIZE (usage: ioctl FD vm_bind VM map bo=BO [bo_offset=SIZE] "
                                + "va=ADDR size=SIZE [dumpable])"),
                Arguments.of(thread("ioctl fd vm_bind vm mapp bo=bo"),
                        "t.scn:8:23: expected map, userptr or unmap, got 'mapp' (did you mean 'map'?)"),
                Arguments.of(thread("p = mmap 4K prot=rw prot=r"), "t.scn:8:23: key 'prot' is given twice"),
                Arguments.of(thread("mprotect p 4K rwx"), "t.scn:8:17: expected rw, r or none, got 'rwx' (did you mean 'rw'?)"),
                Arguments.of(thread("write p foo"),
                        "t.scn:8:11: expected data (\"text\", 0xAB*4K or secret \"NAME\"), got 'foo'"),
                Arguments.of(thread("write p 0x1AB*4"), "t.scn:8:11: a repeated byte must be 0..255, got '0x1AB'"),
                Arguments.of(thread("open gpu0 clo"), "t.scn:8:13: unexpected argument 'clo' (usage: FD = open DEVICE [cloexec])"),
                Arguments.of(thread("fd = open gpu1"), "t.scn:8:13: unknown device 'gpu1' (did you mean 'gpu0'?)"),
                Arguments.of(thread("x = munmap p 4K"), "t.scn:8:3: 'munmap' returns nothing to bind"),
                // literal IDs: what the kernel's field holds, and names where one must remember an object
                Arguments.of(thread("close 2147483648"),
                        "t.scn:8:9: FD 2147483648 does not fit an int fd (-2147483648 to 2147483647)"),
                Arguments.of(thread("close -2147483649"),
                        "t.scn:8:9: FD -2147483649 does not fit an int fd (-2147483648 to 2147483647)"),
                Arguments.of(thread("ioctl fd gem_close -1"),
                        "t.scn:8:22: BO -1 does not fit a __u32 (0 to 4294967295)"),
                Arguments.of(thread("munmap -4K 4K"), "t.scn:8:10: expected an address, got '-4K'"),
                Arguments.of(thread("close - 1"), "t.scn:8:9: unexpected '-'"),
                Arguments.of(thread("expect p == -1"),
                        "t.scn:8:15: expected a value, got '-1' (a negative number is written only where an fd goes)"),
                Arguments.of(thread("ioctl fd gem_close 4K"),
                        "t.scn:8:22: expected a name or a number for BO, got '4K' (an ID has no size suffix)"),
                Arguments.of(thread("ioctl fd gem_close 0x100000000"),
                        "t.scn:8:22: BO 0x100000000 does not fit a __u32 (0 to 4294967295)"),
                Arguments.of(thread("q = ioctl fd exec_queue_create vm=4294967296"),
                        "t.scn:8:37: VM 4294967296 does not fit a __u32 (0 to 4294967295)"),
                Arguments.of(thread("close 4K"),
                        "t.scn:8:9: expected a name or a number for FD, got '4K' (an fd has no size suffix)"),
                Arguments.of(thread("p = mmap 4K 4K"),
                        "t.scn:8:12: expected a name or a number for FD, got '4K' (an fd has no size suffix)"),
                Arguments.of(thread("ioctl fd vm_destroy vm+1"), "t.scn:8:23: expected a name or a number for VM, got 'vm+1'"),
                Arguments.of(thread("wait 3"), "t.scn:8:8: expected a name for F, got '3'"),
                Arguments.of(Scenarios.inKernelThread("evict 1"),
                        "t.scn:8:9: expected the name a gem_create bound, got '1': the statement moves the object"
                                + " that name was bound to, and a number names no object"),
                Arguments.of(thread("x = read p 65M"), "t.scn:8:14: at most 64M bytes are read or compared at once, got '65M'"),
                Arguments.of(thread("expect read p 1G == 0*1G"),
                        "t.scn:8:17: at most 64M bytes are read or compared at once, got '1G'"),
                Arguments.of(thread("write p 0*3G"), "t.scn:8:13: a data literal is at most 64M bytes, got '3G'"),
                Arguments.of(thread("write p secret \"S\" size=2G"), "t.scn:8:27: a secret is at most 64M bytes, got '2G'"),
                Arguments.of(thread("expect x = 5"), "t.scn:8:12: expected '==' or '!=', got '='"),
                // outcomes
                Arguments.of(thread("close fd => EFAUL"), "t.scn:8:15: unknown errno 'EFAUL' (did you mean 'EFAULT'?)"),
                Arguments.of(thread("close fd => EFOO"), "t.scn:8:15: unknown errno 'EFOO'"),
                Arguments.of(thread("close fd => EPIPE"), "t.scn:8:15: errno 'EPIPE' is never returned by the model"),
                Arguments.of(thread("close fd => fine"), "t.scn:8:15: expected ok, error or an errno name, got 'fine'"),
                Arguments.of(thread("p = mmap 4K => ok|ok"), "t.scn:8:21: outcome 'ok' is listed twice"),
                // names and processes
                Arguments.of(thread("p = mmap 4K") + "thread A.other:\n  p = mmap 8K\n",
                        "t.scn:10:3: name 'p' is bound twice (first at line 8)"),
                Arguments.of(thread("recv buf", "buf = mmap 4K"), "t.scn:9:3: name 'buf' is bound twice (first at line 8)"),
                Arguments.of(Scenarios.PRELUDE + "thread C.main:\n  exit\n",
                        "t.scn:7:8: unknown process 'C' (declare it with 'process C' or create it with 'fork C')"),
                Arguments.of(thread("send fd to C as x"), "t.scn:8:14: unknown process 'C'"),
                Arguments.of(thread("fork B"), "t.scn:8:8: process 'B' is declared at line 6; fork creates a new process"),
                Arguments.of(thread("fork K", "fork K"), "t.scn:9:8: process 'K' is forked twice (first at line 8)"),
                Arguments.of(Scenarios.PRELUDE + "thread A.main:\n  exit\nthread A.main:\n  exit\n",
                        "t.scn:9:8: thread 'A.main' is declared twice (first at line 7)"),
                Arguments.of(thread("signal B.exit"), "t.scn:8:10: 'B.exit' is signalled by the model when B exits"),
                // kernel activity
                Arguments.of(thread("migrate A p 4K"),
                        "t.scn:8:3: 'migrate' is kernel activity: only allowed in a 'thread kernel.NAME:' block"),
                Arguments.of(Scenarios.inKernelThread("mmap 4K"),
                        "t.scn:8:3: 'mmap' needs a process: not allowed in a kernel thread"),
                Arguments.of(Scenarios.inKernelThread("expect read A.p 4K == 0*4K"),
                        "t.scn:8:10: 'expect read' needs a process: not allowed in a kernel thread"),
                Arguments.of(thread("db = mmap q 4K offset=4K region=mmio"),
                        "t.scn:8:18: offset= cannot go with region=: region= is the mmap page offset (mmio 0, dus 1);"
                                + " give one of them"),
                Arguments.of(thread("mr = ioctl fd reg_mr"),
                        "t.scn:8:23: missing dmabuf=DB (usage: MR = ioctl FD reg_mr dmabuf=DB "
                                + "or MR = ioctl FD reg_mr addr=ADDR size=SIZE)"),
                // top level
                Arguments.of("# no title\nprocess A\n", "t.scn:1:1: missing 'scenario \"TITLE\"' line"),
                Arguments.of("scenario \"a\"\nscenario \"b\"\n", "t.scn:2:1: the scenario line is given twice (first at line 1)"),
                Arguments.of("scenario \"d\"\ndesign userpr=hmm\n", "t.scn:2:8: unknown design key 'userpr' (did you mean 'userptr'?)"),
                Arguments.of("scenario \"d\"\ndesign userptr=hmm2\n",
                        "t.scn:2:16: unknown value 'hmm2' for design key 'userptr' (expected hmm, pin or hmm-no-retry)"),
                Arguments.of("scenario \"d\"\ndesign fork=legacy\ndesign fork=modern\n",
                        "t.scn:3:8: design key 'fork' is given twice (first at line 2)"),
                Arguments.of("scenario \"d\"\nexpect clean when userpr=hmm\n",
                        "t.scn:2:19: unknown design key 'userpr' (did you mean 'userptr'?)"),
                Arguments.of("scenario \"d\"\nexpect violation use-after-fre\n",
                        "t.scn:2:18: unknown invariant 'use-after-fre' (did you mean 'use-after-free'?)"),
                Arguments.of("scenario \"d\"\nexpect f == ok\n",
                        "t.scn:2:8: expected 'clean' or 'violation' after 'expect' "
                                + "(an inline expectation belongs in a thread body)"),
                Arguments.of("scenario \"d\"\ndevice x kind=gpu vrm=1G\n",
                        "t.scn:2:19: unknown device attribute 'vrm' (did you mean 'vram'?)"),
                Arguments.of("scenario \"d\"\ndevice x vram=1G\n", "t.scn:2:17: missing kind=gpu|accel|rdma"),
                Arguments.of("scenario \"d\"\ndevice x kind=gpu queues=0\n",
                        "t.scn:2:26: expected a number of queues from 1 to 4096, got '0'"),
                Arguments.of("scenario \"d\"\ndevice x kind=gpu sva=true\n",
                        "t.scn:2:23: expected yes or no, got 'true'"),
                Arguments.of(Scenarios.PRELUDE + "device gpu0 kind=accel\n",
                        "t.scn:7:8: device 'gpu0' is declared twice (first at line 2)"),
                Arguments.of("scenario \"d\"\nprocess A caps=sys_ptrce\n",
                        "t.scn:2:16: unknown capability 'sys_ptrce' (did you mean 'sys_ptrace'?)"),
                Arguments.of("scenario \"d\"\nprocess kernel\n", "t.scn:2:9: 'kernel' is reserved for kernel activity"),
                Arguments.of("scenario \"d\"\nproces A\n",
                        "t.scn:2:1: expected scenario, design, device, process, thread or expect, got 'proces' "
                                + "(did you mean 'process'?)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badInputs")
    void badInput_isReportedAtItsPosition(String text, String expected) {
        assertThat(error(text).getMessage()).isEqualTo(expected);
    }

    @Test
    void render_showsTheLineAndACaretUnderTheColumn() {
        ScenarioError e = error(thread("mmapp 16K"));

        assertThat(e.render()).isEqualTo("""
                t.scn:8:3: unknown operation 'mmapp' (did you mean 'mmap'?)
                  mmapp 16K
                  ^""");
    }

    @Test
    void render_keepsTabsSoTheCaretLinesUp() {
        ScenarioError e = error(thread("munmap\tp\t4KB"));

        assertThat(e.render()).isEqualTo("t.scn:8:13: bad size suffix 'KB' (use K, M or G)\n"
                + "  munmap\tp\t4KB\n"
                + "        \t \t ^");
    }

    @Test
    void errors_comeInFileOrder_lexicalOnesIncluded() {
        ScenarioError e = error(thread("mmapp 4K", "write p \"unterminated"));

        assertThat(e.line()).isEqualTo(8);
    }

    @Test
    void error_exposesItsParts() {
        ScenarioError e = error(thread("munmap p"));

        assertThat(e.fileName()).isEqualTo("t.scn");
        assertThat(e.position()).isEqualTo(new Position(8, 11));
        assertThat(e.reason()).isEqualTo("missing SIZE (usage: munmap ADDR SIZE)");
        assertThat(e.sourceLine()).contains("  munmap p");
    }
}
