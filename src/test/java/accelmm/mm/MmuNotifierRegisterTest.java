package accelmm.mm;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.Completion;
import org.junit.jupiter.api.Test;

/**
 * {@code mmu_notifier_register} takes the mm's {@code mmap_lock} for writing around the
 * registration (mm/mmu_notifier.c), so it waits for a fault or any other holder of the lock, and
 * no change made under the lock sees the notifier appear halfway.
 */
class MmuNotifierRegisterTest {

    private final NotifierHarness h = new NotifierHarness();
    private final Task a = h.process("A");

    @Test
    void mmuNotifierRegister_whileMmapLockIsHeldForReading_returnsOnlyAfterItIsReleased() {
        Completion gate = h.gate("fault");
        MmuNotifier mn = new MmuNotifier() {
            @Override
            public boolean hasSecondaryTlbOps() {
                return true;
            }

            @Override
            public void archInvalidateSecondaryTlbs(MmStruct mm, long start, long end) {
            }

            @Override
            public void release(MmStruct mm) {
            }
        };
        h.spawn("A.faulter", () -> {
            a.mm().mmapLock().downRead();
            h.log("holds mmap_lock");
            gate.waitForCompletion();
            h.log("releases mmap_lock");
            a.mm().mmapLock().upRead();
        });
        h.spawn("A.binder", () -> {
            a.mm().mmuNotifierRegister(mn);
            h.log("registered");
        });
        h.spawn("A.opener", () -> {
            h.log("open gate");
            gate.completeAll();
        });

        h.run();

        assertThat(h.events).containsExactly("holds mmap_lock", "open gate", "releases mmap_lock", "registered");
    }
}
