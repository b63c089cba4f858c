package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * What the model does not implement yet is refused when a scenario is loaded for running, at
 * its first use, as {@code FILE:LINE:COL: message} — never run with the statement doing nothing.
 */
class InterpreterModelCoverageTest {

    /** The refusal of a debug_attach in a scenario without a gpu: the statement names no device. */
    private static final String ATTACH_NO_GPU = "'debug_attach' is not modelled yet in a scenario without exactly one"
            + " kind=gpu device (the statement names none; this one has 0)";
    private static final String COREDUMP_NOT_GPU =
            "'devcoredump_read' takes a device of kind gpu (the xe device coredump)";
    private static final String ACCEL_RUNS = "(the model runs kind=accel as an exclusive device (exclusive=yes, with"
            + " vram= and p2p=) or as a uacce queue device (exclusive=no, with queues= and sva=yes))";

    @Test
    void parse_debugAttachWithoutGpu_refusedAtStatement() {
        assertThatThrownBy(() -> parse("""
                scenario "debugger"
                process A
                process B

                thread A.main:
                  dbg = debug_attach B
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:6:9: " + ATTACH_NO_GPU);
    }

    @Test
    void parse_debugAttachWithTwoGpus_refusedAtStatement() {
        assertThatThrownBy(() -> parse("""
                scenario "debugger, two gpus"
                device gpu0 kind=gpu
                device gpu1 kind=gpu
                process A
                process B

                thread A.main:
                  dbg = debug_attach B
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:8:9: 'debug_attach' is not modelled yet in a scenario without exactly one"
                        + " kind=gpu device (the statement names none; this one has 2)");
    }

    @Test
    void parse_debugReadEventWithTwoGpus_refusedAtStatement() {
        assertThatThrownBy(() -> parse("""
                scenario "debugger, two gpus"
                device gpu0 kind=gpu
                device gpu1 kind=gpu
                process A

                thread A.main:
                  dbg = open gpu0
                  ev = debug_read_event dbg
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessageStartingWith("inline.scn:8:8: 'debug_read_event' is not modelled yet in a scenario without"
                        + " exactly one kind=gpu device");
    }

    /** EUD-04: an event has the fields the language reference lists; another one names nothing, at load. */
    @Test
    void parse_debugEventUnknownField_refusedAtUse() {
        assertThatThrownBy(() -> parse("""
                scenario "debugger"
                device gpu0 kind=gpu
                process A
                process B

                thread A.main:
                  dbg = debug_attach B
                  ev = debug_read_event dbg
                  expect ev.addr == 0x1000
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:9:10: 'ev.addr' names nothing: a debugger event has no field 'addr' (its"
                        + " fields: bind, binds, client, flags, handle, seqno, size, type, va, vm)");
    }

    @Test
    void parse_debugAttachWithOneGpu_accepted() {
        Scenario s = parse("""
                scenario "debugger"
                device gpu0 kind=gpu
                process A
                process B

                thread A.main:
                  dbg = debug_attach B
                """);

        assertThat(s.threads()).hasSize(1);
    }

    @Test
    void parse_primeStatementsDmaBufMmapAndSync_accepted() {
        Scenario s = parse("""
                scenario "prime export and import"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  db = ioctl fd prime_handle_to_fd bo cloexec rdwr
                  h  = ioctl fd prime_fd_to_handle db
                  m  = mmap db 4K prot=r
                  ioctl db dma_buf_sync start rw
                  ioctl db dma_buf_sync end rw
                """);

        assertThat(s.threads().get(0).body()).hasSize(7);
    }

    @Test
    void parse_accelDeviceWithoutExclusive_acceptedAsUacceQueueDevice() {
        // exclusive defaults to no: a queue-based (uacce) accelerator, SVA by default.
        Scenario s = parse("""
                scenario "accelerator"
                device acc0 kind=accel queues=4 sva=yes exclusive=no
                process A
                """);

        assertThat(s.device("acc0")).get().extracting(Device::queueCount, Device::sva).containsExactly(4, true);
    }

    @Test
    void parse_svaNoVramAndP2pOnUacceDevice_eachRefusedAtItsKey() {
        assertThatThrownBy(() -> parse("""
                scenario "uacce without sva"
                device acc0 kind=accel sva=no vram=1M p2p=no
                process A
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> assertThat(e.problems())
                        .extracting(ScenarioError.Problem::message)
                        .containsExactly("inline.scn:2:24: 'sva=no' is not modelled for kind=accel yet " + ACCEL_RUNS,
                                "inline.scn:2:31: 'vram=' is not modelled for kind=accel yet " + ACCEL_RUNS,
                                "inline.scn:2:39: 'p2p=' is not modelled for kind=accel yet " + ACCEL_RUNS));
    }

    @Test
    void parse_designAccelEveryValue_accepted() {
        parse("""
                scenario "accel designs"
                design accel=*
                device acc0 kind=accel
                process A
                """);
    }

    @Test
    void parse_dmaMap_accepted() {
        parse("""
                scenario "dma_map"
                device acc0 kind=accel
                process A

                thread A.main:
                  q = open acc0
                  ioctl q dma_map addr=0x10000 size=4K
                """);
    }

    @Test
    void parse_exclusiveAccelWithVramAndP2p_accepted() {
        Scenario s = parse("""
                scenario "habanalabs"
                device hl0 kind=accel vram=1G p2p=yes exclusive=yes
                process A
                """);

        assertThat(s.device("hl0")).get().extracting(Device::vramBytes, Device::exclusive).containsExactly(1L << 30, true);
    }

    @Test
    void parse_exclusiveYesOnGpu_refusedAtAttributeNamingWhatAGpuRuns() {
        assertThatThrownBy(() -> parse("""
                scenario "exclusive gpu"
                device gpu0 kind=gpu exclusive=yes
                process A
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:2:22: 'exclusive=yes' is not modelled for kind=gpu yet"
                        + " (the model runs vram=, p2p=, sva=no and exclusive=no on a gpu)");
    }

    @Test
    void parse_svaYesOnGpu_refusedAtAttribute() {
        assertThatThrownBy(() -> parse("""
                scenario "sva gpu"
                device gpu0 kind=gpu vram=64M sva=yes
                process A
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:2:31: 'sva=yes' is not modelled for kind=gpu yet"
                        + " (the model runs vram=, p2p=, sva=no and exclusive=no on a gpu)");
    }

    @Test
    void parse_queuesOnGpu_refusedEvenAtItsDefault() {
        // Nothing in the model's gpu counts hardware queues, so even queues=16 would claim a limit
        // the run does not have.
        assertThatThrownBy(() -> parse("""
                scenario "gpu queues"
                device gpu0 kind=gpu queues=16
                process A
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:2:22: 'queues=' is not modelled for kind=gpu yet"
                        + " (the model runs vram=, p2p=, sva=no and exclusive=no on a gpu)");
    }

    @Test
    void parse_gpuWithEveryAttributeTheModelRuns_accepted() {
        Scenario s = parse("""
                scenario "gpu attributes"
                device gpu0 kind=gpu vram=64M p2p=yes sva=no exclusive=no
                process A
                """);

        assertThat(s.device("gpu0")).get().extracting(Device::vramBytes, Device::p2p).containsExactly(64L << 20, true);
    }

    @Test
    void parse_queuesAndSvaOnExclusiveAccel_eachRefusedAtItsKey() {
        assertThatThrownBy(() -> parse("""
                scenario "habanalabs"
                device hl0 kind=accel vram=1G queues=2 sva=no p2p=yes exclusive=yes
                process A
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> assertThat(e.problems())
                        .extracting(ScenarioError.Problem::message)
                        .containsExactly("inline.scn:2:31: 'queues=' is not modelled for kind=accel yet " + ACCEL_RUNS,
                                "inline.scn:2:40: 'sva=no' is not modelled for kind=accel yet " + ACCEL_RUNS));
    }

    @Test
    void parse_vramOnRdma_refusedAsAttributeTheKindLacks() {
        // No statement places memory on a NIC (reg_mr registers memory that lives elsewhere), so
        // vram= is refused for what it is.
        assertThatThrownBy(() -> parse("""
                scenario "nic"
                device nic0 kind=rdma vram=1G p2p=yes
                process A
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> assertThat(e.problems())
                        .extracting(ScenarioError.Problem::message)
                        .containsExactly(
                                "inline.scn:2:23: devices of kind rdma have no vram ('vram=' is for kind=gpu and kind=accel)"));
    }

    @Test
    void parse_rdmaAttributesNotRun_eachRefusedAtItsKey() {
        // ib_uverbs_open refuses no second open and the model has no on-demand paging or NIC
        // queues: exclusive=yes, sva=yes and queues= would silently do nothing.
        assertThatThrownBy(() -> parse("""
                scenario "nic"
                device nic0 kind=rdma p2p=yes exclusive=yes sva=yes queues=4
                process A
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> assertThat(e.problems())
                        .extracting(ScenarioError.Problem::message)
                        .containsExactly(
                                "inline.scn:2:31: 'exclusive=yes' is not modelled for kind=rdma yet"
                                        + " (the model runs p2p=, sva=no and exclusive=no on an rdma NIC)",
                                "inline.scn:2:45: 'sva=yes' is not modelled for kind=rdma yet"
                                        + " (the model runs p2p=, sva=no and exclusive=no on an rdma NIC)",
                                "inline.scn:2:53: 'queues=' is not modelled for kind=rdma yet"
                                        + " (the model runs p2p=, sva=no and exclusive=no on an rdma NIC)"));
    }

    @Test
    void parse_rdmaDeviceWithAttributesItRuns_loads() {
        assertThat(parse("""
                scenario "nic"
                device nic0 kind=rdma p2p=no sva=no exclusive=no
                process A
                """).devices()).hasSize(1);
    }

    @Test
    void parse_gpuAttributesNotRun_eachReportedWithTheOtherProblemsInFileOrder() {
        assertThatThrownBy(() -> parse("""
                scenario "several"
                process A

                thread A.main:
                  dbg = devcoredump_read nic0

                device gpu0 kind=gpu exclusive=yes queues=4
                device nic0 kind=rdma
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> assertThat(e.problems())
                        .extracting(ScenarioError.Problem::message).containsExactly(
                                "inline.scn:5:9: " + COREDUMP_NOT_GPU,
                                "inline.scn:7:22: 'exclusive=yes' is not modelled for kind=gpu yet"
                                        + " (the model runs vram=, p2p=, sva=no and exclusive=no on a gpu)",
                                "inline.scn:7:36: 'queues=' is not modelled for kind=gpu yet"
                                        + " (the model runs vram=, p2p=, sva=no and exclusive=no on a gpu)"));
    }

    @Test
    void parse_debuggerPtrace_accepted() {
        Scenario s = parse("""
                scenario "debugger designs"
                design userptr=*
                design debugger=*
                process A
                """);

        assertThat(s.designs()).last().satisfies(line -> assertThat(line.values())
                .containsExactly("eudebug", "eudebug-no-retry", "ptrace"));
    }

    @Test
    void parse_debuggerEudebugValues_accepted() {
        Scenario s = parse("""
                scenario "debugger designs"
                design debugger=eudebug,eudebug-no-retry
                process A
                """);

        assertThat(s.designs()).singleElement().satisfies(line -> assertThat(line.values())
                .containsExactly("eudebug", "eudebug-no-retry"));
    }

    @Test
    void parse_gemCreateCachingWcAndEvict_accepted() {
        // The caching mode is recorded (no incoherence checks yet); evict is modelled.
        Scenario s = parse("""
                scenario "write-combined"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K placement=vram caching=wc

                thread kernel.evictor:
                  evict A.bo
                """);

        assertThat(s.threads()).hasSize(2);
    }

    @Test
    void parse_gemCreateCachingWb_accepted() {
        Scenario s = parse("""
                scenario "write-back"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K caching=wb
                """);

        assertThat(s.threads()).hasSize(1);
    }

    @Test
    void parse_refusal_renderShowsLineAndCaret() {
        assertThatThrownBy(() -> parse("""
                scenario "debugger"
                process A
                process B

                thread A.main:
                  dbg = debug_attach B
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> assertThat(e.render()).isEqualTo("""
                        inline.scn:6:9: %s
                          dbg = debug_attach B
                                ^""".formatted(ATTACH_NO_GPU)));
    }

    @Test
    void parse_severalUnmodelledThings_everyOneReportedInFileOrder() {
        assertThatThrownBy(() -> parse("""
                scenario "three problems"
                process A
                process B

                thread A.main:
                  dbg = debug_attach B
                  k = devcoredump_read acc0

                device acc0 kind=accel sva=no
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> {
                    assertThat(e.problems()).extracting(ScenarioError.Problem::message).containsExactly(
                            "inline.scn:6:9: " + ATTACH_NO_GPU,
                            "inline.scn:7:7: " + COREDUMP_NOT_GPU,
                            "inline.scn:9:24: 'sva=no' is not modelled for kind=accel yet " + ACCEL_RUNS);
                    assertThat(e.render()).isEqualTo("""
                            inline.scn:6:9: %s
                              dbg = debug_attach B
                                    ^
                            inline.scn:7:7: 'devcoredump_read' takes a device of kind gpu (the xe device coredump)
                              k = devcoredump_read acc0
                                  ^
                            inline.scn:9:24: 'sva=no' is not modelled for kind=accel yet %s
                            device acc0 kind=accel sva=no
                                                   ^""".formatted(ATTACH_NO_GPU, ACCEL_RUNS));
                });
    }
}
