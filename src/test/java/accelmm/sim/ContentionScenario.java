package accelmm.sim;

import java.util.Arrays;

/**
 * Four actors contending on a mutex, a rw-semaphore and a wait queue, with a data choice:
 * a small scenario with many distinct interleavings, none of which deadlocks (every actor
 * takes {@code sem} before {@code lock}).
 *
 * <pre>
 *   writer   ×2: down_write(sem) value++ up_write · lock choose(slot) unlock
 *   reader1  ×2: down_read(sem) lock read value unlock up_read
 *   reader2  ×2: (the same)
 *   waiter     : wait_event(done, 3 finished)
 * </pre>
 */
final class ContentionScenario {

    private ContentionScenario() {
    }

    /** The scenario, spawned and ready to run under {@code choices}. */
    static Simulation build(ChoiceSource choices) {
        Simulation sim = new Simulation(choices);
        Mutex lock = new Mutex(sim, "lock", new LockClass("lock"));
        RwSemaphore sem = new RwSemaphore(sim, "sem", new LockClass("sem"));
        WaitQueue done = new WaitQueue(sim, "done");
        int[] value = {0};
        int[] slots = new int[3];
        int[] finished = {0};
        sim.spawn("writer", () -> {
            for (int i = 0; i < 2; i++) {
                sem.downWrite();
                value[0]++;
                sim.traceOperation("write value", Integer.toString(value[0]));
                sem.upWrite();
                lock.lock();
                int slot = sim.choose("slot", slots.length);
                slots[slot]++;
                sim.traceOperation("pick slot", Integer.toString(slot));
                lock.unlock();
            }
            finished[0]++;
            done.wakeUpAll();
        });
        for (String name : new String[] {"reader1", "reader2"}) {
            sim.spawn(name, () -> {
                for (int i = 0; i < 2; i++) {
                    sem.downRead();
                    lock.lock();
                    sim.traceOperation("read value", Integer.toString(value[0]));
                    lock.unlock();
                    sem.upRead();
                }
                finished[0]++;
                done.wakeUpAll();
            });
        }
        sim.spawn("waiter", () -> {
            done.waitEvent(() -> finished[0] == 3);
            sim.traceOperation("all finished", Arrays.toString(slots));
        });
        return sim;
    }
}
