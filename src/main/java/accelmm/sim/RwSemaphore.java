package accelmm.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Models {@code struct rw_semaphore}, the primitive behind {@code mmap_lock}: many readers or
 * one writer. Waiters queue in FIFO order and a reader arriving while anyone waits queues too,
 * so a waiting writer is not starved. A release grants the lock to the head of the queue (a
 * writer, or every reader up to the next writer) and wakes them. Taking it is a preemption
 * point, and lockdep sees read and write acquisitions alike.
 */
public final class RwSemaphore implements Waitable {

    private record Waiter(Actor actor, boolean write) {
    }

    private final Simulation sim;
    private final String name;
    private final LockClass lockClass;
    /** {@code NAME read} and {@code NAME write}, each built at its first use. */
    private String readLabel;
    private String writeLabel;
    /**
     * The writer and the queue: what every taker reads and a writer or a queued taker changes.
     * Readers taking and dropping the lock change only {@link #readerSet}, by updates that
     * commute (each adds or removes itself), so uncontended readers never conflict.
     */
    private final Shared gate;
    private final Shared readerSet;
    private Actor writer;
    /** The lockdep class the writer took it under (a subclass when nested). */
    private LockClass writerClass;
    private final List<Actor> readers = new ArrayList<>(2);
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(2);

    public RwSemaphore(Simulation sim, String name, LockClass lockClass) {
        this.sim = sim;
        this.name = name;
        this.lockClass = lockClass;
        this.gate = sim.shared("rwsem");
        this.readerSet = sim.shared("rwsem readers");
    }

    /** {@code down_read}. */
    public void downRead() {
        // Queueing and taking both change the semaphore, so even a reader writes it.
        if (readLabel == null) {
            readLabel = name + " read";
        }
        sim.preemptionPoint(readLabel, gate.writeAll());
        Actor self = sim.current();
        gate.read();
        if (writer == null && waiters.isEmpty()) {
            readerSet.add();
            addReader(self);
        } else {
            gate.write();
            sim.checkCanBlock(this);
            waiters.addLast(new Waiter(self, false));
            sim.block(this);
        }
        sim.lockAcquired(lockClass);
        sim.endOfDeclaredAccess();
    }

    /** {@code down_write}; {@code subclass} as in {@code down_write_nested} (0 for none). */
    public void downWrite(int subclass) {
        takeForWriting();
        writerClass = lockClass.nested(subclass);
        sim.lockAcquired(writerClass);
        sim.endOfDeclaredAccess();
    }

    /**
     * {@code down_write_nest_lock}: the caller takes several locks of this class at once, all
     * under {@code nestLock}, which it holds and which keeps any other such taker out (as
     * {@code mm_take_all_locks} takes every anon_vma and i_mmap lock of an mm under its {@code
     * mmap_lock}); lockdep sees no order among them.
     */
    public void downWriteNestLock(RwSemaphore nestLock) {
        if (!nestLock.writeHeldByCurrent()) {
            throw new IllegalStateException(name + " taken under nest lock " + nestLock.name + ", which "
                    + sim.current().name() + " does not hold for writing");
        }
        takeForWriting();
        writerClass = lockClass;
        sim.lockAcquiredUnderNestLock(lockClass);
        sim.endOfDeclaredAccess();
    }

    private void takeForWriting() {
        if (writeLabel == null) {
            writeLabel = name + " write";
        }
        sim.preemptionPoint(writeLabel, gate.writeAll());
        gate.write();
        readerSet.read();
        Actor self = sim.current();
        if (writer == null && readers.isEmpty() && waiters.isEmpty()) {
            writer = self;
        } else {
            sim.checkCanBlock(this);
            waiters.addLast(new Waiter(self, true));
            sim.block(this);
        }
    }

    public void downWrite() {
        downWrite(0);
    }

    /** {@code up_read}. */
    public void upRead() {
        Actor self = sim.current();
        if (!readers.remove(self)) {
            throw new IllegalStateException(self.name() + " up_read on " + name + " it does not hold");
        }
        readerSet.add();
        sim.lockReleased(lockClass);
        grant();
    }

    /** {@code up_write}. */
    public void upWrite() {
        Actor self = sim.current();
        if (writer != self) {
            throw new IllegalStateException(self.name() + " up_write on " + name + " it does not hold");
        }
        gate.write();
        writer = null;
        sim.lockReleased(writerClass);
        grant();
    }

    /** {@code downgrade_write}: the writer becomes a reader; waiting readers join it. */
    public void downgradeWrite() {
        Actor self = sim.current();
        if (writer != self) {
            throw new IllegalStateException(self.name() + " downgrade_write on " + name + " it does not hold");
        }
        gate.write();
        readerSet.add();
        writer = null;
        sim.lockReleased(writerClass);
        addReader(self);
        sim.lockAcquired(lockClass);
        grant();
    }

    /**
     * Hands the semaphore to the waiters it can go to ({@code rwsem_wake} in
     * kernel/locking/rwsem.c). Every release comes here: it changes the semaphore and may wake
     * a waiter, which the releasing caller's declared step does not name, so the rest of the
     * step is undeclared.
     */
    private void grant() {
        sim.endOfDeclaredAccess();
        if (waiters.isEmpty()) {
            gate.read();
            return;
        }
        gate.write();
        readerSet.read();
        readerSet.add();
        while (!waiters.isEmpty()) {
            Waiter head = waiters.peekFirst();
            if (head.write()) {
                if (writer == null && readers.isEmpty()) {
                    waiters.pollFirst();
                    writer = head.actor();
                    sim.wake(head.actor());
                }
                return;
            }
            if (writer != null) {
                return;
            }
            waiters.pollFirst();
            addReader(head.actor());
            sim.wake(head.actor());
        }
    }

    /** Whether the running actor holds it for reading. */
    public boolean readHeldByCurrent() {
        return readers.contains(sim.current());
    }

    /** Whether the running actor holds it for writing. */
    public boolean writeHeldByCurrent() {
        return writer != null && writer == sim.current();
    }

    /** {@code mmap_assert_locked}: held by the running actor in either mode. */
    public void assertHeld() {
        if (!readHeldByCurrent() && !writeHeldByCurrent()) {
            throw new IllegalStateException(name + " not held by " + sim.current().name());
        }
    }

    /** {@code mmap_assert_write_locked}. */
    public void assertWriteHeld() {
        if (!writeHeldByCurrent()) {
            throw new IllegalStateException(name + " not write-held by " + sim.current().name());
        }
    }

    @Override
    public String describe() {
        return "rwsem " + name + (writer != null ? " write-held by " + writer.name()
                : readers.isEmpty() ? "" : " read-held by " + readers);
    }

    @Override
    public void cancelWait(Actor actor) {
        gate.write();
        waiters.removeIf(w -> w.actor() == actor);
        grant();
    }

    /**
     * Adds a reader, the readers kept by actor id: readers that took the semaphore in either
     * order (steps that commute) leave the same state.
     */
    private void addReader(Actor reader) {
        int at = readers.size();
        while (at > 0 && readers.get(at - 1).id() > reader.id()) {
            at--;
        }
        readers.add(at, reader);
    }

    @Override
    public long stateHashIdentity() {
        return gate.serial();
    }
}
