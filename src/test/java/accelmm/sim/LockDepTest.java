package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lockdep records lock-class order and reports an order that could deadlock under another
 * schedule, even when this one did not. Every scenario here runs serially ({@link
 * SimTesting#keepRunning()}) and completes.
 */
class LockDepTest {

    private static final LockClass A = new LockClass("A");
    private static final LockClass B = new LockClass("B");
    private static final LockClass C = new LockClass("C");

    /** Actor i takes {@code orders[i]} in order, then releases them in reverse. */
    private static Simulation lockInOrder(List<List<LockClass>> orders) {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        Map<LockClass, Mutex> mutexes = new LinkedHashMap<>();
        for (List<LockClass> order : orders) {
            for (LockClass c : order) {
                mutexes.computeIfAbsent(c, k -> new Mutex(sim, k.name(), k));
            }
        }
        for (int i = 0; i < orders.size(); i++) {
            List<LockClass> order = orders.get(i);
            sim.spawn("t" + i, () -> {
                order.forEach(c -> mutexes.get(c).lock());
                order.reversed().forEach(c -> mutexes.get(c).unlock());
            });
        }
        SimTesting.assertCompleted(sim.run());
        return sim;
    }

    @Test
    void acquire_oppositeOrdersInTwoActors_recordsBothEdges() {
        Simulation sim = lockInOrder(List.of(List.of(A, B), List.of(B, A)));

        assertThat(sim.lockDep().edges()).containsExactly(List.of(A, B), List.of(B, A));
    }

    @Test
    void acquire_oppositeOrdersInTwoActors_reportsOneCycle() {
        Simulation sim = lockInOrder(List.of(List.of(A, B), List.of(B, A)));

        assertThat(sim.lockDep().violations()).singleElement()
                .extracting(LockDep.Violation::cycle)
                .isEqualTo(List.of(A, B, A));
    }

    @Test
    void acquire_oppositeOrdersInTwoActors_namesActorAndLocksThatClosedCycle() {
        Simulation sim = lockInOrder(List.of(List.of(A, B), List.of(B, A)));

        LockDep.Violation v = sim.lockDep().violations().getFirst();

        assertThat(List.of(v.actor(), v.held(), v.acquired())).containsExactly("t1", B, A);
    }

    @Test
    void describe_violation_readsAsOneLine() {
        Simulation sim = lockInOrder(List.of(List.of(A, B), List.of(B, A)));

        assertThat(sim.lockDep().violations().getFirst().describe())
                .isEqualTo("t1 acquired A while holding B: lock order cycle A -> B -> A");
    }

    @Test
    void acquire_sameCycleTwice_reportsItOnce() {
        Simulation sim = lockInOrder(List.of(List.of(A, B), List.of(B, A), List.of(A, B), List.of(B, A)));

        assertThat(sim.lockDep().violations()).hasSize(1);
    }

    @Test
    void acquire_consistentOrder_reportsNothing() {
        Simulation sim = lockInOrder(List.of(List.of(A, B), List.of(A, B), List.of(B, C), List.of(A, C)));

        assertThat(sim.lockDep().violations()).isEmpty();
    }

    @Test
    void acquire_threeClassCycle_reportsWholeCycle() {
        Simulation sim = lockInOrder(List.of(List.of(A, B), List.of(B, C), List.of(C, A)));

        assertThat(sim.lockDep().violations()).singleElement()
                .extracting(LockDep.Violation::cycle)
                .isEqualTo(List.of(A, B, C, A));
    }

    @Test
    void acquire_afterRelease_recordsNoEdge() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        Mutex a = new Mutex(sim, "A", A);
        Mutex b = new Mutex(sim, "B", B);
        sim.spawn("t", () -> {
            a.lock();
            a.unlock();
            b.lock();
            b.unlock();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(sim.lockDep().edges()).isEmpty();
    }

    @Test
    void lockNested_sameClassWithSubclass_reportsNothing() {
        LockClass inode = new LockClass("inode");
        Simulation sim = new Simulation(SimTesting.keepRunning());
        Mutex parent = new Mutex(sim, "parent", inode);
        Mutex child = new Mutex(sim, "child", inode);
        sim.spawn("t", () -> {
            parent.lock();
            child.lockNested(1);
            child.unlock();
            parent.unlock();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(sim.lockDep().violations()).isEmpty();
    }

    @Test
    void lockNested_sameClassWithSubclass_recordsEdgeToSubclass() {
        LockClass inode = new LockClass("inode");
        Simulation sim = new Simulation(SimTesting.keepRunning());
        Mutex parent = new Mutex(sim, "parent", inode);
        Mutex child = new Mutex(sim, "child", inode);
        sim.spawn("t", () -> {
            parent.lock();
            child.lockNested(1);
            child.unlock();
            parent.unlock();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(sim.lockDep().edges()).containsExactly(List.of(inode, inode.nested(1)));
    }

    @Test
    void lock_sameClassNestedWithoutSubclass_reportsSelfCycle() {
        LockClass inode = new LockClass("inode");
        Simulation sim = new Simulation(SimTesting.keepRunning());
        Mutex parent = new Mutex(sim, "parent", inode);
        Mutex child = new Mutex(sim, "child", inode);
        sim.spawn("t", () -> {
            parent.lock();
            child.lock();
            child.unlock();
            parent.unlock();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(sim.lockDep().violations()).singleElement()
                .extracting(LockDep.Violation::cycle)
                .isEqualTo(List.of(inode, inode));
    }

    @Test
    void downWriteNestLock_twoLocksOfOneClassUnderTheNestLock_reportsNothing() {
        // mm_take_all_locks: down_write_nest_lock(&anon_vma->root->rwsem, &mm->mmap_lock) for
        // every anon_vma family of the mm; lockdep counts the second as a reference, not an order.
        LockClass anonVma = new LockClass("anon_vma");
        Simulation sim = new Simulation(SimTesting.keepRunning());
        RwSemaphore mmapLock = new RwSemaphore(sim, "mmap_lock", A);
        RwSemaphore first = new RwSemaphore(sim, "anon_vma 1", anonVma);
        RwSemaphore second = new RwSemaphore(sim, "anon_vma 2", anonVma);
        sim.spawn("t", () -> {
            mmapLock.downWrite();
            first.downWriteNestLock(mmapLock);
            second.downWriteNestLock(mmapLock);
            second.upWrite();
            first.upWrite();
            mmapLock.upWrite();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(sim.lockDep().violations()).isEmpty();
        assertThat(sim.lockDep().edges()).containsExactly(List.of(A, anonVma));
    }

    @Test
    void downWriteNestLock_nestLockNotHeld_isAModelBug() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        RwSemaphore mmapLock = new RwSemaphore(sim, "mmap_lock", A);
        RwSemaphore lock = new RwSemaphore(sim, "anon_vma", B);
        sim.spawn("t", () -> lock.downWriteNestLock(mmapLock));

        assertThat(sim.run()).isInstanceOf(Outcome.Failed.class);
    }

    @Test
    void acquire_rwsemAndMutexInOppositeOrders_reportsCycle() {
        LockClass mmap = new LockClass("mmap_lock");
        LockClass notifier = new LockClass("notifier_lock");
        Simulation sim = new Simulation(SimTesting.keepRunning());
        RwSemaphore mmapLock = new RwSemaphore(sim, "mmap_lock", mmap);
        Mutex notifierLock = new Mutex(sim, "notifier_lock", notifier);
        sim.spawn("fault", () -> {
            mmapLock.downRead();
            notifierLock.lock();
            notifierLock.unlock();
            mmapLock.upRead();
        });
        sim.spawn("invalidate", () -> {
            notifierLock.lock();
            mmapLock.downWrite();
            mmapLock.upWrite();
            notifierLock.unlock();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(sim.lockDep().violations()).singleElement()
                .extracting(LockDep.Violation::cycle)
                .isEqualTo(List.of(mmap, notifier, mmap));
    }

    @Test
    void nested_subclassZero_isTheClassItself() {
        assertThat(A.nested(0)).isSameAs(A);
    }
}
