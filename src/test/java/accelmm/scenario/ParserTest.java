package accelmm.scenario;

import accelmm.check.InvariantKind;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.scenario.Statement.Call;
import accelmm.scenario.Value.Num;
import accelmm.scenario.Value.Ref;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whole files parse: the contract's example, the top-level lines, comments and indentation. */
class ParserTest {

    private static Scenario parse(String text) {
        return Parser.parse("t.scn", text);
    }

    // --- the contract's example -------------------------------------------------------------

    @Test
    void contractExample_verbatim_parses() {
        Scenario s = parse(Scenarios.CONTRACT_EXAMPLE);

        assertThat(s.title()).isEqualTo("userptr mirror survives munmap race");
        assertThat(s.designs()).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo(DesignKey.USERPTR);
            assertThat(d.everyValue()).isTrue();
            assertThat(d.values()).containsExactly("hmm", "pin", "hmm-no-retry");
        });
        assertThat(s.devices()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(Device.Kind.GPU);
            assertThat(d.vramBytes()).isEqualTo(64L << 20);
        });
        assertThat(s.processes()).extracting(ProcessDecl::name).containsExactly("A");
        assertThat(s.threads()).extracting(ThreadBlock::qualifiedName).containsExactly("A.main", "A.unmapper");
        assertThat(s.threads().get(0).body()).hasSize(11);
        assertThat(s.verdicts()).hasSize(2);
    }

    @Test
    void contractExample_statements_haveTheirOperationsInOrder() {
        List<Statement> body = parse(Scenarios.CONTRACT_EXAMPLE).threads().get(0).body();

        assertThat(body.subList(0, 10)).extracting(st -> ((Call) st).operation()).containsExactly(
                Operation.OPEN, Operation.MMAP, Operation.WRITE, Operation.VM_CREATE, Operation.VM_BIND_USERPTR,
                Operation.GEM_CREATE, Operation.VM_BIND_MAP, Operation.EXEC_QUEUE_CREATE, Operation.EXEC_COPY,
                Operation.WAIT);
        assertThat(body.get(10)).isInstanceOf(Statement.ExpectValue.class);
    }

    @Test
    void contractExample_execCopy_bindsEveryArgumentByName() {
        Call exec = (Call) parse(Scenarios.CONTRACT_EXAMPLE).threads().get(0).body().get(8);

        assertThat(exec.binding()).contains("f");
        assertThat(exec.args()).containsExactly(
                java.util.Map.entry("fd", Ref.local("fd")), java.util.Map.entry("queue", Ref.local("q")),
                java.util.Map.entry("src", new Num(0x100000)), java.util.Map.entry("dst", new Num(0x200000)),
                java.util.Map.entry("size", new Num(16384)));
        assertThat(exec.position()).isEqualTo(new Position(15, 3));
        assertThat(exec.source()).isEqualTo("f   = ioctl fd exec queue=q copy src=0x100000 dst=0x200000 size=16K");
    }

    @Test
    void contractExample_outcomeList_allowsOkAndEfault() {
        Call write = (Call) parse(Scenarios.CONTRACT_EXAMPLE).threads().get(0).body().get(2);

        assertThat(write.expected()).isEqualTo(new Outcomes(true, false, Set.of(Errno.EFAULT)));
        assertThat(write.expected().toString()).isEqualTo("ok|EFAULT");
    }

    @Test
    void contractExample_verdicts_carryTheirConditions() {
        List<Verdict> verdicts = parse(Scenarios.CONTRACT_EXAMPLE).verdicts();

        assertThat(verdicts.get(0)).isEqualTo(new Verdict.Clean(new Position(22, 1),
                List.of(new Verdict.Condition(DesignKey.USERPTR, List.of("hmm"), new Position(22, 19),
                        List.of(new Position(22, 27))))));
        assertThat(verdicts.get(1)).isEqualTo(new Verdict.Violation(new Position(23, 1),
                Set.of(InvariantKind.USE_AFTER_FREE),
                List.of(new Verdict.Condition(DesignKey.USERPTR, List.of("hmm-no-retry"), new Position(23, 38),
                        List.of(new Position(23, 46))))));
    }

    @Test
    void kitchenSink_everyStatementKind_parses() {
        Scenario s = parse(Scenarios.KITCHEN_SINK);

        assertThat(s.threads()).extracting(ThreadBlock::qualifiedName)
                .containsExactly("A.main", "C.child", "V.main", "kernel.reclaimer");
        assertThat(s.threads().get(2).afterEvent()).contains("ready");
    }

    // --- top level --------------------------------------------------------------------------

    @Test
    void device_defaults_dependOnKind() {
        Scenario s = parse(Scenarios.PRELUDE);

        assertThat(s.device("gpu0")).get().isEqualTo(new Device(new Position(2, 8), "gpu0", Device.Kind.GPU,
                256L << 20, 16, false, false, false, List.of()));
        assertThat(s.device("acc0")).get().extracting(Device::sva).isEqualTo(true);
        assertThat(s.device("nic0")).get().extracting(Device::vramBytes).isEqualTo(0L);
    }

    @Test
    void device_everyAttribute_isTyped() {
        Device d = parse("scenario \"d\"\ndevice hl0 kind=accel vram=1G queues=2 sva=no p2p=yes exclusive=yes\n")
                .devices().get(0);

        assertThat(d).isEqualTo(new Device(new Position(2, 8), "hl0", Device.Kind.ACCEL, 1L << 30, 2, false, true, true,
                List.of(new Device.Written(Device.Attribute.VRAM, new Position(2, 23)),
                        new Device.Written(Device.Attribute.QUEUES, new Position(2, 31)),
                        new Device.Written(Device.Attribute.SVA, new Position(2, 40)),
                        new Device.Written(Device.Attribute.P2P, new Position(2, 47)),
                        new Device.Written(Device.Attribute.EXCLUSIVE, new Position(2, 55)))));
    }

    @Test
    void device_vramOnRdma_parsesAndIsKeptForTheLoadCheck() {
        // The contract's grammar gives every kind every attribute; what a kind lacks is refused
        // at load, with the scenario's other problems (ModelCoverage).
        Device d = parse("scenario \"d\"\ndevice nic0 kind=rdma vram=1G\n").devices().get(0);

        assertThat(d.written()).containsExactly(new Device.Written(Device.Attribute.VRAM, new Position(2, 23)));
    }

    @Test
    void process_uidAndCaps_parse() {
        ProcessDecl p = parse("scenario \"p\"\nprocess dbg uid=0 caps=sys_ptrace,sys_admin\nprocess q\n").processes().get(0);

        assertThat(p.uid()).isZero();
        assertThat(p.caps()).containsExactly(ProcessDecl.Capability.SYS_PTRACE, ProcessDecl.Capability.SYS_ADMIN);
        assertThat(parse("scenario \"p\"\nprocess q\n").processes().get(0).uid()).isEqualTo(1000);
    }

    @Test
    void design_valueList_keepsOrder() {
        DesignLine d = parse("scenario \"d\"\ndesign accel=pin,sva\n").designs().get(0);

        assertThat(d.values()).containsExactly("pin", "sva");
        assertThat(d.everyValue()).isFalse();
    }

    @Test
    void noDesignLine_meansNoMatrix() {
        assertThat(parse("scenario \"d\"\n").designs()).isEmpty();
    }

    @Test
    void expectViolation_severalInvariants_andWhenWithSeveralKeys() {
        Verdict v = parse("scenario \"v\"\nexpect violation leak|deadlock when fork=legacy,accel=pin,pin-notifier\n")
                .verdicts().get(0);

        assertThat(((Verdict.Violation) v).invariants()).containsExactly(InvariantKind.LEAK, InvariantKind.DEADLOCK);
        assertThat(v.when()).containsExactly(
                new Verdict.Condition(DesignKey.FORK, List.of("legacy"), new Position(2, 37),
                        List.of(new Position(2, 42))),
                new Verdict.Condition(DesignKey.ACCEL, List.of("pin", "pin-notifier"), new Position(2, 49),
                        List.of(new Position(2, 55), new Position(2, 59))));
        assertThat(v.appliesTo(java.util.Map.of(DesignKey.FORK, "legacy", DesignKey.ACCEL, "pin-notifier"))).isTrue();
        assertThat(v.appliesTo(java.util.Map.of(DesignKey.FORK, "legacy"))).isFalse();
    }

    @Test
    void everyInvariantName_expectationToo_isAccepted() {
        for (InvariantKind i : InvariantKind.values()) {
            Verdict v = parse("scenario \"v\"\nexpect violation " + i.scenarioName() + "\n").verdicts().get(0);
            assertThat(((Verdict.Violation) v).invariants()).containsExactly(i);
        }
    }

    @Test
    void expectViolation_expectationWithAKernelInvariant_namesBoth() {
        Verdict v = parse("scenario \"v\"\nexpect violation use-after-free|expectation when fork=legacy\n")
                .verdicts().get(0);

        assertThat(((Verdict.Violation) v).invariants())
                .containsExactly(InvariantKind.USE_AFTER_FREE, InvariantKind.EXPECTATION);
        assertThat(v.describe()).isEqualTo("expect violation use-after-free|expectation");
    }

    @Test
    void everyDesignKeyAndValue_isAccepted() {
        for (DesignKey k : DesignKey.values()) {
            for (String value : k.choices()) {
                DesignLine d = parse("scenario \"d\"\ndesign " + k.word() + "=" + value + "\n").designs().get(0);
                assertThat(d.key()).isEqualTo(k);
                assertThat(d.values()).containsExactly(value);
            }
        }
    }

    @Test
    void threadAfterEvent_andKernelThread_parse() {
        Scenario s = parse(Scenarios.PRELUDE + "thread B.w after A.exit:\n  exit\nthread kernel.r:\n  reclaim A p 4K\n");

        assertThat(s.threads().get(0).afterEvent()).contains("A.exit");
        assertThat(s.threads().get(1).isKernel()).isTrue();
    }

    @Test
    void commentsBlankLinesAndCrlf_areIgnored() {
        Scenario s = parse("# header\r\n\r\nscenario \"c\"   # title\r\n   \r\nprocess A\r\n"
                + "thread A.main:\r\n\r\n    # inside\r\n    exit  # bye\r\n");

        assertThat(s.threads().get(0).body()).singleElement().extracting(Statement::source).isEqualTo("exit");
    }

    @Test
    void blockIndentation_isSetByTheFirstLine() {
        Scenario s = parse(Scenarios.PRELUDE + "thread A.main:\n      exec\n      exit\nthread B.main:\n exit\n");

        assertThat(s.threads()).extracting(t -> t.body().size()).containsExactly(2, 1);
    }
}
