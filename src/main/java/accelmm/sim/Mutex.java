package accelmm.sim;

import java.util.ArrayDeque;

/**
 * Models {@code struct mutex}: a sleeping lock with an owner. Waiters queue in FIFO order and
 * {@link #unlock()} hands the lock to the first of them, so a woken waiter owns the lock when it
 * runs. Taking a mutex is a preemption point; every acquisition is reported to lockdep under the
 * mutex's {@link LockClass}. Recursive locking blocks forever, as in the kernel, and ends the run
 * in a deadlock.
 */
public final class Mutex implements Waitable {

    private final Simulation sim;
    private final String name;
    private final LockClass lockClass;
    /** {@code mutex_lock NAME}, built at the first lock: many mutexes are never taken. */
    private String lockLabel;
    private final Shared shared;
    private Actor owner;
    /** The lockdep class the owner took the lock under (a subclass when nested). */
    private LockClass heldAs;
    private final ArrayDeque<Actor> waiters = new ArrayDeque<>(2);

    public Mutex(Simulation sim, String name, LockClass lockClass) {
        this.sim = sim;
        this.name = name;
        this.lockClass = lockClass;
        this.shared = sim.shared("mutex");
    }

    /** {@code mutex_lock}: sleeps until the lock is free. */
    public void lock() {
        lock(lockClass);
    }

    /** {@code mutex_lock_nested}: as {@link #lock()} under a lockdep subclass. */
    public void lockNested(int subclass) {
        lock(lockClass.nested(subclass));
    }

    private void lock(LockClass as) {
        // The step after the point queues on or takes this mutex; once taken, the caller's
        // critical section runs on in the same step, which the mutex cannot declare.
        if (lockLabel == null) {
            lockLabel = "mutex_lock " + name;
        }
        sim.preemptionPoint(lockLabel, shared.writeAll());
        shared.write();
        Actor self = sim.current();
        if (owner == null) {
            owner = self;
        } else {
            sim.checkCanBlock(this);
            waiters.addLast(self);
            sim.block(this);
            if (owner != self) {
                throw new IllegalStateException("woken without the mutex " + name);
            }
        }
        heldAs = as;
        sim.lockAcquired(as);
        sim.endOfDeclaredAccess();
    }

    /** {@code mutex_trylock}: takes the lock if it is free. Not a preemption point. */
    public boolean tryLock() {
        shared.write();
        // Taking the lock decides whether another actor's mutex_lock sleeps: a declaration that
        // does not name the lock ends here.
        sim.endOfDeclaredAccess();
        if (owner != null) {
            return false;
        }
        owner = sim.current();
        heldAs = lockClass;
        sim.lockAcquired(lockClass);
        return true;
    }

    /**
     * {@code mutex_unlock}: only the owner may unlock; the first waiter becomes the owner. The
     * release changes the lock and may wake a waiter ({@code __mutex_unlock_slowpath} in
     * kernel/locking/mutex.c), which the caller's declared step does not name: the rest of the
     * step is undeclared.
     */
    public void unlock() {
        Actor self = sim.current();
        if (owner != self) {
            throw new IllegalStateException(self.name() + " unlocks mutex " + name + " owned by "
                    + (owner == null ? "nobody" : owner.name()));
        }
        shared.write();
        sim.endOfDeclaredAccess();
        sim.lockReleased(heldAs);
        owner = waiters.pollFirst();
        if (owner != null) {
            sim.wake(owner);
        }
    }

    /** {@code mutex_is_locked}. */
    public boolean isLocked() {
        shared.read();
        return owner != null;
    }

    /** Whether the running actor owns the lock. */
    public boolean heldByCurrent() {
        return owner != null && owner == sim.current();
    }

    /** {@code lockdep_assert_held}: a precondition of code that needs the lock. */
    public void assertHeld() {
        if (!heldByCurrent()) {
            throw new IllegalStateException("mutex " + name + " not held by " + sim.current().name());
        }
    }

    @Override
    public String describe() {
        return "mutex " + name + (owner == null ? "" : " held by " + owner.name());
    }

    @Override
    public void cancelWait(Actor actor) {
        shared.write();
        waiters.remove(actor);
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public long stateHashIdentity() {
        return shared.serial();
    }
}
