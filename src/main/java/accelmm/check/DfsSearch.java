package accelmm.check;

import accelmm.sim.Deadline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Strategy.Dfs}: bounded exhaustive search over the decisions of a {@link Model}.
 *
 * <p>Design note. The search is stateless (VeriSoft, CHESS): it keeps only the path of
 * decisions of the current execution ({@link DfsNode}s) and re-executes the model from scratch
 * for each new one. An execution replays the path, then follows the default continuation (the
 * running actor keeps the CPU, else the lowest id; data choices take 0) and records every new
 * decision with its options. Backtracking moves the deepest node with an option left to that
 * option and cuts the path after it.
 *
 * <pre>
 *   execution 1:  [a] a  a  b        path: n0=a  n1=a  n2=a   (n2 also offers b)
 *   execution 2:  [a] a  b  ...      n2 moves to b; the rest is default continuation
 * </pre>
 *
 * Preemption bounding: choosing another actor while the running one could go on costs one
 * preemption; options that would exceed the bound are left out, and the node is then marked
 * incomplete. "Complete for K preemptions" means every state reachable with at most K
 * preemptions was visited (as an end state or on the way), so every violation such an
 * execution would show was found.
 *
 * <p>Reduction ({@link Strategy.Reduction}). Sleep sets (Godefroid): a transition explored from
 * a node need not run first again in a later sibling's subtree as long as every transition
 * since commutes with it, which the simulation's {@link accelmm.sim.Footprint}s tell; an
 * execution that reaches a decision where every option sleeps is redundant and stops at once
 * ({@link accelmm.sim.ChoiceSource#PRUNE}), counted apart ({@link #prunedRuns()}), not as an
 * execution. With a preemption bound the reordered execution might have been cut in that
 * earlier subtree, so only subtrees explored without leaving anything out for the bound feed
 * sleep sets. DPOR (the default) adds source-DPOR (Abdulla et al., POPL 2014): a new decision
 * offers one option (the default continuation, or the first awake), and after each execution
 * {@link DporRaces} finds the races among the stretches it ran and adds to the backtrack sets
 * the options that reverse them; data choices keep every value. Bounded, it is BPOR (Coons,
 * Musuvathi, McKinley, OOPSLA 2013): a race adds the racing actor at the decision before the
 * first of the pair and at the last context switch before that decision, so that an execution
 * reversing the race within K preemptions is reached even when the direct reversal costs one
 * preemption too many. The branch at the switch is kept aside until the subtree of the racing
 * actor at the decision is finished, and added only if that subtree left something out for the
 * bound (or the actor is over the bound there, or another task explores part of it): a subtree
 * cut by nothing is an unbounded DPOR search of its own, whose races send their actors where
 * they are needed. Together with the sleep rule above this keeps "complete for K" true:
 * every state within K preemptions of the unreduced search is an equivalent (same state)
 * reordering of one explored. Reduction is only as good as the footprints: a step whose
 * footprint is unknown conflicts with everything, which is always sound.
 *
 * <p>Parallel search. The search is cut into {@link DfsTask}s: every {@value
 * DfsTask#DONATE_EVERY} executions a task hands the options left at its shallowest open
 * decision to child tasks and keeps what lies below. Those hand-overs depend only on the task's
 * own executions, and a child starts from a copy of the decisions above it (with the explored
 * siblings its sleep sets need), so the tasks and their executions are the same however many
 * threads run them. {@link Budget#jobs()} threads take the pending task that comes first in the
 * sequential order. The result is assembled in that order: the first {@link
 * Budget#maxExecutions()} executions, the first violation among them, the same counts and
 * schedule for any number of threads; the costs ({@link CostSummary}) are added task by task in
 * that order too, a task cut by the budget giving those of its first executions only (kept one by
 * one, as their steps are, while an earlier task runs). A task stops early only when its next execution can no
 * longer count: it lies past the budget, or an earlier task found a violation. A handed-over
 * option does not see the siblings handed over with it as explored (each is its own task), which
 * gives up a little reduction; on the catalog at 2 and 3 preemptions the counts are the same as
 * without hand-overs.
 *
 * <p>DPOR across tasks. A hand-over gives away the options the node's backtrack set holds then;
 * a race found later may ask for another option at a decision the task no longer owns (handed
 * over, or in its prefix). That becomes a request: a new task for the prefix up to that decision
 * and the option, keyed from the hand-over that gave the decision away (its key, then past the
 * siblings it made, deeper decisions first, then the option), so that every task asking for it
 * names the same key and the same prefix (a node's copies carry the backtrack set it had when
 * handed over, never what a requester added). The search makes each key once. Each task's
 * requests depend only on its own executions, so the set of tasks is the closure of the
 * requests, the same for any number of threads; a request's key sorts after the requester's own
 * subtree, so it is never behind the part of the order already folded into counts.
 *
 * <p>Tasks elsewhere ({@link Budget#remote()}, {@link RemoteTasks}). The threads that take
 * tasks in order may send each to another JVM instead of running it: as bytes, the task and the
 * model's description, given the executions it could still count and the time left, and
 * cancelled once the search would stop it here ({@code Run.stop}). Its hand-overs and requests come back while
 * it runs and join the pending tasks, each key once; its counts and ending come back when it
 * ends, and the task is then finished as if it had run here. A task that could not go, or failed
 * there, runs here. The order of the result does not depend on where tasks ran, so it is one
 * thread's.
 *
 * <p>Sharded search ({@link ShardedDfs}). With a {@link Shard} of several, every shard runs the
 * root; of the tasks the root hands over or requests it keeps those it owns, and of the tasks
 * those make, all. It reports its tasks with their keys and counts, in order up to its first
 * violation or its budget, and the merge of every shard's tasks, assembled in key order as
 * {@link #result} does, is this search's result. A shard's own result is never complete. A
 * search that caches states is one task (see below): every shard runs all of it, so sharding
 * splits nothing there.
 *
 * <p>State caching ({@link Strategy.Dfs#stateCaching()}, for a model that {@linkplain
 * Model#fingerprintsStates() fingerprints its states}). At a new actor decision the search looks
 * the state's 128-bit fingerprint up in a {@link StateCache}; when a stored visit covers this
 * one the run stops there, as a dead end that stands for the stored subtree (a cache hit, not an
 * execution). A decision stores its state when its subtree is finished, that is when it leaves
 * the path with every option its backtrack set came to hold explored; a state on the path is
 * never a hit (its subtree is not finished). A visit covers another when it had no more
 * preemptions spent (with, bounded, the same actor able to go on: the key holds it) and no more
 * transitions asleep (Godefroid's rule for sleep sets with state caching): it then explored
 * everything the new visit would, and left out for the bound no less, which the hit passes on
 * (a cut subtree feeds no sleep set). Under DPOR each node also sums up, per actor, what every
 * event below it touched ({@link EventSummary}), the summaries of hits below included; the
 * stored visit keeps it, and at a hit {@link DporRaces} takes every summed-up event as if it ran
 * next (Yang, Chen, Gopalakrishnan, Kirby, SPIN 2008, conservatively: every conflicting event of
 * another actor on the path races with it, whatever happens-before says, and the classic rule
 * adds the actor at that event's decision, or every candidate). So the backtracks a re-explored
 * subtree would have added to the path are added anyway: re-exploring it from an equal state with
 * no fewer transitions asleep runs a subset of its events (races inside a subtree involve only its
 * own events), and the races of those with the path are covered. Bounded, a race inside the
 * subtree also sent its actor to the last context switch before it, which lies on the path above
 * the state when no switch came between: a hit puts every actor of the subtree there too. Sleepers inherited from above
 * were explored from the path's own ancestors, whose races the search handles there. A caching
 * search is one task, hands nothing over and requests nothing, so the cache is the same whatever
 * the threads: with {@link Budget#jobs()} above one the other threads have nothing to do. The
 * cache is bounded ({@link Strategy.Dfs#stateCacheLimit()}): past it states are no longer stored
 * and the search goes on as a stateless one. A fingerprint that is equal for two different states
 * (a collision of 128 bits) would skip one of them.
 */
final class DfsSearch {

    private static final Comparator<DfsTask> ORDER = (a, b) -> Arrays.compare(a.key, b.key);

    private final Model model;
    private final Strategy.Dfs strategy;
    private final int donateEvery;
    /** The part of the search this one runs ({@link ShardedDfs}); {@link Shard#WHOLE}: all of it. */
    private final Shard shard;
    /**
     * Of the last search: tasks it made, the most it held at once, and the executions whose
     * step counts were kept one by one (tests show the last two stay small).
     */
    private long tasksCreated;
    private int peakTasksHeld;
    private long stepsRecorded;
    /** Of the last search: the runs pruned asleep at every option in the tasks it counted. */
    private long prunedRuns;

    DfsSearch(Model model, Strategy.Dfs strategy) {
        this(model, strategy, DfsTask.DONATE_EVERY);
    }

    /** With hand-overs every {@code donateEvery} executions of a task (tests compare it with none). */
    DfsSearch(Model model, Strategy.Dfs strategy, int donateEvery) {
        this(model, strategy, donateEvery, Shard.WHOLE);
    }

    /** Only {@code shard}'s part of the search, which {@link ShardedDfs#merge} joins with the others'. */
    DfsSearch(Model model, Strategy.Dfs strategy, Shard shard) {
        this(model, strategy, DfsTask.DONATE_EVERY, shard);
    }

    DfsSearch(Model model, Strategy.Dfs strategy, int donateEvery, Shard shard) {
        this.model = model;
        this.strategy = strategy;
        this.donateEvery = donateEvery;
        this.shard = shard;
    }

    Exploration explore(Budget budget) {
        return explore(budget, budget.deadline());
    }

    Exploration explore(Budget budget, Deadline deadline) {
        long started = System.nanoTime();
        Run run = new Run(budget, deadline);
        run.go();
        Exploration result = run.result(started);
        // The states stored and the runs that stopped at one (0 without caching).
        long statesStored;
        long cacheHits;
        synchronized (run) {
            tasksCreated = run.created;
            peakTasksHeld = run.peak;
            stepsRecorded = run.recorded;
            prunedRuns = run.prunedCounted;
            cacheHits = run.hitsCounted;
            statesStored = run.cache == null ? 0 : run.cache.states();
            for (DfsTask t : run.all) {
                stepsRecorded += t.recorded();
            }
        }
        result = result.withPrunedRuns(prunedRuns).withStateCache(statesStored, cacheHits);
        return shard.whole() ? result : result.withShardedDfs(run.shardPart());
    }

    long tasksCreated() {
        return tasksCreated;
    }

    int peakTasksHeld() {
        return peakTasksHeld;
    }

    /**
     * Runs of the last search that stopped asleep at every option, in the tasks it counted
     * whole: redundant, so not counted as executions.
     */
    long prunedRuns() {
        return prunedRuns;
    }

    long stepsRecorded() {
        return stepsRecorded;
    }

    /** One search: the tasks, the threads that run them, and the assembly of the result. */
    private final class Run implements DfsTask.Host {
        private final Budget budget;
        private final Deadline deadline;
        /** Every task found so far, in order; read without the lock for budget checks. */
        private final ConcurrentSkipListSet<DfsTask> all = new ConcurrentSkipListSet<>(ORDER);
        /** Tasks not yet taken by a thread, in order; guarded by {@code this}. */
        private final TreeSet<DfsTask> pending = new TreeSet<>(ORDER);
        /** The keys of every task requested so far, so that each is made once; guarded by {@code this}. */
        private final TreeSet<int[]> requestKeys = new TreeSet<>(Arrays::compare);
        /** Of a search run elsewhere, the keys of every task handed over so far; guarded by {@code this}. */
        private final TreeSet<int[]> handedKeys = new TreeSet<>(Arrays::compare);
        private final AtomicLong ran = new AtomicLong();
        /** The first task (in order) that violated or failed; guarded by {@code this}. */
        private DfsTask firstBad;
        private int running;
        /** What ended a worker outside any task (the search ends with it). */
        private Throwable fatal;
        private volatile boolean timeUp;
        /**
         * The finished tasks at the head of the order, folded into counts and dropped from
         * {@code all}, so that the search holds only the tasks in flight, whatever it has run.
         * Guarded by {@code this}; {@code foldedExecutions} is also read by {@link #stop}.
         */
        private volatile long foldedExecutions;
        private long foldedSteps;
        private final CostSummary foldedCosts = new CostSummary();
        private boolean foldedIncomplete;
        private boolean foldedBoundHit;
        private long foldedPruned;
        private long foldedHits;
        /** The pruned runs and cache hits of the tasks {@link #result} counted whole. */
        private long prunedCounted;
        private long hitsCounted;
        /** The states explored, when the search caches them (then one task is the whole search). */
        private final StateCache cache;
        /** The model's description for other JVMs ({@link Model#portable}), when tasks run there. */
        private final byte[] portable;
        /** Tasks made, and the most held at once; guarded by {@code this}. */
        private long created = 1;
        private int peak = 1;
        /** Step counts kept one by one by the tasks folded; guarded by {@code this}. */
        private long recorded;
        /**
         * Of a sharded search, the results of the tasks folded, in order, and whether some
         * folded one lay past the budget (it ran nothing); guarded by {@code this}.
         */
        private final List<ShardedDfs.Task> foldedTasks = new ArrayList<>();
        private boolean foldedBeyondBudget;

        Run(Budget budget, Deadline deadline) {
            this.budget = budget;
            this.deadline = deadline;
            this.portable = budget.remote() == null ? null : model.portable();
            cache = strategy.stateCaching() && model.fingerprintsStates() ? new StateCache(strategy.stateCacheLimit())
                    : null;
            DfsTask root = cache != null ? DfsTask.caching(strategy, cache) : DfsTask.root(strategy, donateEvery);
            all.add(root);
            pending.add(root);
        }

        void go() {
            boolean elsewhere = elsewhere();
            if (!elsewhere && budget.jobs() == 1) {
                work();
                rethrowFatal();
                return;
            }
            List<Thread> threads = new ArrayList<>();
            addWorkers(threads, elsewhere ? budget.remote().slots() : budget.jobs());
            try {
                for (int i = 0; i < threads.size(); i++) {
                    Thread t = threads.get(i);
                    while (t.isAlive()) {
                        t.join(200);
                        budget.progress().update(model, strategy.describe(), ran.get());
                        if (elsewhere) {
                            // A member that joined meanwhile gets tasks too: one more worker per slot.
                            addWorkers(threads, budget.remote().slots());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while exploring", e);
            }
            rethrowFatal();
        }

        /**
         * Starts workers until there are {@code jobs}. Any number of workers gives the same
         * result: each takes the first task pending, and the results are folded in task order.
         */
        private void addWorkers(List<Thread> threads, int jobs) {
            while (threads.size() < jobs) {
                Thread t = new Thread(this::work, "accelmm-dfs-" + threads.size());
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private synchronized void rethrowFatal() {
            switch (fatal) {
                case null -> { }
                case Error e -> throw e;
                case RuntimeException e -> throw e;
                default -> throw new IllegalStateException(fatal);
            }
        }

        /** Takes tasks in order until none is left or none can count any more. */
        private void work() {
            while (true) {
                DfsTask task;
                synchronized (this) {
                    while ((task = pending.pollFirst()) == null && running > 0) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    if (task == null) {
                        notifyAll();
                        return;
                    }
                    running++;
                }
                try {
                    DfsTask t = task;
                    // A task that cannot count any more stops at once: it runs here.
                    if (!elsewhere() || stop(t) || !ranElsewhere(t)) {
                        ExplorerThreads.run(() -> t.run(model, this, deadline));
                    }
                } catch (RuntimeException | Error e) {
                    // Out of memory, say, outside an execution: end the search with it, not a hung thread.
                    task.failed(e);
                }
                synchronized (this) {
                    try {
                        if ((task.violation() != null || task.error() != null)
                                && (firstBad == null || ORDER.compare(task, firstBad) < 0)) {
                            firstBad = task;
                        }
                        fold();
                    } catch (RuntimeException | Error e) {
                        // Out of memory while counting: the search ends with it (go() rethrows).
                        fatal = fatal == null ? e : fatal;
                        pending.clear();
                        return;
                    } finally {
                        // Whatever happened, the others must not wait for this worker.
                        running--;
                        notifyAll();
                    }
                }
            }
        }

        /**
         * Whether tasks run in other JVMs ({@link RemoteTasks}): a remote is given, the model can
         * be described there, and the search is not one caching task nor one shard's part.
         */
        private boolean elsewhere() {
            return budget.remote() != null && cache == null && shard.whole() && portable != null;
        }

        /**
         * Runs {@code t} in another JVM and takes its outcome; false when none could run it, or it
         * failed there: it then runs here. It runs there to its end or to the most executions a
         * task can count, whatever happens here meanwhile: what cannot count is not counted.
         */
        private boolean ranElsewhere(DfsTask t) {
            Arrivals arrivals = new Arrivals(t);
            byte[] outcome;
            try {
                // At most what it could still count, and no longer than the deadline; cancelled
                // as soon as it can count nothing more (stop() would end it here).
                outcome = budget.remote().run(portable, t.encode(), countable(t), deadline.nanosLeft(), arrivals,
                        () -> deadline.passed() || stop(t));
            } catch (java.io.UncheckedIOException e) {
                arrivals.close();
                return false;
            }
            synchronized (arrivals) {
                arrivals.closed = true;
                return t.absorb(model, outcome, this, arrivals.told);
            }
        }

        /**
         * The tasks a task running elsewhere hands over or asks for, as they come ({@link
         * RemoteTasks.Found}): each event once, in order, the early ones kept until those before
         * them came; none once the outcome is in (it brings the rest).
         */
        private final class Arrivals implements RemoteTasks.Found {
            private final DfsTask task;
            private final TreeMap<Integer, byte[]> early = new TreeMap<>();
            private int told;
            private boolean closed;

            Arrivals(DfsTask task) {
                this.task = task;
            }

            @Override
            public synchronized void found(int seq, byte[] event) {
                if (closed || seq < told) {
                    return;
                }
                early.put(seq, event);
                for (byte[] next; (next = early.remove(told)) != null; told++) {
                    task.found(next, Run.this);
                }
            }

            synchronized void close() {
                closed = true;
            }
        }

        /**
         * The most executions of {@code t} that can count: the budget less what the tasks before
         * it counted so far (counts only grow, so this only shrinks).
         */
        private long countable(DfsTask t) {
            long before = foldedExecutions;
            for (DfsTask earlier : all.headSet(t)) {
                before += earlier.executions();
            }
            return Math.max(0, budget.maxExecutions() - before);
        }

        /**
         * Folds the finished tasks at the head of the order into the counts, as {@link #result}
         * would count them, up to the first that violated, failed or reaches the budget.
         */
        private void fold() {
            while (!all.isEmpty()) {
                DfsTask t = all.first();
                long n = t.executions();
                if (!t.finished() || t.violation() != null || t.error() != null
                        || foldedExecutions + n > budget.maxExecutions()) {
                    return;
                }
                foldedSteps += t.stepsOf(n);
                foldedCosts.addAll(t.costsOf(n));
                foldedBoundHit |= t.boundHit();
                foldedIncomplete |= !t.exhausted();
                foldedExecutions += n;
                foldedPruned += t.pruned();
                foldedHits += t.cacheHits();
                recorded += t.recorded();
                keepFolded(t, foldedExecutions - n);
                all.pollFirst();
            }
        }

        /**
         * Of a sharded search, keeps the results of {@code t}, folded after {@code before}
         * executions; past the budget (it ran nothing) only that there was such a task.
         */
        private void keepFolded(DfsTask t, long before) {
            if (shard.whole()) {
                return;
            }
            if (before == budget.maxExecutions()) {
                foldedBeyondBudget = true;
            } else {
                foldedTasks.add(ShardedDfs.Task.of(t));
            }
        }

        @Override
        public boolean stop(DfsTask task) {
            if (ran.get() > 0 && deadline.passed()) {
                timeUp = true;
            }
            if (timeUp) {
                return true;
            }
            synchronized (this) {
                if (firstBad != null && ORDER.compare(firstBad, task) < 0) {
                    return true;
                }
            }
            if (ran.get() < budget.maxExecutions()) {
                return false;
            }
            long before = foldedExecutions + task.executions();
            for (DfsTask t : all.headSet(task)) {
                before += t.executions();
                if (before >= budget.maxExecutions()) {
                    return true;
                }
            }
            return before >= budget.maxExecutions();
        }

        /**
         * What this shard ran that can count, once every task finished: its tasks in order up to
         * the first that violated or failed, or up to its budget (a task that reaches it with the
         * executions that fit). What lies beyond cannot count in the merged search either.
         */
        synchronized ShardedDfs shardPart() {
            long max = budget.maxExecutions();
            List<ShardedDfs.Task> tasks = new ArrayList<>(foldedTasks);
            long counted = foldedExecutions;
            boolean beyondBudget = foldedBeyondBudget;
            for (DfsTask t : beyondBudget ? List.<DfsTask>of() : all) {
                long n = t.executions();
                if (counted + n > max || counted == max) {
                    if (counted < max) {
                        tasks.add(ShardedDfs.Task.cut(t, max - counted));
                    }
                    beyondBudget = true;
                    break;
                }
                counted += n;
                tasks.add(ShardedDfs.Task.of(t));
                if (t.violation() != null || t.error() != null) {
                    break;
                }
            }
            return new ShardedDfs(max, tasks, beyondBudget);
        }

        /**
         * Whether this search runs {@code task}, made by {@code maker}: every shard runs the root
         * and what a task it runs makes, except that of the root's tasks only those it owns.
         */
        private boolean runs(DfsTask maker, DfsTask task) {
            return shard.whole() || maker.key.length > 0 || ShardedDfs.owner(task.key, shard.count()) == shard.index();
        }

        @Override
        public void discovered(DfsTask parent, List<DfsTask> handed) {
            synchronized (this) {
                // A task run elsewhere may tell of its children twice (while it ran, then again
                // when it failed there and ran here): each key is made once.
                List<DfsTask> children = handed.stream()
                        .filter(c -> runs(parent, c) && (!elsewhere() || handedKeys.add(c.key))).toList();
                all.addAll(children);
                pending.addAll(children);
                created += children.size();
                peak = Math.max(peak, all.size());
                notifyAll();
            }
        }

        @Override
        public void requested(DfsTask requester, List<DfsTask> requests) {
            synchronized (this) {
                for (DfsTask r : requests) {
                    if (runs(requester, r) && requestKeys.add(r.key)) {
                        all.add(r);
                        pending.add(r);
                        created++;
                    }
                }
                peak = Math.max(peak, all.size());
                notifyAll();
            }
        }

        @Override
        public boolean settled(DfsTask task) {
            // Under DPOR a later task may request one whose key sorts before a task that was
            // first, so no task is ever sure to stay first: all keep their counts one by one.
            // A caching search is one task, which hands over nothing and requests nothing.
            return (strategy.reduction() != Strategy.Reduction.DPOR || cache != null) && all.first() == task;
        }

        @Override
        public void ran() {
            long n = ran.incrementAndGet();
            if (budget.jobs() == 1 && (n & 15) == 0) {
                budget.progress().update(model, strategy.describe(), n);
            }
        }

        /** The tasks' executions in sequential order, cut at the budget or the first violation. */
        synchronized Exploration result(long started) {
            long max = budget.maxExecutions();
            long counted = foldedExecutions;
            long steps = foldedSteps;
            CostSummary costs = foldedCosts.copy();
            // A shard's part is never the whole search, whatever it explored.
            boolean complete = !foldedIncomplete && shard.whole();
            boolean boundHit = foldedBoundHit;
            prunedCounted = foldedPruned;
            hitsCounted = foldedHits;
            for (DfsTask t : all) {
                long n = t.executions();
                if (counted + n > max) {
                    steps += t.stepsOf(max - counted);
                    costs.addAll(t.costsOf(max - counted));
                    counted = max;
                    complete = false;
                    break;
                }
                counted += n;
                prunedCounted += t.pruned();
                hitsCounted += t.cacheHits();
                steps += t.stepsOf(n);
                costs.addAll(t.costsOf(n));
                if (t.error() != null) {
                    throw Explorer.rethrow(t.error());
                }
                if (t.violation() != null && t.violation().stepLimited()) {
                    return new Exploration(null, counted, steps, strategy.describe(), System.nanoTime() - started,
                            new Coverage.Systematic(strategy.preemptionBound(), false, boundHit), counted - 1,
                            Inconclusive.of(t.violation()), costs);
                }
                if (t.violation() != null) {
                    return exploration(Explorer.traced(model, t.violation()), counted, steps, false, boundHit, started)
                            .withCosts(costs);
                }
                boundHit |= t.boundHit();
                if (!t.exhausted()) {
                    complete = false;
                    if (counted == max) {
                        break;
                    }
                }
            }
            return exploration(null, counted, steps, complete, boundHit, started).withCosts(costs);
        }

        private Exploration exploration(RunResult violation, long executions, long steps, boolean complete,
                boolean boundHit, long started) {
            return new Exploration(violation, executions, steps, strategy.describe(), System.nanoTime() - started,
                    new Coverage.Systematic(strategy.preemptionBound(), complete, boundHit));
        }
    }
}
