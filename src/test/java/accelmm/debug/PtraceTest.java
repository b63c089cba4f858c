package accelmm.debug;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.drm.DrmDevice;
import accelmm.drm.DrmFd;
import accelmm.drm.DrmFile;
import accelmm.mm.Errno;
import accelmm.mm.Kernel;
import accelmm.mm.PageFrame;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * PTRACE_ATTACH's rules (PTR-01/02: kernel/ptrace.c {@code ptrace_attach} and {@code
 * __ptrace_may_access}, security/commoncap.c {@code cap_ptrace_access_check},
 * security/yama/yama_lsm.c at scope 1), the stop it imposes until detach or the tracer's exit,
 * PTRACE_PEEKDATA through {@code ptrace_access_vm} (PTR-04: -EIO when short), and {@code
 * process_vm_readv} (PTR-03, mm/process_vm_access.c: {@code mm_access}'s refusal as -EPERM,
 * {@code pin_user_pages_remote} only, so a GEM mmap is -EFAULT where nothing was read).
 */
class PtraceTest {

    private final Simulation sim = new Simulation(new RandomChoiceSource(1), true, 200_000);
    private final Kernel kernel = new Kernel(sim, Designs.defaults());
    private int stateChanges;
    private final Ptrace ptrace = new Ptrace(sim, () -> stateChanges++);
    private final Task debugger = kernel.createProcess("D", 1000);
    private final Task sibling = kernel.createProcess("S", 1000);

    /** Yama scope 1: the same uid is not enough when the tracer is not an ancestor. */
    @Test
    void ptr02_attach_sameUidNotAncestor_eperm() {
        assertThat(ptrace.attach(debugger, false, sibling, true)).isEqualTo(Errno.EPERM.neg());
        assertThat(ptrace.stopped(sibling)).isFalse();
    }

    /** Yama's task_is_descendant walks real_parent: a grandchild is traced by its grandparent. */
    @Test
    void ptr02_attach_ancestorSameUid_stopsTheTracee() {
        Task child = debugger.fork("C");
        Task grandchild = child.fork("G");

        assertThat(ptrace.attach(debugger, false, grandchild, true)).isZero();

        assertThat(ptrace.stopped(grandchild)).isTrue();
        assertThat(ptrace.tracer(grandchild)).isSameAs(debugger);
        assertThat(ptrace.stopReason(grandchild)).isEqualTo("stopped by ptrace from D");
    }

    /** CAP_SYS_PTRACE passes the uid test and Yama's relation test both. */
    @Test
    void ptr02_attach_otherUidWithCapSysPtrace_attaches() {
        Task other = kernel.createProcess("O", 1001);

        assertThat(ptrace.attach(debugger, true, other, true)).isZero();
    }

    /** __ptrace_may_access: another uid without CAP_SYS_PTRACE, even as the parent, is -EPERM. */
    @Test
    void ptr01_attach_otherUidChildWithoutCap_eperm() {
        Task child = debugger.fork("C");
        Task stranger = kernel.createProcess("X", 1001);
        Task strangersChild = stranger.fork("XC");

        assertThat(ptrace.attach(debugger, false, strangersChild, true)).isEqualTo(Errno.EPERM.neg());
        assertThat(ptrace.attach(debugger, false, child, true)).isZero();
    }

    /** cap_ptrace_access_check: a tracee holding capabilities its tracer lacks is -EPERM, unless CAP_SYS_PTRACE. */
    @Test
    void ptr01_attach_traceeWithMoreCapabilities_epermUnlessCapSysPtrace() {
        Task child = debugger.fork("C");

        assertThat(ptrace.attach(debugger, false, child, false)).isEqualTo(Errno.EPERM.neg());
        assertThat(ptrace.attach(debugger, true, child, false)).isZero();
    }

    /** ptrace_attach: task->ptrace set already is -EPERM, whoever asks; own thread group is -EPERM. */
    @Test
    void ptr02_attach_alreadyTracedOrSelf_eperm() {
        Task child = debugger.fork("C");
        assertThat(ptrace.attach(debugger, false, child, true)).isZero();

        assertThat(ptrace.attach(debugger, false, child, true)).isEqualTo(Errno.EPERM.neg());
        assertThat(ptrace.attach(sibling, true, child, true)).isEqualTo(Errno.EPERM.neg());
        assertThat(ptrace.attach(debugger, true, debugger, true)).isEqualTo(Errno.EPERM.neg());
    }

    /** A zombie (exit_state) is -EPERM; a pid that names no process is -ESRCH. */
    @Test
    void ptr02_attach_exitedOrMissing_epermOrEsrch() {
        Task child = debugger.fork("C");
        child.exit();

        assertThat(ptrace.attach(debugger, false, child, true)).isEqualTo(Errno.EPERM.neg());
        assertThat(ptrace.attach(debugger, false, null, true)).isEqualTo(Errno.ESRCH.neg());
    }

    /** Once the parent exits the child is init's (forget_original_parent): the grandparent is no ancestor any more. */
    @Test
    void ptr02_attach_afterTheParentExited_grandparentIsNoAncestor() {
        Task child = debugger.fork("C");
        Task grandchild = child.fork("G");
        child.exit();

        assertThat(grandchild.realParent()).isNull();
        assertThat(ptrace.attach(debugger, false, grandchild, true)).isEqualTo(Errno.EPERM.neg());
    }

    /** PTRACE_DETACH ends the stop; detaching a task one does not trace is -ESRCH. */
    @Test
    void ptr02_detach_resumesTheTraceeOnce() {
        Task child = debugger.fork("C");
        ptrace.attach(debugger, false, child, true);

        assertThat(ptrace.detach(sibling, child)).isEqualTo(Errno.ESRCH.neg());
        assertThat(ptrace.detach(debugger, child)).isZero();

        assertThat(ptrace.stopped(child)).isFalse();
        assertThat(stateChanges).isOne();
        assertThat(ptrace.detach(debugger, child)).isEqualTo(Errno.ESRCH.neg());
    }

    /** exit_ptrace: the tracer's exit detaches its tracees. */
    @Test
    void ptr02_exitPtrace_tracerExits_traceesResume() {
        Task child = debugger.fork("C");
        ptrace.attach(debugger, false, child, true);

        ptrace.exitPtrace(debugger);

        assertThat(ptrace.stopped(child)).isFalse();
        assertThat(stateChanges).isOne();
    }

    /** generic_ptrace_peekdata: a whole word is 0 and the bytes; a word running into a hole is -EIO. */
    @Test
    void ptr04_peekData_wholeWordOrShort_zeroOrEio() {
        Task child = debugger.fork("C");
        sim.spawn("test", () -> {
            long addr = child.mmap(0, PageFrame.PAGE_SIZE, Prot.READ_WRITE, false, false, -1, 0);
            assertThat(child.write(addr, "8 bytes!".getBytes(StandardCharsets.ISO_8859_1), null)).isZero();
            byte[] word = new byte[Ptrace.WORD];
            assertThat(ptrace.peekData(debugger, child, addr, word)).isEqualTo(Errno.ESRCH.neg());
            assertThat(ptrace.attach(debugger, false, child, true)).isZero();

            assertThat(ptrace.peekData(debugger, child, addr, word)).isZero();
            assertThat(new String(word, StandardCharsets.ISO_8859_1)).isEqualTo("8 bytes!");
            assertThat(ptrace.peekData(debugger, child, addr + PageFrame.PAGE_SIZE - 4, word))
                    .isEqualTo(Errno.EIO.neg());
            assertThat(ptrace.pokeData(debugger, child, addr, "poked!!!".getBytes(StandardCharsets.ISO_8859_1)))
                    .isZero();
            byte[] back = new byte[8];
            assertThat(child.read(addr, back)).isZero();
            assertThat(new String(back, StandardCharsets.ISO_8859_1)).isEqualTo("poked!!!");
        });
        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
    }

    @Test
    void ptr03_processVmReadv_childsAnonymousMemory_readsWithoutAttaching() {
        Task child = debugger.fork("C");
        sim.spawn("test", () -> {
            long addr = child.mmap(0, 2L * PageFrame.PAGE_SIZE, Prot.READ_WRITE, false, false, -1, 0);
            assertThat(child.write(addr, "visible".getBytes(StandardCharsets.ISO_8859_1), null)).isZero();
            byte[] out = new byte[7];

            assertThat(ptrace.processVmReadv(debugger, false, child, true, addr, out)).isEqualTo(7);
            assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("visible");
            assertThat(ptrace.stopped(child)).isFalse();
            assertThat(ptrace.processVmReadv(debugger, false, child, true, addr + 2L * PageFrame.PAGE_SIZE - 3,
                    new byte[8])).as("short at the hole").isEqualTo(3);
        });
        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
    }

    /** mm_access asks ATTACH_REALCREDS, Yama included; its -EACCES is returned as -EPERM. */
    @Test
    void ptr03_processVmReadv_notAnAncestor_eperm() {
        assertThat(ptrace.processVmReadv(debugger, false, sibling, true, 0x10000, new byte[8]))
                .isEqualTo(Errno.EPERM.neg());
        assertThat(ptrace.processVmReadv(debugger, false, null, true, 0x10000, new byte[8]))
                .isEqualTo(Errno.ESRCH.neg());
    }

    /** pin_user_pages_remote refuses VM_IO / VM_PFNMAP: a GEM mmap gives -EFAULT, nothing read. */
    @Test
    void ptr03_processVmReadv_gemMmap_efault() {
        Task child = debugger.fork("C");
        DrmDevice gpu = new DrmDevice(kernel, "gpu0");
        sim.spawn("test", () -> {
            int fd = gpu.open(child, false);
            DrmFile f = ((DrmFd.Open) DrmFd.lookup(child, fd)).file();
            int h = f.gemCreate(PageFrame.PAGE_SIZE);
            long cpu = child.mmap(0, PageFrame.PAGE_SIZE, Prot.READ_WRITE, true, false, fd, f.gemMmapOffset(h));
            assertThat(cpu).isPositive();
            assertThat(child.write(cpu, "bo".getBytes(StandardCharsets.ISO_8859_1), null)).isZero();

            assertThat(ptrace.processVmReadv(debugger, false, child, true, cpu, new byte[2]))
                    .isEqualTo(Errno.EFAULT.neg());
        });
        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
    }
}
