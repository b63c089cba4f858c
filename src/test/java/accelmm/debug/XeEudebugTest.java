package accelmm.debug;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.Kernel;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import org.junit.jupiter.api.Test;

/**
 * The eudebug connect of the first interface (E1, connect by pid): {@code xe_eudebug_connect}
 * with its {@code ptrace_may_access(PTRACE_MODE_READ_REALCREDS)} test, one connection per target
 * per device.
 */
class XeEudebugTest {

    private final Kernel kernel = new Kernel(new Simulation(new RandomChoiceSource(1)), Designs.defaults());
    private final XeEudebug gpu0 = new XeEudebug(new accelmm.drm.DrmDevice(kernel, "gpu0"));
    private final Task target = kernel.createProcess("A", 1000);
    private final Task debugger = kernel.createProcess("D", 1000);
    private final Task stranger = kernel.createProcess("S", 1001);

    /** EUD-01/02: the same real uid passes ptrace_may_access; the connection is a new fd. */
    @Test
    void eud02_connect_sameUid_connectionFd() {
        long fd = gpu0.connect(debugger, false, target, true);

        assertThat(fd).isNotNegative();
        assertThat(debugger.fget((int) fd).ops().name()).isEqualTo("[xe_eudebug] gpu0");
        assertThat(gpu0.attached(target)).isTrue();
    }

    /** EUD-02: another uid without CAP_SYS_PTRACE fails READ_REALCREDS: -EACCES, not -EPERM. */
    @Test
    void eud02_connect_otherUidWithoutCapSysPtrace_eacces() {
        assertThat(gpu0.connect(stranger, false, target, true)).isEqualTo(Errno.EACCES.neg());
        assertThat(gpu0.attached(target)).isFalse();
    }

    /** EUD-02: CAP_SYS_PTRACE overrides the uid test (ptrace_has_cap in __ptrace_may_access). */
    @Test
    void eud02_connect_otherUidWithCapSysPtrace_connects() {
        assertThat(gpu0.connect(stranger, true, target, true)).isNotNegative();
    }

    /**
     * EUD-02: commoncap's cap_ptrace_access_check runs in READ modes too: a target whose permitted
     * capabilities are not within the caller's is refused (-EACCES) unless the caller holds
     * CAP_SYS_PTRACE, whatever the uids.
     */
    @Test
    void eud02_connect_targetWithMoreCapabilities_eacces() {
        assertThat(gpu0.connect(debugger, false, target, false)).isEqualTo(Errno.EACCES.neg());
        assertThat(gpu0.attached(target)).isFalse();
        assertThat(gpu0.connect(stranger, true, target, false)).isNotNegative();
    }

    /** EUD-01: xe_eudebug_connect installs the connection fd without O_CLOEXEC. */
    @Test
    void eud01_connect_fdIsNotCloexec() {
        long fd = gpu0.connect(debugger, false, target, true);

        assertThat(debugger.files().isCloexec((int) fd)).isFalse();
    }

    /** EUD-03: a pid that names no process any more (exited and reaped) is -ENOENT. */
    @Test
    void eud03_connect_reapedTarget_enoent() {
        assertThat(gpu0.connect(debugger, false, null, true)).isEqualTo(Errno.ENOENT.neg());
    }

    /** EUD-03: a second connect for the same target on the same device is -EBUSY, whoever asks. */
    @Test
    void eud03_connect_secondDebuggerSameDevice_ebusy() {
        gpu0.connect(debugger, false, target, true);

        assertThat(gpu0.connect(stranger, true, target, true)).isEqualTo(Errno.EBUSY.neg());
        assertThat(gpu0.connect(debugger, false, target, true)).isEqualTo(Errno.EBUSY.neg());
    }

    /** EUD-03: the one-debugger rule is per device: another GPU takes its own connection. */
    @Test
    void eud03_connect_otherDevice_connects() {
        gpu0.connect(debugger, false, target, true);

        assertThat(new XeEudebug(new accelmm.drm.DrmDevice(kernel, "gpu1")).connect(stranger, true, target, true)).isNotNegative();
    }

    /** Closing the connection's last reference (xe_eudebug_release) frees the target for another debugger. */
    @Test
    void eud03_connect_afterFirstConnectionClosed_connects() {
        int fd = (int) gpu0.connect(debugger, false, target, true);

        debugger.close(fd);

        assertThat(gpu0.attached(target)).isFalse();
        assertThat(gpu0.connect(stranger, true, target, true)).isNotNegative();
    }
}
