package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.scenario.Statement.Call;
import accelmm.scenario.Value.Field;
import accelmm.scenario.Value.Num;
import accelmm.scenario.Value.Offset;
import accelmm.scenario.Value.Ref;
import accelmm.scenario.Value.Word;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the contract's statement tables parses, with its arguments typed and named. */
class StatementParserTest {

    private static Scenario parse(String text) {
        return Parser.parse("t.scn", text);
    }

    private static Statement statement(String text) {
        return parse(Scenarios.inThread(text)).threads().get(0).body().get(0);
    }

    private static Call call(String text) {
        return (Call) statement(text);
    }

    private static Call kernelCall(String text) {
        return (Call) parse(Scenarios.inKernelThread(text)).threads().get(0).body().get(0);
    }

    // --- one snippet per row of the contract's tables ---------------------------------------

    static Stream<Arguments> tableRows() {
        return Stream.of(
                // processes and memory
                Arguments.of("fork C", Operation.FORK),
                Arguments.of("exec", Operation.EXEC),
                Arguments.of("exit", Operation.EXIT),
                Arguments.of("p = mmap 16K prot=none shared at=0x100000", Operation.MMAP),
                Arguments.of("p = mmap fd 16K offset=off prot=r at=0x200000", Operation.MMAP_FILE),
                Arguments.of("munmap p 16K", Operation.MUNMAP),
                Arguments.of("mprotect p 4K none", Operation.MPROTECT),
                Arguments.of("madvise p 4K wipeonfork", Operation.MADVISE),
                Arguments.of("write p \"hello\"", Operation.WRITE),
                Arguments.of("x = read p 4K", Operation.READ),
                Arguments.of("close fd", Operation.CLOSE),
                Arguments.of("send fd to B as theirs", Operation.SEND),
                Arguments.of("recv theirs", Operation.RECV),
                Arguments.of("signal ready", Operation.SIGNAL),
                Arguments.of("await B.exit", Operation.AWAIT),
                // DRM-style device
                Arguments.of("fd = open gpu0 cloexec", Operation.OPEN),
                Arguments.of("vm = ioctl fd vm_create", Operation.VM_CREATE),
                Arguments.of("ioctl fd vm_destroy vm", Operation.VM_DESTROY),
                Arguments.of("bo = ioctl fd gem_create 16K placement=vram,system caching=wc", Operation.GEM_CREATE),
                Arguments.of("ioctl fd gem_close bo", Operation.GEM_CLOSE),
                Arguments.of("off = ioctl fd gem_mmap_offset bo", Operation.GEM_MMAP_OFFSET),
                Arguments.of("ioctl fd vm_bind vm map bo=bo bo_offset=4K va=0x100000 size=16K", Operation.VM_BIND_MAP),
                Arguments.of("ioctl fd vm_bind vm userptr addr=p va=0x100000 size=16K", Operation.VM_BIND_USERPTR),
                Arguments.of("ioctl fd vm_bind vm unmap va=0x100000 size=4K", Operation.VM_BIND_UNMAP),
                Arguments.of("q = ioctl fd exec_queue_create vm=vm", Operation.EXEC_QUEUE_CREATE),
                Arguments.of("f = ioctl fd exec queue=q copy src=0x1000 dst=0x2000 size=4K", Operation.EXEC_COPY),
                Arguments.of("f = ioctl fd exec queue=q fill dst=0x2000 size=4K byte=0xAB", Operation.EXEC_FILL),
                Arguments.of("wait f", Operation.WAIT),
                Arguments.of("db = ioctl fd prime_handle_to_fd bo cloexec rdwr", Operation.PRIME_HANDLE_TO_FD),
                Arguments.of("bo = ioctl fd prime_fd_to_handle db", Operation.PRIME_FD_TO_HANDLE),
                // dma-buf
                Arguments.of("p = mmap db 16K", Operation.MMAP_FILE),
                Arguments.of("ioctl db dma_buf_sync end rw", Operation.DMA_BUF_SYNC),
                Arguments.of("i = ioctl db dma_buf_info", Operation.DMA_BUF_INFO),
                // accelerator framework
                Arguments.of("fd = open acc0", Operation.OPEN),
                Arguments.of("ioctl fd start_q", Operation.START_Q),
                Arguments.of("ioctl fd put_q", Operation.PUT_Q),
                Arguments.of("db = mmap fd 4K region=mmio", Operation.MMAP_FILE),
                Arguments.of("mmap fd 16K region=dus", Operation.MMAP_FILE),
                Arguments.of("h = ioctl fd mem_alloc 2M", Operation.MEM_ALLOC),
                Arguments.of("ioctl fd mem_free h", Operation.MEM_FREE),
                Arguments.of("db = ioctl fd mem_export h rdwr", Operation.MEM_EXPORT),
                Arguments.of("ioctl fd dma_map addr=p size=16K", Operation.DMA_MAP),
                Arguments.of("f = submit db op=copy src=p dst=p+8K size=4K", Operation.SUBMIT),
                // RDMA NIC
                Arguments.of("mr = ioctl fd reg_mr dmabuf=db", Operation.REG_MR_DMABUF),
                Arguments.of("mr = ioctl fd reg_mr addr=p size=16K", Operation.REG_MR_USER),
                Arguments.of("ioctl fd rdma_read mr=mr offset=0 size=4K into=p", Operation.RDMA_READ),
                Arguments.of("ioctl fd rdma_write mr=mr offset=4K data=\"x\"", Operation.RDMA_WRITE),
                // debugger
                Arguments.of("dbg = debug_attach B", Operation.DEBUG_ATTACH),
                Arguments.of("e = debug_read_event dbg", Operation.DEBUG_READ_EVENT),
                Arguments.of("v = debug_vm_open dbg vm=e.vm", Operation.DEBUG_VM_OPEN),
                Arguments.of("x = debug_vm_read v va=e.va size=4K", Operation.DEBUG_VM_READ),
                Arguments.of("debug_vm_write v va=e.va data=0x00*8", Operation.DEBUG_VM_WRITE),
                // guest VM
                Arguments.of("g = kvm_create", Operation.KVM_CREATE),
                Arguments.of("kvm_map g gpa=0 addr=p size=16K", Operation.KVM_MAP),
                Arguments.of("guest_map g gpa=0 size=16K caching=wc", Operation.GUEST_MAP),
                Arguments.of("x = guest_read g gpa=0 size=4K", Operation.GUEST_READ),
                Arguments.of("guest_write g gpa=0 data=secret \"S\"", Operation.GUEST_WRITE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tableRows")
    void tableRow_inProcessThread_parsesAsItsOperation(String text, Operation expected) {
        assertThat(call(text).operation()).isEqualTo(expected);
    }

    static Stream<Arguments> kernelRows() {
        return Stream.of(
                Arguments.of("migrate A p 16K", Operation.MIGRATE),
                Arguments.of("reclaim A A.p 4K", Operation.RECLAIM),
                Arguments.of("evict A.bo => ok|EBUSY", Operation.EVICT),
                Arguments.of("devcoredump gpu0", Operation.DEVCOREDUMP),
                Arguments.of("d = devcoredump_read gpu0 => ok|ENOENT", Operation.DEVCOREDUMP_READ),
                Arguments.of("devcoredump_delete gpu0 => ok|ENOENT", Operation.DEVCOREDUMP_DELETE),
                Arguments.of("signal done", Operation.SIGNAL),
                Arguments.of("await A.exit", Operation.AWAIT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelRows")
    void kernelActivity_inKernelThread_parsesAsItsOperation(String text, Operation expected) {
        assertThat(kernelCall(text).operation()).isEqualTo(expected);
    }

    @Test
    void everyOperation_hasATableSnippet() {
        Set<Operation> covered = EnumSet.noneOf(Operation.class);
        Stream.concat(tableRows(), kernelRows()).forEach(a -> covered.add((Operation) a.get()[1]));

        assertThat(covered).containsExactlyInAnyOrder(Operation.values());
    }

    // --- arguments --------------------------------------------------------------------------

    @Test
    void mmap_withNumber_isAnonymousAndKeepsFlagsAndKeys() {
        Call mmap = call("p = mmap 16K prot=r shared at=0x100000");

        assertThat(mmap.operation()).isEqualTo(Operation.MMAP);
        assertThat(mmap.args()).containsEntry("size", new Num(16384)).containsEntry("prot", new Word("r"))
                .containsEntry("at", new Num(0x100000));
        assertThat(mmap.hasFlag("shared")).isTrue();
    }

    @Test
    void mmap_withName_isTheFileFormWithOffsetByName() {
        Call mmap = call("p = mmap fd 16K offset=off");

        assertThat(mmap.args()).containsEntry("fd", Ref.local("fd")).containsEntry("offset", Ref.local("off"));
    }

    @Test
    void gemCreate_placementList_isOneWord() {
        assertThat(call("bo = ioctl fd gem_create 16K placement=vram,system").arg("placement"))
                .isEqualTo(new Word("vram,system"));
    }

    @Test
    void keysAndPositionals_inAnyOrder_bindTheSame() {
        Call a = call("ioctl fd vm_bind vm map bo=bo va=0x1000 size=4K");
        Call b = call("ioctl fd vm_bind vm map size=4K va=0x1000 bo=bo");

        assertThat(a.args()).isEqualTo(b.args());
        assertThat(List.copyOf(b.args().keySet())).containsExactly("fd", "vm", "bo", "va", "size");
    }

    @Test
    void address_withOffset_isOffsetOfTheName() {
        assertThat(call("munmap p+4K 4K").arg("addr")).isEqualTo(new Offset(Ref.local("p"), 4096));
        assertThat(call("munmap p-0x10 4K").arg("addr")).isEqualTo(new Offset(Ref.local("p"), -16));
        assertThat(call("munmap p - 4K 4K").arg("addr")).isEqualTo(new Offset(Ref.local("p"), -4096));
        assertThat(call("munmap A.p+1M 4K").arg("addr")).isEqualTo(new Offset(new Ref(Optional.of("A"), "p"), 1 << 20));
    }

    @Test
    void idParameters_takeNumberLiterals_whereTheKernelTakesANumber() {
        // IGT's gem_close tests pass made-up handles; fds and xe's u32 IDs are numbers too.
        assertThat(call("ioctl fd gem_close 0x10101010").arg("bo")).isEqualTo(new Num(0x10101010));
        assertThat(call("ioctl fd gem_close 0xFFFFFFFF").arg("bo")).isEqualTo(new Num(0xFFFFFFFFL));
        assertThat(call("vm = ioctl 7 vm_create").arg("fd")).isEqualTo(new Num(7));
        assertThat(call("close 99").arg("fd")).isEqualTo(new Num(99));
        assertThat(call("close -1").arg("fd")).isEqualTo(new Num(-1));
        assertThat(call("p = mmap -2147483648 4K").arg("fd")).isEqualTo(new Num(Integer.MIN_VALUE));
        assertThat(call("ioctl 3 vm_bind 2 map bo=1 va=0x100000 size=4K").args())
                .containsEntry("fd", new Num(3)).containsEntry("vm", new Num(2)).containsEntry("bo", new Num(1));
        assertThat(call("f = ioctl fd exec queue=5 fill dst=0 size=4K byte=1").arg("queue")).isEqualTo(new Num(5));
        assertThat(call("bo = ioctl fd prime_fd_to_handle 4").arg("db")).isEqualTo(new Num(4));
        assertThat(call("send 3 to B as x").arg("fd")).isEqualTo(new Num(3));
    }

    @Test
    void mmap_formByNumberOfPositionalArguments_oneIsAnonymousTwoIsAFile() {
        assertThat(call("p = mmap 4K").operation()).isEqualTo(Operation.MMAP);
        assertThat(call("p = mmap 4K shared").operation()).isEqualTo(Operation.MMAP);
        assertThat(call("p = mmap 3 4K").operation()).isEqualTo(Operation.MMAP_FILE);
        assertThat(call("p = mmap 3 4K").args()).containsEntry("fd", new Num(3)).containsEntry("size", new Num(4096));
        assertThat(call("p = mmap fd 4K prot=r").operation()).isEqualTo(Operation.MMAP_FILE);
        assertThat(call("p = mmap A.db 4K").arg("fd")).isEqualTo(new Ref(Optional.of("A"), "db"));
    }

    @Test
    void dottedName_ofAProcess_isQualifiedRef_otherwiseField() {
        assertThat(call("ioctl fd gem_close B.bo").arg("bo")).isEqualTo(new Ref(Optional.of("B"), "bo"));
        assertThat(call("v = debug_vm_open dbg vm=e.vm").arg("vm")).isEqualTo(new Field(Ref.local("e"), "vm"));
        assertThat(call("v = debug_vm_open dbg vm=B.e.vm").arg("vm"))
                .isEqualTo(new Field(new Ref(Optional.of("B"), "e"), "vm"));
    }

    @Test
    void debugVmRead_sizeFromAnEvent_isAField() {
        assertThat(call("x = debug_vm_read v va=e.va size=e.size").arg("size"))
                .isEqualTo(new Field(Ref.local("e"), "size"));
    }

    @Test
    void processAndDevice_declaredAfterUse_areKnown() {
        Scenario s = parse("""
                scenario "late"
                thread A.main:
                  fd = open gpu9
                  dbg = debug_attach Z
                process A
                process Z
                device gpu9 kind=gpu
                """);

        assertThat(((Call) s.threads().get(0).body().get(0)).arg("device")).isEqualTo(new Word("gpu9"));
    }

    @Test
    void forkedProcess_hasThreadsWithoutADeclaration() {
        Scenario s = parse(Scenarios.PRELUDE + "thread A.main:\n  fork kid\nthread kid.main:\n  exec\n");

        assertThat(s.threads().get(1).process()).isEqualTo("kid");
        assertThat(s.process("kid")).isEmpty();
    }

    @Test
    void recvName_inAnotherProcess_isBoundThere() {
        Scenario s = parse(Scenarios.PRELUDE + """
                thread A.main:
                  send fd to B as buf
                  buf = mmap 4K
                thread B.main:
                  recv buf
                """);

        assertThat(((Call) s.threads().get(1).body().get(0)).arg("name")).isEqualTo(new Word("buf"));
    }

    @Test
    void sameName_inTwoProcesses_isFine() {
        Scenario s = parse(Scenarios.PRELUDE + "thread A.main:\n  p = mmap 4K\nthread B.main:\n  p = mmap 4K\n");

        assertThat(s.threads()).hasSize(2);
    }

    // --- data literals and secrets ----------------------------------------------------------

    @Test
    void write_text_decodesEscapesToBytes() {
        Value data = call("write p \"a\\n\\\"\\\\\\x00\\xff\"").arg("data");

        assertThat(((Value.Text) data).bytes()).containsExactly('a', '\n', '"', '\\', 0x00, 0xff);
    }

    @Test
    void write_nonAsciiText_isUtf8() {
        Value data = call("write p \"é\"").arg("data");

        assertThat(((Value.Text) data).bytes()).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void write_repeatedByte_isRepeat() {
        assertThat(call("write p 0xAB*4K").arg("data")).isEqualTo(new Value.Repeat(0xab, 4096));
    }

    @Test
    void write_secret_defaultsTo64BytesAndNoReaders() {
        assertThat(call("write p secret \"S\"").arg("data")).isEqualTo(new Value.Secret("S", 64, List.of()));
    }

    @Test
    void write_secretWithSizeAndAllow_inEitherOrder() {
        Value.Secret expected = new Value.Secret("key", 128, List.of("A", "B"));

        assertThat(call("write p secret \"key\" size=128 allow A,B").arg("data")).isEqualTo(expected);
        assertThat(call("write p secret \"key\" allow A,B size=128").arg("data")).isEqualTo(expected);
    }

    // --- expectations and outcomes ----------------------------------------------------------

    @Test
    void expect_fieldAgainstUnboundName_comparesWithAWord() {
        Statement.ExpectValue e = (Statement.ExpectValue) statement("expect i.caching == wc");

        assertThat(e.subject()).isEqualTo(new Field(Ref.local("i"), "caching"));
        assertThat(e.expected()).isEqualTo(new Word("wc"));
        assertThat(e.equal()).isTrue();
    }

    @Test
    void expect_againstABoundName_comparesWithTheBinding() {
        Scenario s = parse(Scenarios.inThread("vm = ioctl fd vm_create", "expect e.vm == vm"));

        assertThat(((Statement.ExpectValue) s.threads().get(0).body().get(1)).expected()).isEqualTo(Ref.local("vm"));
    }

    @Test
    void expect_notEqualNumberDataAndOutcomes_parse() {
        assertThat(((Statement.ExpectValue) statement("expect x != 5")).expected()).isEqualTo(new Num(5));
        assertThat(((Statement.ExpectValue) statement("expect x == \"hi\"")).expected())
                .isEqualTo(new Value.Text("hi".getBytes(StandardCharsets.UTF_8)));
        assertThat(((Statement.ExpectValue) statement("expect fd == error")).expected())
                .isEqualTo(new Outcomes(false, true, Set.of()));
    }

    @Test
    void expectRead_comparesALoadWithData() {
        Statement.ExpectRead e = (Statement.ExpectRead) statement("expect read p+8 4K != 0*4K");

        assertThat(e.address()).isEqualTo(new Offset(Ref.local("p"), 8));
        assertThat(e.sizeBytes()).isEqualTo(4096);
        assertThat(e.equal()).isFalse();
        assertThat(e.expected()).isEqualTo(new Value.Repeat(0, 4096));
    }

    @Test
    void outcomes_okErrnosAndError_combine() {
        Outcomes o = call("close fd => ok|EBADF|EINTR|error").expected();

        assertThat(o.success()).isTrue();
        assertThat(o.anyError()).isTrue();
        assertThat(o.errnos()).containsExactly(Errno.EINTR, Errno.EBADF);
        assertThat(o.toString()).isEqualTo("ok|EINTR|EBADF|error");
    }

    @Test
    void statement_withoutArrow_mustSucceed() {
        assertThat(call("close fd").expected()).isEqualTo(Outcomes.SUCCESS);
    }

    @Test
    void madvise_keeponfork_isAcceptedBeyondTheContract() {
        assertThat(call("madvise p 4K keeponfork").arg("advice")).isEqualTo(new Word("keeponfork"));
    }

    @Test
    void kernelThread_waitSignalAndValueExpectations_areAllowed() {
        Scenario s = parse(Scenarios.inKernelThread("wait A.f", "expect A.f == ok", "signal done"));

        assertThat(s.threads().get(0).body()).hasSize(3);
    }

    @Test
    void regMr_formIsChosenByItsKeys() {
        assertThat(call("mr = ioctl fd reg_mr size=4K addr=p").operation()).isEqualTo(Operation.REG_MR_USER);
        assertThat(call("mr = ioctl fd reg_mr dmabuf=B.db").arg("dmabuf")).isEqualTo(new Ref(Optional.of("B"), "db"));
    }
}
