/**
 * The checker: invariants, exploration, verdicts.
 *
 * <p>Roles are separate types, as in Java PathFinder: a {@link accelmm.check.Model} is one
 * scenario under one design combination that can be executed again and again; a {@link
 * accelmm.check.Strategy} (random walk, PCT, a mix) chooses schedules through the simulation's
 * one {@code ChoiceSource}; the {@link accelmm.check.Explorer} drives executions within a
 * {@link accelmm.check.Budget}; invariants observe and never mutate — {@link
 * accelmm.check.AccessChecks} judges every memory access (use-after-free, stale-access,
 * coredump-userptr, incoherent-access, secret-leak), {@link accelmm.check.LookupChecks} every
 * object an ioctl finds by ID (cross-client-access, through the drm layer's lookup observer) and
 * {@link accelmm.check.RunVerdicts} the end of a run (deadlock, lock-order, leak, refcount,
 * failed expectations), each invariant its own type.
 *
 * <p>{@code incoherent-access} ({@link accelmm.check.IncoherentAccess}) compares the memory type
 * of the mapping an access used ({@link accelmm.mm.MemoryAccess#cacheMode()}: a CPU PTE's) with
 * the frame's own type, the one its owner set ({@link accelmm.mm.PageFrame#cacheMode()}), and
 * breaks when one is cached and the other not. WC against UC passes: both bypass the caches. An
 * access of no stated type (kernel copies, access hooks, snooping DMA) agrees by construction.
 *
 * <p>An invariant that breaks in the middle of a run ends it at once, by throwing {@link
 * accelmm.check.InvariantBroken} into the model's call stack; the simulation records that as a
 * failed outcome with the step, and the explorer replays the recorded schedule with a trace to
 * show the counterexample. The {@link accelmm.check.Shrinker} then makes that counterexample as
 * small as it can — fewest steps, then fewest context switches, the same invariant — by
 * replaying shorter and simpler schedules.
 *
 * <p>A run that passes its step limit, or whose time budget ends before it finishes, has no
 * verdict ({@link accelmm.check.Inconclusive}): its end was never reached, so no end-of-run
 * invariant judges it, and no expectation is met by it.
 *
 * <p>Systematic search ({@link accelmm.check.Strategy.Dfs}) is stateless and reduced by
 * partial-order reduction, DPOR by default: after each execution the races between steps of
 * different actors that touched the same state (the simulation's observed or declared
 * footprints) decide which other orders are explored; orders that only swap steps touching
 * different state are one class and one of them runs. With a preemption bound K it is bounded
 * POR: a race reversed at a decision is also tried at the context switch before it whenever
 * the subtree explored from that decision left something out for the bound, so that "complete
 * for K preemptions" keeps its meaning, every state reachable with at most K preemptions
 * visited. A race in which a step woke the actor of the other (observed footprints show it) is
 * not one DPOR reverses: any other order needs another waker, whose own race with the first is
 * reversed. A step whose footprint is unknown conflicts with everything, so a model
 * that reports less only gets less reduction, never a missed state. See {@link
 * accelmm.check.DfsSearch} for the design note.
 *
 * <p>State caching. A model that keeps a 128-bit fingerprint of its state ({@link
 * accelmm.sim.StateHash}: every variable, every actor's position and live locals, with the
 * actors' scheduler states the simulation adds) lets the DFS stop a run at a state whose subtree
 * it finished exploring: stateful search. It stays sound with the reductions because a visit is
 * reused only where it covers the new one — no more transitions asleep (a subtree explored with
 * fewer asleep explored everything one with more would), no more preemptions spent, the same
 * actor able to go on (then everything reachable within the bound from the new visit was
 * reachable from the old) — and, under DPOR, because each stored state keeps a summary of the
 * events (actor and footprint) its subtree ran, transitively through the hits below it, and a hit
 * treats every one of them as if it ran next: it races with every conflicting event of another
 * actor on the current path that does not happen before that actor's own last event there
 * (the rest of happens-before ignored), and adds backtracks as a race would (the
 * bounded rule too; and, bounded, every actor of the subtree goes to the last context switch
 * before the state, where the subtree's own races sent their conservative branches when no
 * switch came between). Re-exploring the state would run a subset of those events, so every
 * backtrack it would have added to the path is added; the over-approximation costs executions,
 * never states. "Complete" keeps its meaning: every state (within the bound) was visited, in
 * this search or in the subtree a hit stands for. Runs stopped at a hit are not executions;
 * {@code --stats} shows states stored and cache hits.
 *
 * <p>The scenario models fingerprint by walking their objects ({@link accelmm.sim.StateWalk}),
 * and only at decisions where every actor's future is the state: each thread between two
 * statements (its future is then the index of its next statement, its process's bindings and
 * the world) or waiting for its start event, each daemon idle, the rest not started or ended.
 * Elsewhere an actor is inside a kernel call whose locals no walk sees, and the decision gets no
 * fingerprint: no lookup, no store, as in a stateless search. The walk hashes the world's object
 * graph in a fixed order (fields, list and map entries in order, a reference as the number of
 * its target in the walk, so sharing and cycles count and identities do not), every piece of
 * shared state by its creation serial, the actors' ids with the serials of their task pieces,
 * positions, held locks and waits with the waiter order of each lock and queue, the lockdep
 * graph and, as the physical memory holds them, the cost counters (so a hit changes no cost the
 * report shows). The serials matter to DPOR: a stored summary names the pieces its events
 * touched by serial, and equal serials make those the same objects at the hit. No fingerprint
 * either while a timed sleeper waits or while a helper actor (a {@code delayed_fput}, a
 * devcoredump worker, an eudebug discovery) is inside its body. Whatever the walk cannot take apart (an object of a class outside the project that is
 * not a collection, map or optional) makes the state unhashable, never a guess. The model keeps
 * the collections that commuting steps fill in either order (the waits of each topic, a
 * process's bindings, the events signalled, an rwsem's readers) sorted, so that the two orders
 * leave one state. The net is {@code StateCachingScenarioTest}: on every catalog row and on
 * generated scenarios, the same verdicts, completeness and end states with caching as without.
 *
 * <p>Memory: a search holds the current execution, the DFS path and the tasks in flight, each
 * with the decision prefix it starts from (the finished ones fold into counts), never one record
 * per execution, so a long search runs in the heap of a short one. The tasks waiting to run grow
 * with the depth of the search tree (at worst tasks times their prefix), not with the
 * executions run.
 *
 * <p>Wall-clock time is read here (time budgets, rates) but never by the model: the simulation
 * only asks a {@link accelmm.sim.Deadline} whether to stop.
 */
package accelmm.check;
