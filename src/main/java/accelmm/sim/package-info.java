/**
 * The deterministic simulation kernel: actors, scheduling points, blocking primitives.
 *
 * <p>Every concurrent activity of the model — a CPU thread of a simulated process, a device
 * engine, a kernel daemon such as reclaim — is an {@link accelmm.sim.Actor}. Actors run plain
 * sequential Java on virtual threads, but exactly one of them runs at any moment. Model code
 * calls {@link accelmm.sim.Simulation#preemptionPoint(String)} wherever the real kernel could
 * interleave (around lock boundaries, between reading a notifier sequence and checking it,
 * before a fence wait); there the one {@link accelmm.sim.ChoiceSource} decides which runnable
 * actor continues. The sequence of those decisions is the {@link accelmm.sim.Schedule}; a
 * recorded schedule replays the same execution exactly.
 *
 * <p>Blocking is modelled after the kernel's primitives: {@link accelmm.sim.Mutex} (with an
 * owner and a {@link accelmm.sim.LockClass} checked by a lockdep-like {@link
 * accelmm.sim.LockDep}), {@link accelmm.sim.RwSemaphore} (what {@code mmap_lock} is), {@link
 * accelmm.sim.WaitQueue} and {@link accelmm.sim.Completion}. A blocked actor is not runnable;
 * when no actor is runnable while some have not finished, the run ends in a {@link
 * accelmm.sim.Outcome.Deadlock} — unless an actor sleeps with a timeout ({@link
 * accelmm.sim.Simulation#scheduleTimeout}, {@link accelmm.sim.WaitQueue#waitEventTimeout}):
 * there is no clock, so a timeout expires exactly then, for the longest sleeper, and the run
 * goes on.
 *
 * <p>Determinism: no wall-clock time, no unseeded randomness and no hash iteration order is
 * used here. Actors are ordered by their id (spawn order), and the only source of choice is
 * the {@code ChoiceSource}.
 *
 * <p>Footprints: for partial-order reduction an explorer needs to know which steps commute. Every
 * piece of shared state of the model is behind a {@link accelmm.sim.Shared}, created by {@link
 * accelmm.sim.Simulation#shared} and named by its creation order, which is the same in every
 * execution that shares a prefix; its owner reports each read and write. When a simulation
 * {@linkplain accelmm.sim.Simulation#observeFootprints observes footprints}, each decision
 * tells the choice source what every actor's stretch since the previous decision touched
 * ({@link accelmm.sim.SchedulingPoint#eventFootprint}); otherwise the footprints are what
 * preemption points declared, a stretch through an undeclared point touching anything. The
 * scheduler reports its own state too: spawning, blocking and waking write the task's state, and
 * a task's first step and its resumption after a wake read it, so an enabling step is never
 * taken to commute with what it enabled. A choice source may end a run whose continuations were
 * all explored elsewhere ({@link accelmm.sim.ChoiceSource#PRUNE}).
 *
 * <p>Direct mode: while no run is in progress, preemption points are no-ops and uncontended
 * locks succeed, so that model code can be driven from an ordinary test or benchmark thread.
 * Blocking outside a run is a model bug and throws.
 *
 * <p>Switching: an actor that gives up the CPU picks its successor itself and hands over
 * directly (no round trip through a controller thread). When the chosen actor is the one
 * already running, nothing is switched at all.
 */
package accelmm.sim;
