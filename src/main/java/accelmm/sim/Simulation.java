package accelmm.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One deterministic run of the model: the CPU scheduler of the simulated machine.
 *
 * <p>Design note. Each {@link Actor} runs on its own virtual thread, and the {@code current}
 * field names the one actor allowed to run; every other actor thread is parked. An actor gives
 * up the CPU only inside this class — at a {@link #preemptionPoint}, when it {@link #block}s,
 * or when its body ends — and then picks its successor itself (asking the {@link ChoiceSource}
 * when there is more than one candidate), publishes it in {@code current} and unparks it. The
 * thread that called {@link #run()} only starts the first actor and waits for the end:
 *
 * <pre>
 *   run() ──start A──▶ A ··· preemptionPoint: choose B ──unpark B, park──▶ B ··· block: choose A ──▶ A ···
 *     ▲                                                                              end of last actor │
 *     └────────────────────────────── unpark controller ◀──────────────────────────────────────────────┘
 * </pre>
 *
 * A decision whose choice is the running actor costs no switch at all, which keeps long
 * single-actor stretches cheap. When the run ends (all done, deadlock, failure, step limit, deadline),
 * actors still parked are woken one at a time with an abort flag set so that they unwind and
 * their threads end.
 *
 * <p>Time. The model has no clock: a sleep with a timeout ({@link #scheduleTimeout}) ends early
 * when it is woken, and ends by its timeout only when nothing else can happen, that is when no
 * actor is runnable and the run would otherwise end. Then the timed sleeper that went to sleep
 * first (the longest sleeper; all the model's timeouts are of one length, so it is also the one
 * whose timeout expires first) is woken with its timeout, alone, and the run goes on. A real
 * timeout may fire earlier, in the middle of other work; the model gives up those schedules
 * for a run whose outcome never depends on how long a timeout is. A deadlock among other
 * actors is still reported: the timed sleepers wake one after the other, do what they do after
 * their timeout, and once none is left asleep and some actor is still blocked for good, the
 * run ends as {@link Outcome.Deadlock} without them. (A sleeper that sleeps again with a
 * timeout forever would turn such a deadlock into the step limit; every timed sleep of the
 * model is a system call a scenario makes a bounded number of times.) When only daemons are
 * blocked the run completes, and no timeout fires.
 *
 * <p>Outside {@link #run()} the simulation is in direct mode: preemption points do nothing and
 * {@link #current()} is a pseudo-actor named {@code direct}, so model code can be exercised
 * from a plain thread.
 */
public final class Simulation {

    /** Default bound on preemption points per run; a run past it ends as {@link Outcome.StepLimitExceeded}. */
    public static final long DEFAULT_MAX_STEPS = 1_000_000;
    /** Steps between two looks at the {@link Deadline}: often enough for any budget, rarely enough to cost nothing. */
    static final int DEADLINE_EVERY = 64;
    /** How many of a stretch's latest accesses a new one is merged into, if it can be. */
    private static final int TOUCH_WINDOW = 8;

    private final ChoiceSource choices;
    private final long maxSteps;
    private final Deadline deadline;
    private final List<Actor> actors = new ArrayList<>();
    /** Actors asleep in {@link #scheduleTimeout}, in the order they went to sleep. */
    private final List<Actor> timedSleepers = new ArrayList<>(2);
    /** The runnable actors (including the running one, if runnable), in id order. */
    private Actor[] runnable = new Actor[8];
    private int runnableCount;
    private final Actor direct = new Actor(this, -1, "direct", () -> { }, false, Shared.NONE);
    private volatile Actor current;
    private volatile boolean finished;
    private volatile boolean aborting;
    /** Set by the driver thread when a run started from a platform thread has ended. */
    private volatile boolean driven;
    private boolean running;
    private Thread controller;
    private long step;
    private final Schedule.Builder schedule = new Schedule.Builder();
    private final Trace trace;
    private final LockDep lockDep = new LockDep();
    private final CostCounters costs = new CostCounters();
    private final Point point = new Point();
    /** Whether footprints are what steps touched ({@link #observeFootprints}) rather than declared. */
    private boolean observe;
    /** Observing, and the choice source wants footprints: {@link Shared} calls record. */
    boolean recordingFootprints;
    private int sharedSerial;
    /** The timed sleepers' order (see {@link #scheduleTimeout}), made with the first piece. */
    private final Shared timers = shared("timers");
    /** The stretches since the last decision (see {@link SchedulingPoint#eventCount()}). */
    private int[] eventActors = new int[4];
    private Footprint[] eventFootprints = new Footprint[4];
    private int eventCount;
    /** The actor of the open stretch, or -1 before the first decision. */
    private int segmentActor = -1;
    /** The open stretch's declared footprint (not observing), or UNKNOWN when it went unknown. */
    private Footprint footprint = Footprint.NONE;
    /** The open stretch's observed accesses (observing). */
    private Access[] touched = new Access[16];
    private int touchedCount;
    private Outcome outcome;
    /** The run's state fingerprint, kept only when the choice source wants one; else null. */
    private final StateHash stateHash;
    /** The walker and root of {@link #fingerprintByWalking}, or null. */
    private StateWalk walk;
    private Object walkRoot;
    /** What {@link #showStates} shows after each operation, or null. */
    private java.util.function.Supplier<List<String>> stateView;
    /** Decisions taken so far, and the one whose walked fingerprint {@link #walked} holds (-1: none). */
    private long decisions;
    private long walkedAt = -1;
    private long[] walked;

    /** A simulation that records its trace. */
    public Simulation(ChoiceSource choices) {
        this(choices, true, DEFAULT_MAX_STEPS);
    }

    /**
     * @param recordTrace whether to keep a {@link Trace}; exploration turns it off and replays
     *                    the interesting runs with it on
     * @param maxSteps    preemption points after which the run ends as {@link
     *                    Outcome.StepLimitExceeded}
     */
    public Simulation(ChoiceSource choices, boolean recordTrace, long maxSteps) {
        this(choices, recordTrace, maxSteps, Deadline.NONE);
    }

    /**
     * As {@link #Simulation(ChoiceSource, boolean, long)}, ending the run as {@link
     * Outcome.OutOfTime} once {@code deadline} has passed.
     */
    public Simulation(ChoiceSource choices, boolean recordTrace, long maxSteps, Deadline deadline) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("a run needs at least one step, got " + maxSteps);
        }
        this.choices = choices;
        this.trace = recordTrace ? new Trace() : null;
        this.maxSteps = maxSteps;
        this.deadline = deadline;
        this.current = direct;
        this.stateHash = choices.wantsFingerprints() ? new StateHash() : null;
    }

    /**
     * The run's {@link StateHash}, for the model to keep its slots in, or {@code null} when the
     * choice source wants no fingerprints ({@link ChoiceSource#wantsFingerprints()}): then a
     * model keeps none and pays nothing. The simulation writes the actors' scheduler states
     * into it itself.
     */
    public StateHash stateHash() {
        return stateHash;
    }

    /**
     * Takes this run's fingerprints by walking the model's objects from {@code root} with {@code
     * walk} (see {@link StateWalk}), in addition to the {@link StateHash}'s slots, whenever the
     * choice source wants fingerprints; the model still says through {@link StateHash#covers}
     * whether it wants any. Set before {@link #run()}.
     */
    public void fingerprintByWalking(StateWalk walk, Object root) {
        if (running) {
            throw new IllegalStateException("set the walk before the run");
        }
        this.walk = walk;
        this.walkRoot = root;
    }

    /** Writes {@code actor}'s scheduler state into its slot of the fingerprint. */
    private void hashActor(Actor actor) {
        if (stateHash == null) {
            return;
        }
        if (actor.hashSlot < 0) {
            actor.hashSlot = stateHash.slot();
        }
        long on = actor.blockedOn == null ? 0 : actor.blockedOn.stateHashIdentity();
        stateHash.set(actor.hashSlot, on << 8 | (actor.killed ? 4 : 0) | actor.state.ordinal());
    }

    /**
     * Creates an actor that becomes runnable at once; its body runs when the scheduler first
     * picks it. May be called before {@link #run()} or by a running actor.
     */
    public Actor spawn(String name, Runnable body) {
        return spawn(name, body, false);
    }

    /**
     * Creates a daemon actor: a device engine or kernel thread that serves others and may wait
     * for work forever. A run whose only blocked actors are daemons completes (they are ended);
     * it is a deadlock only when some other actor is blocked.
     */
    public Actor spawnDaemon(String name, Runnable body) {
        return spawn(name, body, true);
    }

    private Actor spawn(String name, Runnable body, boolean daemon) {
        Actor actor = new Actor(this, actors.size(), name, body, daemon,
                new Shared(this, sharedSerial++, name, actors.size()));
        actors.add(actor);
        addRunnable(actor);
        hashActor(actor);
        // The spawner's step creates the task; the task's first step comes after it.
        actor.shared().write();
        return actor;
    }

    /**
     * A new piece of shared state of kind {@code kind} (see {@link Shared}), named by its
     * creation order in this simulation.
     */
    public Shared shared(String kind) {
        return new Shared(this, sharedSerial++, kind);
    }

    /**
     * Makes footprints what each step touched, through the {@link Shared} calls of the model,
     * instead of what preemption points declared: undeclared points, data choices and {@link
     * #endOfDeclaredAccess()} no longer widen a step to "anything". A model turns this on only
     * when every piece of its shared state is behind a {@link Shared}; a step that touched state
     * nobody reports would be taken to commute with steps it does not commute with. Set before
     * {@link #run()}.
     */
    public void observeFootprints(boolean on) {
        if (running) {
            throw new IllegalStateException("footprints are observed or not for a whole run");
        }
        this.observe = on;
        this.recordingFootprints = on && choices.wantsFootprints();
    }

    /** Adds {@code access} to the open stretch's footprint; called by {@link Shared}. */
    void touch(Access access) {
        if (segmentActor < 0) {
            return;
        }
        // The last few accesses absorb a repeat, and a loop over consecutive entries (pages of a
        // range, with other accesses in between) makes one access: a stretch stays short.
        for (int i = touchedCount - 1; i >= 0 && i >= touchedCount - TOUCH_WINDOW; i--) {
            Access seen = touched[i];
            if (seen.mode() != access.mode()
                    || seen.resource() != access.resource() && !seen.resource().equals(access.resource())) {
                continue;
            }
            if (seen.lo() <= access.lo() && access.hi() <= seen.hi()) {
                return;
            }
            if (seen.hi() == access.lo()) {
                touched[i] = new Access(seen.resource(), seen.lo(), access.hi(), seen.mode());
                return;
            }
        }
        if (touchedCount == touched.length) {
            touched = java.util.Arrays.copyOf(touched, touchedCount * 2);
        }
        touched[touchedCount++] = access;
    }

    /**
     * Runs every actor to its end, or until a deadlock, a failure, the step limit or the deadline. Returns
     * how the run ended; {@link #schedule()} and {@link #trace()} describe it. A simulation runs
     * once.
     */
    public Outcome run() {
        if (running || outcome != null || controller != null) {
            throw new IllegalStateException("a simulation runs once");
        }
        if (Thread.currentThread().isVirtual()) {
            return drive();
        }
        // A platform thread that waits for virtual threads pays an OS wake-up each time (actor
        // starts, the end of the run, joining each unwound actor); a virtual driver that does
        // all that among virtual threads pays it once.
        Thread caller = Thread.currentThread();
        Throwable[] failure = new Throwable[1];
        ActorThreads.obtain().execute(() -> {
            try {
                drive();
            } catch (Throwable t) {
                failure[0] = t;
            } finally {
                driven = true;
                LockSupport.unpark(caller);
            }
        });
        boolean interrupted = false;
        while (!driven) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                // As before, the run is not abandoned half-way: wait for it, keep the interrupt.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        return outcome;
    }

    /** What {@link #run()} does, on a virtual thread. */
    private Outcome drive() {
        running = true;
        controller = Thread.currentThread();
        try {
            Actor first = pickNext("start", null, null);
            if (first == null) {
                outcome = new Outcome.Completed();
            } else {
                current = first;
                resume(first);
                while (!finished) {
                    LockSupport.park(this);
                }
                if (choices.wantsFootprints() && (outcome instanceof Outcome.Completed
                        || outcome instanceof Outcome.Deadlock || outcome instanceof Outcome.Failed)) {
                    // The last stretches: no decision follows them to report them.
                    closeSegment();
                    point.union = null;
                    // Its fingerprint, if asked for, is of the end state.
                    walkedAt = -1;
                    choices.runEnded(point);
                }
            }
        } catch (RuntimeException e) {
            // The choice source refused the very first decision (e.g. a replay diverged).
            outcome = new Outcome.Failed("scheduler", step, e);
        } catch (RunStopped stop) {
            // ... or pruned the run before it started.
            outcome = stop.outcome;
        } finally {
            abortParkedActors();
            running = false;
            current = direct;
        }
        return outcome;
    }

    /**
     * A place where the real kernel could switch to another CPU thread. The choice source may
     * let another runnable actor continue here; the caller resumes when it is picked again.
     *
     * @param label what the actor is about to do, e.g. {@code mmap_lock write}
     */
    public void preemptionPoint(String label) {
        preemptionPoint(label, null);
    }

    /**
     * A preemption point that declares what the step after it touches, up to this actor's next
     * preemption point, block or end (see {@link Access}). The declaration never changes a
     * decision; explorers use it to skip reorderings of steps that commute.
     *
     * @param access what the step touches, or {@code null} for anything
     */
    public void preemptionPoint(String label, Access access) {
        if (!running) {
            return;
        }
        Actor self = current;
        if (aborting) {
            throw ActorKilled.INSTANCE;
        }
        if (++step > maxSteps) {
            throw new RunStopped(new Outcome.StepLimitExceeded(maxSteps));
        }
        if (step % DEADLINE_EVERY == 0 && deadline.passed()) {
            throw new RunStopped(new Outcome.OutOfTime(step - 1));
        }
        if (trace != null) {
            trace.add(new TraceEvent.Point(step, self.name(), label, self.sourceLine));
        }
        if (runnableCount < 2) {
            if (!observe) {
                footprint = footprint.plus(access);
            }
            return;
        }
        self.pendingAccess = access;
        // Taken before the decision, so that the view's reads count in this actor's stretch.
        List<String> shown = shownState();
        Actor next = decide(self, label, null, null);
        if (next != self) {
            // The actor loses the CPU here: what it changed so far belongs to this step.
            traceState(self, shown);
            switchTo(self, next);
        }
    }

    /**
     * A preemption point where the running actor's future is decided by the model's state and
     * {@code position} alone (a statement boundary of a scenario thread: the index of the next
     * statement), so that a {@link StateWalk} may fingerprint the state while it is parked here.
     */
    public void preemptionPointAt(String label, long position) {
        Actor self = current;
        self.positioned = true;
        self.position = position;
        try {
            preemptionPoint(label, null);
        } finally {
            self.positioned = false;
        }
    }

    /**
     * {@link #block}, the running actor's future while it sleeps being decided by the model's
     * state and {@code position} alone (see {@link #preemptionPointAt}).
     */
    public void blockAt(Waitable on, long position) {
        Actor self = current;
        self.positioned = true;
        self.position = position;
        try {
            block(on);
        } finally {
            self.positioned = false;
        }
    }

    /**
     * Blocks the running actor on {@code on} until some other actor {@link #wake}s it. Another
     * runnable actor continues meanwhile; if none is left, the run ends in a deadlock.
     *
     * @throws IllegalStateException outside a run (direct mode cannot block)
     */
    public void block(Waitable on) {
        if (!running) {
            throw new IllegalStateException("direct-mode caller would block on " + on.describe());
        }
        if (aborting) {
            // The run has ended and this actor is unwinding (a finally block waits): blocking
            // would pick a successor and leave this thread parked forever.
            throw ActorKilled.INSTANCE;
        }
        Actor self = current;
        self.shared().write();
        self.state = Actor.State.BLOCKED;
        // It resumes inside the primitive and returns into code nobody declared.
        self.pendingAccess = null;
        self.blockedOn = on;
        removeRunnable(self);
        hashActor(self);
        if (trace != null) {
            trace.add(new TraceEvent.Block(step, self.name(), on.describe(), self.sourceLine));
            traceState(self, shownState());
        }
        Actor next = pickNext(null, on, null);
        if (next == null) {
            next = expireTimeout();
        }
        if (next == null) {
            outcome = endWithNoneRunnable();
            finish();
            while (!(aborting && current == self)) {
                LockSupport.park(this);
            }
            throw ActorKilled.INSTANCE;
        }
        switchTo(self, next);
        // Running again: after whoever woke it, which wrote this task's state.
        self.shared().read();
    }

    /**
     * {@code schedule_timeout}: blocks the running actor on {@code on}, as {@link #block}, until
     * it is woken or its timeout expires; returns false when the timeout ended the sleep. The
     * timeout expires only when the run is otherwise stuck (see the class note). The caller
     * queues itself on {@code on} first; a timeout takes it off with {@link
     * Waitable#cancelWait}.
     */
    public boolean scheduleTimeout(Waitable on) {
        Actor self = current;
        self.timedOut = false;
        // The order of the timed sleepers decides whose timeout expires first.
        timers.write();
        timedSleepers.add(self);
        try {
            block(on);
        } finally {
            timers.write();
            timedSleepers.remove(self);
        }
        boolean expired = self.timedOut;
        self.timedOut = false;
        return !expired;
    }

    /** Makes a blocked actor runnable again. It continues when the scheduler picks it. */
    public void wake(Actor actor) {
        // Whether it still sleeps is its task state too.
        actor.shared().read();
        if (actor.state != Actor.State.BLOCKED) {
            return;
        }
        actor.shared().write();
        actor.state = Actor.State.RUNNABLE;
        actor.blockedOn = null;
        addRunnable(actor);
        hashActor(actor);
    }

    /**
     * Ends {@code actor} the next time it would run, as a fatal signal ends a thread: a blocked
     * actor is taken off what it waits on and made runnable so it can unwind. Killing the
     * running actor unwinds it at once. Its body sees the kill as an unchecked throwable and
     * must not catch it.
     */
    public void kill(Actor actor) {
        if (actor.state == Actor.State.DONE || actor.killed) {
            return;
        }
        actor.killed = true;
        hashActor(actor);
        // The victim's next step is now an unwinding, whatever it had declared.
        actor.pendingAccess = null;
        touchedUnknown();
        if (actor == current) {
            throw ActorKilled.INSTANCE;
        }
        if (actor.state == Actor.State.BLOCKED) {
            actor.blockedOn.cancelWait(actor);
            timedSleepers.remove(actor);
            wake(actor);
        }
    }

    /**
     * A nondeterministic choice of the model among {@code bound} options, recorded in the
     * schedule like a scheduling decision.
     */
    public int choose(String label, int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("nothing to choose from for " + label);
        }
        if (bound == 1) {
            return 0;
        }
        int value = choices.pickValue(label, bound);
        if (value < 0 || value >= bound) {
            throw new IllegalStateException("choice source returned " + value + " for " + label);
        }
        schedule.add(value);
        if (!observe) {
            // What the rest of the transition touches depends on the value chosen.
            footprint = Footprint.UNKNOWN;
        }
        return value;
    }

    /**
     * Ends the declared part of the running actor's step: code that declared an {@link Access}
     * at its preemption point calls this before it returns into a caller, whose code up to the
     * next preemption point nobody declared. The rest of the step touches anything.
     */
    public void endOfDeclaredAccess() {
        if (running && !observe) {
            footprint = Footprint.UNKNOWN;
        }
    }

    /**
     * The running actor now runs line {@code line} of the scenario: its trace lines carry it
     * (for reports that link a step to its source). Changes nothing the run does.
     */
    public void atSourceLine(int line) {
        if (trace != null) {
            // Only a trace reads it: an explored run need not pay for it.
            current.sourceLine = line;
        }
    }

    /** Reports an operation of the model and its result to the trace. */
    public void traceOperation(String operation, String result) {
        if (trace != null) {
            trace.add(new TraceEvent.Op(step, current.name(), operation, result, current.sourceLine));
            traceState(current, shownState());
        }
    }

    /** What {@link #showStates} shows of the state now, or null when the run shows none. */
    private List<String> shownState() {
        return trace != null && stateView != null ? stateView.get() : null;
    }

    /** Follows the step just traced with the state {@code shown} after it (null: none shown). */
    private void traceState(Actor actor, List<String> shown) {
        if (shown != null) {
            trace.add(new TraceEvent.State(step, actor.name(), shown, actor.sourceLine));
        }
    }

    /**
     * With a trace, follows every step with what {@code view} shows of the model's state then (a
     * {@link TraceEvent.State}): every operation, every preemption point or block at which the
     * actor lost the CPU, and the actor's end (after its last step), so that what an actor
     * changed shows under its own step and not under the next actor's. The view only reads; it
     * must not change the run. For {@code replay --show}, not for exploring.
     */
    public void showStates(java.util.function.Supplier<List<String>> view) {
        this.stateView = view;
    }

    /**
     * With a trace, keeps {@code graph} as who held whom when the run ended ({@link
     * Trace#objectsAtEnd}); without one, does nothing, so a caller may build the graph only
     * {@link #tracing() when tracing}.
     */
    public void recordObjectsAtEnd(ObjectGraph graph) {
        if (trace != null) {
            trace.objectsAtEnd(graph);
        }
    }

    /**
     * Whether this simulation records a trace: callers skip building the text of {@link
     * #traceOperation} when it does not.
     */
    public boolean tracing() {
        return trace != null;
    }

    /** The running actor; the {@code direct} pseudo-actor outside a run. */
    public Actor current() {
        return current;
    }

    /** Whether a run is in progress (as opposed to direct mode). */
    public boolean running() {
        return running;
    }

    public LockDep lockDep() {
        return lockDep;
    }

    /** What this execution has paid so far (see {@link Cost}). */
    public CostCounters costs() {
        return costs;
    }

    /** The decisions made so far. */
    public Schedule schedule() {
        return schedule.build();
    }

    /** The trace, or {@code null} when this simulation does not record one. */
    public Trace trace() {
        return trace;
    }

    /** Preemption points passed so far. */
    public long steps() {
        return step;
    }

    /** Every actor spawned, in id order. */
    public List<Actor> actors() {
        return Collections.unmodifiableList(actors);
    }

    /** Records a lock acquisition for lockdep; called by the lock primitives. */
    void lockAcquired(LockClass lockClass) {
        lockDep.acquire(current, lockClass, step);
    }

    /** As {@link #lockAcquired}, for a lock taken under a nest lock the caller holds. */
    void lockAcquiredUnderNestLock(LockClass lockClass) {
        lockDep.acquire(current, lockClass, step, true);
    }

    void lockReleased(LockClass lockClass) {
        lockDep.release(current, lockClass);
    }

    // ---- scheduling internals ------------------------------------------------------------

    /**
     * Asks the choice source for the next actor; {@code self} is runnable here. The label is
     * {@code label}, or built only if asked for: {@code blocked on ...} for {@code blockedOn},
     * {@code ... exited} for {@code exited}.
     */
    private Actor decide(Actor self, String label, Waitable blockedOn, Actor exited) {
        point.running = self;
        point.label = label;
        point.blockedOn = blockedOn;
        point.exited = exited;
        closeSegment();
        point.union = null;
        decisions++;
        int index = choices.pickActor(point);
        if (index == ChoiceSource.PRUNE) {
            throw new RunStopped(new Outcome.Pruned(step));
        }
        if (index < 0 || index >= runnableCount) {
            throw new IllegalStateException("choice source returned " + index + " of " + runnableCount);
        }
        Actor next = runnable[index];
        schedule.add(next.id());
        eventCount = 0;
        openSegment(next, next.pendingAccess);
        return next;
    }

    /**
     * The next actor after the running one stopped being runnable, or null if none is; the
     * decision's label as for {@link #decide}.
     */
    private Actor pickNext(String label, Waitable blockedOn, Actor exited) {
        if (runnableCount == 0) {
            return null;
        }
        if (runnableCount == 1) {
            // A switch without a decision: a new stretch, of the other actor, which resumes
            // where nobody declared anything.
            closeSegment();
            openSegment(runnable[0], null);
            return runnable[0];
        }
        return decide(null, label, blockedOn, exited);
    }

    private void switchTo(Actor self, Actor next) {
        if (trace != null) {
            trace.add(new TraceEvent.Switch(step, next.name(), self.name()));
        }
        current = next;
        resume(next);
        awaitTurn(self);
    }

    private void resume(Actor next) {
        if (next.thread == null) {
            // Published before the actor runs: once it runs, any actor may resume it.
            ActorThreads.Worker worker = ActorThreads.obtain();
            next.thread = worker.thread();
            worker.execute(() -> runOnThread(next));
        } else {
            LockSupport.unpark(next.thread);
        }
    }

    private void awaitTurn(Actor self) {
        while (current != self) {
            LockSupport.park(this);
        }
        if (aborting || self.killed) {
            throw ActorKilled.INSTANCE;
        }
    }

    /**
     * The task of an actor's thread: its body, then the sign that the thread is done with the
     * actor (the thread goes back to {@link ActorThreads}), which the end of the run waits for.
     */
    private void runOnThread(Actor self) {
        try {
            runActor(self);
        } catch (Throwable t) {
            // Out of memory, say, while handing the CPU on (the body's own failures are caught
            // in runActor): end the run with it rather than leave run() parked forever.
            if (!finished && !aborting) {
                outcome = new Outcome.Failed(self.name(), step, t);
                finish();
            }
        } finally {
            self.unwound = true;
            // Pairs with abortParkedActors, which sets aborting before it reads unwound: either
            // it sees this actor unwound or this sees it waiting.
            if (aborting) {
                LockSupport.unpark(controller);
            }
        }
    }

    private void runActor(Actor self) {
        Throwable failure = null;
        Outcome stopped = null;
        try {
            if (self.killed) {
                throw ActorKilled.INSTANCE;
            }
            // After the step that spawned it, which wrote this task's state.
            self.shared().read();
            self.body().run();
        } catch (ActorKilled killed) {
            if (aborting) {
                return;
            }
        } catch (RunStopped stop) {
            stopped = stop.outcome;
        } catch (Throwable t) {
            failure = t;
        }
        if (aborting) {
            return;
        }
        if (!timedSleepers.isEmpty()) {
            // Ending stops the task being runnable, which a sleeper's timeout expiry depends on.
            self.shared().write();
        }
        self.state = Actor.State.DONE;
        removeRunnable(self);
        hashActor(self);
        if (failure != null || stopped != null) {
            outcome = stopped != null ? stopped : new Outcome.Failed(self.name(), step, failure);
            finish();
            return;
        }
        // What it did after its last step (a process exit, say) belongs to that step.
        traceState(self, shownState());
        Actor next;
        try {
            next = pickNext(null, null, self);
        } catch (RunStopped stop) {
            outcome = stop.outcome;
            finish();
            return;
        } catch (Throwable e) {
            // The choice source failed (e.g. a replay diverged). This is outside the body's
            // try, so end the run here rather than let the exception kill the thread silently
            // and leave run() parked forever.
            outcome = new Outcome.Failed(self.name(), step, e);
            finish();
            return;
        }
        if (next == null) {
            next = expireTimeout();
        }
        if (next == null) {
            outcome = endWithNoneRunnable();
            finish();
        } else {
            if (trace != null) {
                trace.add(new TraceEvent.Switch(step, next.name(), self.name()));
            }
            current = next;
            resume(next);
        }
    }

    private void finish() {
        finished = true;
        LockSupport.unpark(controller);
    }

    /**
     * Wakes every started actor whose thread is not done with it, with the abort flag set, and
     * waits until it has unwound.
     */
    private void abortParkedActors() {
        aborting = true;
        for (Actor a : actors) {
            if (a.thread != null && !a.unwound) {
                current = a;
                LockSupport.unpark(a.thread);
                while (!a.unwound) {
                    LockSupport.park(this);
                }
            }
            if (a.state != Actor.State.DONE && !a.daemon() && outcome instanceof Outcome.Completed) {
                throw new IllegalStateException("actor " + a.name() + " unfinished in a completed run");
            }
        }
    }

    /**
     * No actor can run: ends the sleep of the longest timed sleeper and returns it, now
     * runnable; null when none sleeps, or when only daemons are blocked (the run is complete).
     */
    private Actor expireTimeout() {
        if (timedSleepers.isEmpty() || !nonDaemonBlocked()) {
            return null;
        }
        timers.write();
        Actor sleeper = timedSleepers.remove(0);
        Waitable on = sleeper.blockedOn;
        on.cancelWait(sleeper);
        sleeper.timedOut = true;
        if (trace != null) {
            trace.add(new TraceEvent.Op(step, sleeper.name(), "timeout on " + on.describe(), "expired",
                    sleeper.sourceLine));
        }
        wake(sleeper);
        // Nothing chose it: it runs because nothing else could. Declared, that commutes with
        // nothing; observed, its stretch depends on every task having blocked or ended, each of
        // which wrote its task state.
        closeSegment();
        openSegment(sleeper, null);
        if (!observe) {
            touchedUnknown();
        }
        for (Actor a : actors) {
            a.shared().read();
        }
        timers.write();
        return sleeper;
    }

    private boolean nonDaemonBlocked() {
        for (Actor a : actors) {
            if (a.state == Actor.State.BLOCKED && !a.daemon()) {
                return true;
            }
        }
        return false;
    }

    /** No actor can run: complete if only daemons wait, otherwise a deadlock. */
    private Outcome endWithNoneRunnable() {
        for (Actor a : actors) {
            if (a.state == Actor.State.BLOCKED && !a.daemon()) {
                return new Outcome.Deadlock(blockedActors());
            }
        }
        return new Outcome.Completed();
    }

    /** Throws in direct mode, before a primitive queues the caller as a waiter. */
    void checkCanBlock(Waitable on) {
        if (!running) {
            throw new IllegalStateException("direct-mode caller would block on " + on.describe());
        }
    }

    private List<Outcome.BlockedActor> blockedActors() {
        List<Outcome.BlockedActor> out = new ArrayList<>();
        for (Actor a : actors) {
            if (a.state == Actor.State.BLOCKED) {
                out.add(new Outcome.BlockedActor(a.name(), a.blockedOn.describe()));
            }
        }
        return out;
    }

    private void addRunnable(Actor actor) {
        if (runnableCount == runnable.length) {
            runnable = java.util.Arrays.copyOf(runnable, runnableCount * 2);
        }
        int i = runnableCount;
        while (i > 0 && runnable[i - 1].id() > actor.id()) {
            runnable[i] = runnable[i - 1];
            i--;
        }
        runnable[i] = actor;
        runnableCount++;
    }

    private void removeRunnable(Actor actor) {
        for (int i = 0; i < runnableCount; i++) {
            if (runnable[i] == actor) {
                System.arraycopy(runnable, i + 1, runnable, i, runnableCount - i - 1);
                runnable[--runnableCount] = null;
                return;
            }
        }
    }

    /** Ends the open stretch and appends it to the events of the coming decision. */
    private void closeSegment() {
        if (segmentActor < 0) {
            return;
        }
        Footprint f;
        if (!observe) {
            f = footprint;
        } else if (!recordingFootprints || footprint == Footprint.UNKNOWN) {
            f = Footprint.UNKNOWN;
        } else {
            f = Footprint.of(touched, touchedCount);
        }
        if (eventCount == eventActors.length) {
            eventActors = java.util.Arrays.copyOf(eventActors, eventCount * 2);
            eventFootprints = java.util.Arrays.copyOf(eventFootprints, eventCount * 2);
        }
        eventActors[eventCount] = segmentActor;
        eventFootprints[eventCount] = f;
        eventCount++;
        segmentActor = -1;
    }

    /**
     * Opens the stretch of {@code actor}, starting from its declaration (not observing; null:
     * undeclared, so unknown); an observed footprint starts empty.
     */
    private void openSegment(Actor actor, Access declared) {
        segmentActor = actor.id();
        // Built only when footprints are declared: a decision of an observing run allocates nothing.
        footprint = observe ? Footprint.NONE : Footprint.of(declared);
        touchedCount = 0;
    }

    /** The open stretch touched anything, also when observing. */
    private void touchedUnknown() {
        footprint = Footprint.UNKNOWN;
    }

    /** The reused view of the current decision. */
    private final class Point implements SchedulingPoint {
        Actor running;
        String label;
        Waitable blockedOn;
        Actor exited;
        /** All the events' footprints together, once asked for. */
        Footprint union;

        @Override
        public int candidateCount() {
            return runnableCount;
        }

        @Override
        public Actor candidate(int index) {
            return runnable[index];
        }

        @Override
        public Actor running() {
            return running;
        }

        @Override
        public long step() {
            return step;
        }

        @Override
        public String label() {
            if (label != null) {
                return label;
            }
            return blockedOn != null ? "blocked on " + blockedOn.describe() : exited.name() + " exited";
        }

        @Override
        public Footprint footprint() {
            if (union == null) {
                union = eventCount == 0 ? Footprint.NONE : Footprint.union(eventFootprints, eventCount);
            }
            return union;
        }

        @Override
        public int eventCount() {
            return eventCount;
        }

        @Override
        public int eventActor(int i) {
            checkEvent(i);
            return eventActors[i];
        }

        @Override
        public Footprint eventFootprint(int i) {
            checkEvent(i);
            return eventFootprints[i];
        }

        private void checkEvent(int i) {
            if (i < 0 || i >= eventCount) {
                throw new IndexOutOfBoundsException("event " + i + " of " + eventCount);
            }
        }

        @Override
        public Access pendingAccess(int index) {
            return runnable[index].pendingAccess;
        }

        @Override
        public boolean fingerprinted() {
            // A timed sleeper's expiry depends on the order of the sleepers, which is not hashed.
            if (stateHash == null || !stateHash.covers() || !timedSleepers.isEmpty()) {
                return false;
            }
            return walk == null || walked() != null;
        }

        @Override
        public long fingerprintHigh() {
            return walk == null ? stateHash.high() : stateHash.high() + walked()[0];
        }

        @Override
        public long fingerprintLow() {
            return walk == null ? stateHash.low() : stateHash.low() ^ walked()[1];
        }

        /** The walked fingerprint at this decision, or null where the state cannot be walked. */
        private long[] walked() {
            if (walkedAt != decisions) {
                walkedAt = decisions;
                walked = walk.fingerprint(walkRoot, actors, lockDep, sharedSerial);
            }
            return walked;
        }
    }

    /** Unwinds an actor that was killed or whose run was aborted. Never caught by model code. */
    static final class ActorKilled extends Error {
        private static final long serialVersionUID = 1L;
        static final ActorKilled INSTANCE = new ActorKilled();

        private ActorKilled() {
            super("actor killed", null, false, false);
        }
    }

    /** Unwinds the actor that passed the step limit or the deadline; the run ends with {@code outcome}. */
    private static final class RunStopped extends Error {
        private static final long serialVersionUID = 1L;
        final transient Outcome outcome;

        RunStopped(Outcome outcome) {
            super("run stopped: " + outcome, null, false, false);
            this.outcome = outcome;
        }
    }
}
