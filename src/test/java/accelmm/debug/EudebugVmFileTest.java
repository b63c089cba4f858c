package accelmm.debug;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.drm.DrmDevice;
import accelmm.drm.DrmFd;
import accelmm.drm.DrmFile;
import accelmm.drm.GpuVm;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.Kernel;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageFrame;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The debugger's VM file: {@code xe_eudebug_vm_open_ioctl} and the {@code vm_fops} read/write
 * of "drm/xe/eudebug: vm open/pread/pwrite" (EUD-08), with the access behind them (EUD-09..11,
 * tested at the driver level in {@code drm.EudebugVmAccessTest}) chosen by the {@link
 * DebuggerDesign}.
 */
class EudebugVmFileTest {

    private static final int PAGE = PageFrame.PAGE_SIZE;
    private static final long VA = 0x100000;

    private final EudebugFixture fx = new EudebugFixture();
    private final Task target = fx.process("A");
    private final Task debugger = fx.process("D");

    private static XeEudebug.Connection connect(XeEudebug eudebug, Task debugger, Task target) {
        long fd = eudebug.connect(debugger, false, target, true);
        assertThat(fd).isNotNegative();
        return (XeEudebug.Connection) debugger.fget((int) fd).privateData();
    }

    /** Reads events until none can come: discovery is done by then. */
    private static void drain(XeEudebug.Connection d) {
        while (d.readEvent().event() != null) {
            // the events themselves are XeEudebugEventsTest's
        }
    }

    private static long mmapAnon(Task task) {
        long p = task.mmap(0, PAGE, Prot.READ_WRITE, false, false, -1, 0);
        assertThat(p).isPositive();
        return p;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void eud08_vmOpen_givesACloexecVmFileHoldingTheVm() {
        fx.run(() -> {
            DrmFile file = fx.open(target);
            GpuVm vm = file.vm(file.vmCreate());
            XeEudebug.Connection d = connect(fx.eudebug, debugger, target);
            drain(d);
            int refs = vm.refCount();

            long fd = d.vmOpen(1);

            assertThat(fd).isNotNegative();
            File f = debugger.fget((int) fd);
            assertThat(f.ops().name()).isEqualTo("[xe_eudebug.vm]");
            assertThat(f.readable() && f.writable()).isTrue();
            f.put();
            assertThat(debugger.files().isCloexec((int) fd)).isTrue();
            assertThat(vm.refCount()).isEqualTo(refs + 1);
            assertThat(debugger.close((int) fd)).isZero();
            assertThat(vm.refCount()).as("released with the file").isEqualTo(refs);
        });
    }

    @Test
    void eud08_vmOpen_unknownHandle_isEinval() {
        fx.run(() -> {
            fx.open(target).vmCreate();
            XeEudebug.Connection d = connect(fx.eudebug, debugger, target);
            drain(d);

            assertThat(d.vmOpen(2)).isEqualTo(Errno.EINVAL.neg());
            assertThat(d.vmOpen(0)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void eud07_vmOpen_whileDiscoveryRuns_isEbusy() {
        fx.run(() -> {
            fx.open(target).vmCreate();
            XeEudebug.Connection d = connect(fx.eudebug, debugger, target);

            assertThat(d.vmOpen(1)).isEqualTo(Errno.EBUSY.neg()); // the worker has not run yet
            drain(d);
            assertThat(d.vmOpen(1)).isNotNegative();
        });
    }

    @Test
    void eud08_vmDestroyedByTheDebuggee_laterAccessIsEinval() {
        fx.run(() -> {
            DrmFile file = fx.open(target);
            int vmId = file.vmCreate();
            int bo = file.gemCreate(PAGE);
            assertThat(file.vmBindMap(vmId, bo, 0, VA, PAGE)).isZero();
            XeEudebug.Connection d = connect(fx.eudebug, debugger, target);
            drain(d);
            int fd = (int) d.vmOpen(1);
            assertThat(EudebugVmFile.pread(debugger, fd, VA, new byte[8])).isEqualTo(8);

            assertThat(file.vmDestroy(vmId)).isZero();

            assertThat(EudebugVmFile.pread(debugger, fd, VA, new byte[8])).isEqualTo(Errno.EINVAL.neg());
            assertThat(EudebugVmFile.pwrite(debugger, fd, VA, new byte[8], null)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void eud08_handleReusedForAnotherVm_accessIsEinval() {
        fx.run(() -> {
            DrmFile file = fx.open(target);
            int first = file.vmCreate();
            XeEudebug.Connection d = connect(fx.eudebug, debugger, target);
            drain(d);
            int fd = (int) d.vmOpen(1);
            assertThat(file.vmDestroy(first)).isZero();
            file.vmCreate(); // takes the lowest free handle, 1, again
            assertThat(d.findVm(1)).isNotNull();

            // find_vm_get finds a VM, but not the file's: "vm handle mismatch".
            assertThat(EudebugVmFile.pread(debugger, fd, VA, new byte[8])).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void eud08_preadOnAFileThatIsNoVmFile_isEspipe_onAClosedFdEbadf() {
        fx.run(() -> {
            fx.open(target).vmCreate();
            long conn = fx.eudebug.connect(debugger, false, target, true);

            assertThat(EudebugVmFile.pread(debugger, (int) conn, VA, new byte[8])).isEqualTo(Errno.ESPIPE.neg());
            assertThat(EudebugVmFile.pread(debugger, 99, VA, new byte[8])).isEqualTo(Errno.EBADF.neg());
        });
    }

    @Test
    void eud09_writeThenRead_ofAUserptrRange_reachesTheTargetsMemoryAsTheDebugger() {
        List<MemoryAccess> accesses = new ArrayList<>();
        fx.kernel.physicalMemory().addObserver((a, labels) -> {
            if (a.via() == MemoryAccess.Via.DEBUGGER) {
                accesses.add(a);
            }
        });
        fx.run(() -> {
            DrmFile file = fx.open(target);
            int vmId = file.vmCreate();
            long p = mmapAnon(target);
            assertThat(file.vmBindUserptr(target, vmId, p, VA, PAGE)).isZero();
            XeEudebug.Connection d = connect(fx.eudebug, debugger, target);
            drain(d);
            int fd = (int) d.vmOpen(1);

            assertThat(EudebugVmFile.pwrite(debugger, fd, VA + 8, "poke".getBytes(StandardCharsets.ISO_8859_1), null))
                    .isEqualTo(4);
            byte[] cpu = new byte[4];
            assertThat(target.read(p + 8, cpu)).isZero();
            assertThat(text(cpu)).isEqualTo("poke");
            assertThat(accesses).singleElement().satisfies(a -> {
                assertThat(a.principal()).isEqualTo(debugger.principal());
                assertThat(a.write()).isTrue();
            });
        });
    }

    /** The design picks the userptr path: eudebug-no-retry reads through the range's stale pages. */
    @Test
    void eud11_noRetryDesign_readAfterMunmap_isAStaleAccessAsTheDebugger() {
        Simulation sim = new Simulation(new RandomChoiceSource(1), true, 200_000);
        Kernel kernel = new Kernel(sim, Designs.of(DebuggerDesign.EUDEBUG_NO_RETRY));
        DrmDevice gpu = new DrmDevice(kernel, "gpu0");
        XeEudebug eudebug = new XeEudebug(gpu);
        Task a = kernel.createProcess("A", EudebugFixture.UID);
        Task dbg = kernel.createProcess("D", EudebugFixture.UID);
        List<MemoryAccess> stale = new ArrayList<>();
        kernel.physicalMemory().addObserver((acc, labels) -> {
            if (acc.via() == MemoryAccess.Via.DEBUGGER && acc.staleReference()) {
                stale.add(acc);
            }
        });
        long[] ret = new long[1];
        sim.spawn("test", () -> {
            DrmFile file = ((DrmFd.Open) DrmFd.lookup(a, gpu.open(a, false))).file();
            int vmId = file.vmCreate();
            long p = mmapAnon(a);
            assertThat(file.vmBindUserptr(a, vmId, p, VA, PAGE)).isZero();
            XeEudebug.Connection d = connect(eudebug, dbg, a);
            drain(d);
            int fd = (int) d.vmOpen(1);
            assertThat(a.munmap(p, PAGE)).isZero();
            ret[0] = EudebugVmFile.pread(dbg, fd, VA, new byte[8]);
        });
        EudebugFixture.assertCompleted(sim.run());

        assertThat(ret[0]).isEqualTo(8); // under eudebug the sequence check makes it -EFAULT
        assertThat(stale).singleElement().satisfies(acc -> assertThat(acc.principal()).isEqualTo(dbg.principal()));
    }
}
