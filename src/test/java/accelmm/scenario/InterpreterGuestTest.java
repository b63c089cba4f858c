package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.parse;
import static accelmm.scenario.InterpreterHarness.run;
import static accelmm.scenario.InterpreterHarness.traceLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.check.RunResult;
import accelmm.check.Violation;
import org.junit.jupiter.api.Test;

/**
 * The guest statements ({@code kvm_create}, {@code kvm_map}, {@code guest_map}, {@code
 * guest_read}, {@code guest_write}) and the VMM's {@code guest-caching} policy.
 */
class InterpreterGuestTest {

    /** FEAT_S2FWB is arm64's (CA-03): an x86 guest, the default, has no such option. */
    @Test
    void kvmCreate_fwbWithX86_refusedAtKey() {
        assertThatThrownBy(() -> parse("""
                scenario "fwb on x86"
                process A

                thread A.main:
                  g = kvm_create fwb=yes
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:5:18: fwb= is an arm64 option, and this guest is arch=x86 (fwb= is arm64's"
                        + " FEAT_S2FWB; arch= left out is x86)");
    }

    /** KVM_X86_QUIRK_IGNORE_GUEST_PAT is x86's (CA-02). */
    @Test
    void kvmCreate_guestPatWithArm64_refusedAtKey() {
        assertThatThrownBy(() -> parse("""
                scenario "guest-pat on arm64"
                process A

                thread A.main:
                  g = kvm_create guest-pat=ignore arch=arm64
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:5:18: guest-pat= is an x86 option, and this guest is arch=arm64"
                        + " (guest-pat= is x86's KVM_X86_QUIRK_IGNORE_GUEST_PAT)");
    }

    /** A VMM with a write-combined buffer's dma-buf mapped at 0x10000000 and given to a guest at gpa 1M. */
    private static String wcBufferInGuest(String design, boolean askFirst) {
        return """
                scenario "a wc buffer in a guest"
                design guest-caching=%s
                device gpu0 kind=gpu vram=0
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 16K placement=system caching=wc
                  db = ioctl fd prime_handle_to_fd bo rdwr
                  %s
                  p  = mmap db 16K
                  write p "wc bytes"
                  g  = kvm_create
                  kvm_map g gpa=0x100000 addr=p size=16K
                  guest_map g gpa=0x100000 size=16K
                  x  = guest_read g gpa=0x100000 size=8
                """.formatted(design, askFirst ? "i  = ioctl db dma_buf_info" : "signal nothing-asked");
    }

    /** DBI-02: the VMM maps the guest's side with the type the exporter stated, wc. */
    @Test
    void guestMap_fromInfo_usesQueriedWc() {
        RunResult r = run(wcBufferInGuest("from-info", true), 1);

        assertThat(r.violated()).as("%s", r.violation()).isFalse();
        assertThat(traceLines(r)).contains(
                "A.main: guest_map g gpa=0x100000 size=16K -> ok (wc: from-info, dma-buf 2 read as wc)",
                "A.main: x = guest_read g gpa=0x100000 size=8 -> 8 bytes as wc (stage 1 wc, EPT wb, guest PAT honoured)");
    }

    /** A VMM that never asked maps write-back, as one without the query does (DBI-05). */
    @Test
    void guestMap_fromInfoNeverQueried_guessesWb() {
        RunResult r = run(wcBufferInGuest("from-info", false), 1);

        assertThat(traceLines(r)).contains(
                "A.main: guest_map g gpa=0x100000 size=16K -> ok (wb: from-info, dma_buf_info never read for dma-buf 2)");
        assertThat(r.violation().invariant().scenarioName()).isEqualTo("incoherent-access");
    }

    @Test
    void guestMap_guessWb_mapsWbThoughTheVmmAsked() {
        RunResult r = run(wcBufferInGuest("guess-wb", true), 1);

        assertThat(traceLines(r)).contains("A.main: guest_map g gpa=0x100000 size=16K -> ok (wb: guess-wb)");
        assertThat(r.violation().invariant().scenarioName()).isEqualTo("incoherent-access");
    }

    /** An explicit caching= is the guest's own choice: no design is consulted, nothing traced about it. */
    @Test
    void guestMap_cachingWritten_takesItAsIs() {
        RunResult r = run("""
                scenario "guest maps anonymous memory uc"
                process A

                thread A.main:
                  p = mmap 16K
                  g = kvm_create
                  kvm_map g gpa=0 addr=p size=16K
                  guest_map g gpa=0 size=16K caching=uc
                  x = guest_read g gpa=0 size=8
                """, 1);

        assertThat(traceLines(r)).contains("A.main: guest_map g gpa=0 size=16K caching=uc -> ok",
                "A.main: x = guest_read g gpa=0 size=8 -> 8 bytes as uc (stage 1 uc, EPT wb, guest PAT honoured)");
    }

    /** KVM_RUN and KVM_SET_USER_MEMORY_REGION on a file that is no VM: its ioctl does not know them. */
    @Test
    void guestRead_notAVmFd_enotty() {
        Violation v = firstViolation("""
                scenario "guest statements on other files"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  p  = mmap 16K
                  x  = guest_read fd gpa=0 size=8          => ENOTTY
                  guest_write fd gpa=0 data="x"            => ENOTTY
                  kvm_map fd gpa=0 addr=p size=16K         => ENOTTY
                  guest_map fd gpa=0 size=16K              => ENOTTY
                """);

        assertThat(v).isNull();
    }

    /** kvm_vm_ioctl: a VM's ioctls from another mm are -EIO (the VM fd sent to another process). */
    @Test
    void kvmMap_fromAnotherProcess_eio() {
        Violation v = firstViolation("""
                scenario "a VM fd in another process"
                process A
                process B

                thread A.main:
                  g = kvm_create
                  send g to B as vm

                thread B.main:
                  recv vm
                  p = mmap 16K
                  kvm_map vm gpa=0 addr=p size=16K         => EIO
                  x = guest_read vm gpa=0 size=8           => EIO
                """);

        assertThat(v).isNull();
    }

    /** kvm_set_memory_region: unaligned, overlapping. guest access without a memslot: EFAULT (an MMIO exit). */
    @Test
    void guestStatements_errnos_asKvmReturnsThem() {
        Violation v = firstViolation("""
                scenario "guest errnos"
                process A

                thread A.main:
                  p = mmap 16K
                  g = kvm_create
                  kvm_map g gpa=0x100 addr=p size=16K      => EINVAL
                  kvm_map g gpa=0 addr=p size=16K
                  kvm_map g gpa=0x2000 addr=p size=4K      => EEXIST
                  guest_map g gpa=0x100000 size=4K
                  x = guest_read g gpa=0x100000 size=8     => EFAULT
                  y = guest_read g gpa=0 size=8            => EFAULT
                """);

        assertThat(v).isNull();
    }

    @Test
    void kvmCreate_trace_namesTheHost() {
        RunResult r = run("""
                scenario "hosts"
                process A

                thread A.main:
                  g1 = kvm_create
                  g2 = kvm_create arch=arm64
                  g3 = kvm_create arch=arm64 fwb=yes
                  g4 = kvm_create guest-pat=ignore
                """, 1);

        assertThat(traceLines(r)).contains("A.main: g1 = kvm_create -> 0 (x86, guest PAT honoured)",
                "A.main: g2 = kvm_create arch=arm64 -> 1 (arm64, no FWB)",
                "A.main: g3 = kvm_create arch=arm64 fwb=yes -> 2 (arm64, FWB)",
                "A.main: g4 = kvm_create guest-pat=ignore -> 3 (x86, guest PAT ignored)");
    }

    @Test
    void guestStatements_modelled_loadForRunningWithTheirDesigns() {
        Scenario s = parse("""
                scenario "every guest statement"
                design kvm=*
                design guest-caching=*
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  db = ioctl fd prime_handle_to_fd bo rdwr
                  i  = ioctl db dma_buf_info
                  p  = mmap db 4K
                  g  = kvm_create arch=arm64 fwb=yes
                  kvm_map g gpa=0 addr=p size=4K
                  guest_map g gpa=0 size=4K
                  x  = guest_read g gpa=0 size=8
                  guest_write g gpa=0 data="x"
                """);

        assertThat(s.threads().get(0).body()).hasSize(10);
        assertThat(DesignMatrix.combinations(s)).hasSize(4);
    }

    /**
     * DBI-02 has no uncached value: a uc buffer answers incoherent, which the VMM maps wb (the
     * CPU's way to use an incoherent buffer, with SYNC brackets a guest cannot issue), over the
     * exporter's UC pages.
     */
    @Test
    void guestMap_fromInfoIncoherent_mapsWbOverUcPages() {
        RunResult r = run("""
                scenario "an uncached buffer in a guest"
                device gpu0 kind=gpu vram=0
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 16K placement=system caching=uc
                  db = ioctl fd prime_handle_to_fd bo rdwr
                  i  = ioctl db dma_buf_info
                  expect i.caching == incoherent
                  p  = mmap db 16K
                  g  = kvm_create
                  kvm_map g gpa=0 addr=p size=16K
                  guest_map g gpa=0 size=16K
                  x  = guest_read g gpa=0 size=8
                """, 1);

        assertThat(traceLines(r)).contains(
                "A.main: guest_map g gpa=0 size=16K -> ok (wb: from-info, dma-buf 2 read as incoherent)");
        assertThat(r.violation().invariant().scenarioName()).isEqualTo("incoherent-access");
    }

    /** Memory that is no dma-buf (the VMM's anonymous memory) is mapped wb under from-info. */
    @Test
    void guestMap_fromInfoOverAnonymousMemory_mapsWb() {
        RunResult r = run("""
                scenario "anonymous guest memory"
                process A

                thread A.main:
                  p = mmap 16K
                  g = kvm_create
                  kvm_map g gpa=0 addr=p size=16K
                  guest_map g gpa=0 size=16K
                  x = guest_read g gpa=0 size=8
                """, 1);

        assertThat(r.violated()).as("%s", r.violation()).isFalse();
        assertThat(traceLines(r)).contains(
                "A.main: guest_map g gpa=0 size=16K -> ok (wb: from-info, no dma-buf at the memslot's address)");
    }

    /** Without a memslot at gpa there is no host address to look behind: the trace says so. */
    @Test
    void guestMap_fromInfoWithoutMemslot_saysNoMemslot() {
        RunResult r = run("""
                scenario "guest maps where no memslot is"
                process A

                thread A.main:
                  g = kvm_create
                  guest_map g gpa=0 size=16K
                """, 1);

        assertThat(traceLines(r)).contains("A.main: guest_map g gpa=0 size=16K -> ok (wb: from-info, no memslot)");
    }

    /** A refused guest_map maps nothing, so no type is traced with its EINVAL. */
    @Test
    void guestMap_unalignedSize_einvalWithoutChoice() {
        RunResult r = run("""
                scenario "unaligned guest_map"
                process A

                thread A.main:
                  g = kvm_create
                  guest_map g gpa=0 size=100
                """, 1);

        assertThat(traceLines(r)).contains("A.main: guest_map g gpa=0 size=100 -> EINVAL");
    }

    /**
     * A guest load's buffer is allocated at once, so its size is a count like read's: refused at
     * load above 64M rather than failing the model or allocating gigabytes.
     */
    @Test
    void guestRead_sizeOver64M_refusedAtLoad() {
        assertThatThrownBy(() -> parse("""
                scenario "huge guest read"
                process A

                thread A.main:
                  g = kvm_create
                  x = guest_read g gpa=0 size=0x100000000
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:6:31: at most 64M bytes are read or compared at once, got '0x100000000'");
    }

    /**
     * KVM_SET_USER_MEMORY_REGION's memory_size is a u64: one past TASK_SIZE fails access_ok and
     * one over KVM_MEM_MAX_NR_PAGES pages is refused (kvm_set_memory_region), both EINVAL, never a
     * model error. The guest's own mapping has no such limit: a huge one is just recorded.
     */
    @Test
    void kvmMapAndGuestMap_hugeSizes_einvalOrMapped() {
        Violation v = firstViolation("""
                scenario "huge guest sizes"
                process A

                thread A.main:
                  p = mmap 16K
                  g = kvm_create
                  kvm_map g gpa=0 addr=p size=0x7ffffffffffff000        => EINVAL
                  kvm_map g gpa=0 addr=p size=0x7fffffffffffffff        => EINVAL
                  kvm_map g gpa=0 addr=p size=0x100000000000            => EINVAL
                  guest_map g gpa=0x7ffffffffffff000 size=0x7ffffffffffff000 caching=wb
                  guest_map g gpa=0 size=0x7fffffffffffffff caching=wb  => EINVAL
                """);

        assertThat(v).isNull();
    }
}
