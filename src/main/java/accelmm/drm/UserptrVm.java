package accelmm.drm;

import accelmm.mm.Errno;
import accelmm.sim.LockClass;
import accelmm.sim.RwSemaphore;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;

/**
 * Models {@code struct xe_userptr_vm} ({@code vm->userptr}): the userptr ranges bound in one
 * VM, the {@code notifier_lock} that their invalidate callbacks take for writing, and exec's
 * revalidation of the ranges invalidated since the last exec (xe_userptr.c).
 *
 * <p>A range is on the invalidated list ({@link Userptr#invalidated()}) from an invalidation
 * until exec picks it up; exec moves it to the repin list, gets its pages again ({@link #pin}),
 * and under {@code notifier_lock} either starts over ({@link #needsRepin}) or programs the PTEs
 * ({@link #rebind}) and queues its job before dropping the lock.
 */
final class UserptrVm {

    /** The lockdep class of every VM's {@code vm->userptr.notifier_lock}. */
    static final LockClass NOTIFIER_LOCK = new LockClass("vm->userptr.notifier_lock");

    private final GpuVm vm;
    private final RwSemaphore notifierLock;
    private final List<Userptr> ranges = new ArrayList<>();
    /** The list of ranges (each range's state is its own). */
    private final Shared shared;

    UserptrVm(GpuVm vm) {
        this.vm = vm;
        this.notifierLock = new RwSemaphore(vm.device().sim(), "notifier_lock vm " + vm.id(), NOTIFIER_LOCK);
        this.shared = vm.device().sim().shared("vm userptrs");
    }

    RwSemaphore notifierLock() {
        return notifierLock;
    }

    void add(Userptr u) {
        shared.write();
        ranges.add(u);
    }

    void remove(Userptr u) {
        shared.write();
        ranges.remove(u);
    }

    int size() {
        shared.read();
        return ranges.size();
    }

    /** {@code xe_vm_userptr_check_repin}: an advisory, lock-free look at the invalidated list. */
    boolean checkRepin() {
        shared.read();
        for (Userptr u : ranges) {
            if (u.invalidated()) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code xe_vm_userptr_pin}: gets the pages of every invalidated range again. A range whose
     * CPU side is gone (-EFAULT) stays unmapped, so a job touching it faults; any other error is
     * returned and the ranges go back onto the invalidated list. Caller holds {@code vm->lock}
     * for writing.
     */
    int pin() {
        vm.lock().assertWriteHeld();
        shared.read();
        List<Userptr> repin = new ArrayList<>();
        for (Userptr u : ranges) {
            if (u.invalidated()) {
                u.startRepin();
                repin.add(u);
            }
        }
        for (int i = 0; i < repin.size(); i++) {
            Userptr u = repin.get(i);
            int ret = u.getPages();
            if (ret == Errno.EFAULT.neg()) {
                notifierLock.downRead();
                try {
                    u.dropPages();
                } finally {
                    notifierLock.upRead();
                }
            } else if (ret < 0) {
                repin.subList(i, repin.size()).forEach(Userptr::abortRepin);
                return ret;
            }
        }
        return 0;
    }

    /**
     * {@code __xe_vm_userptr_needs_repin} plus {@code read_retry} of every range about to be
     * programmed: true when an invalidation came in since its pages were read, and exec must
     * start over. Never true when the design skips the check. Caller holds {@code notifier_lock}.
     */
    boolean needsRepin() {
        notifierLock.assertHeld();
        shared.read();
        if (!vm.device().userptrDesign().checksRetry()) {
            return false;
        }
        for (Userptr u : ranges) {
            if (u.invalidated() || (u.repin() && u.collided())) {
                return true;
            }
        }
        return false;
    }

    /** The rebind before a job: programs the PTEs of every repinned range. Caller holds {@code notifier_lock}. */
    void rebind() {
        notifierLock.assertHeld();
        shared.read();
        for (Userptr u : ranges) {
            if (u.repin()) {
                u.program();
            }
        }
    }
}
