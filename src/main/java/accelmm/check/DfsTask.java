package accelmm.check;

import accelmm.sim.ChoiceSource;
import accelmm.sim.Deadline;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Schedule;
import accelmm.sim.SchedulingPoint;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One subtree of a {@link DfsSearch}: the executions that start with a fixed prefix of
 * decisions, explored depth-first on one thread. Every {@link #DONATE_EVERY} executions the task
 * hands the options not yet explored at its shallowest decision that has some to child tasks,
 * and from then on explores only below that decision. When it does so depends on nothing but
 * its own executions, so the tasks are the same however many threads run them.
 *
 * <p>The task's {@link #key} orders all tasks as one sequential depth-first search would meet
 * their executions: a task's own executions, then its children, those of its latest hand-over
 * (the deepest) first. A task depends on nothing another task does, so tasks can run on any
 * thread in any order and still give the same executions. Under DPOR a task also asks for
 * tasks of its own making ({@link Host#requested}): options that races need at decisions it
 * handed over, keyed from that hand-over (see {@link DfsSearch}).
 *
 * <p>A run that reaches a decision where every option sleeps is pruned there: it is not an
 * execution (not counted, its verdict not looked at), only {@link #pruned()} tells of it.
 */
final class DfsTask {

    /** Decides whether the task goes on, hears of the child tasks it finds. */
    interface Host {
        /** Whether to stop before running another execution. */
        boolean stop(DfsTask task);

        /** {@code parent} handed these child tasks over, in key order. */
        void discovered(DfsTask parent, List<DfsTask> children);

        /**
         * {@code requester} asks for these tasks: backtracks DPOR found at decisions handed over
         * already. Each has a canonical key; one that exists already is dropped.
         */
        void requested(DfsTask requester, List<DfsTask> requests);

        /** One more execution ran. */
        void ran();

        /**
         * Whether every task before this one in the order has finished: then whether its
         * executions count is settled before each one runs, and the search never cuts it in the
         * middle.
         */
        boolean settled(DfsTask task);
    }

    /** Executions between two hand-overs: often enough to keep threads busy, seldom enough to lose little reduction. */
    static final int DONATE_EVERY = 32;

    /**
     * Where the task stands in the order of a sequential search: from the root, per hand-over
     * the negated hand-over number (later ones come first) and the option's index.
     */
    final int[] key;
    private final Strategy.Dfs strategy;
    /** Executions between hand-overs ({@link #DONATE_EVERY} but in tests). */
    private final int donateEvery;
    /** The decisions of the prefix: fixed once the task is unpacked ({@link #wire}). */
    private int prefixLength;
    private final ArrayList<DfsNode> path;
    /**
     * The bytes this task came as from another JVM, until it runs here ({@link #unpack}): a task
     * that only passes through on its way to another member is never decoded here.
     */
    private byte[] wire;
    /** The path below this position belongs to this task's own search. */
    private int floor;
    private int handOvers;

    /** Executions run so far (written by the one thread running the task). */
    private volatile long executions;
    /** Runs that ended asleep at every option: redundant, not counted as executions. */
    private long pruned;
    /** Backtracks found at decisions above {@link #floor}, for the host after each execution. */
    private final List<DfsTask> requests = new ArrayList<>();
    /**
     * Steps of executions {@code 0..i}, for {@code i < recorded}: those run while an earlier
     * task was still running, so that the search could cut this one after any of them. Once
     * the task is {@link Host#settled} only the total is kept: memory does not grow with the
     * executions of a task at the head of the search (all of a one-thread search).
     */
    private long[] stepsUpTo = new long[0];
    /**
     * The costs of the recorded executions, kept for the same reason but only where they change:
     * {@code costsUpTo.get(i)} sums up executions {@code 0..costsChangedAt[i]} and those after
     * it up to the next change. The least and the most of a counter change seldom, so this stays
     * short where a copy per execution would not.
     */
    private long[] costsChangedAt = new long[0];
    private final ArrayList<CostSummary> costsUpTo = new ArrayList<>();
    private int recorded;
    private long stepsTotal;
    /** The costs of all the task's executions, in order. */
    private final CostSummary costsTotal = new CostSummary();
    /**
     * The execution that ended the search, whose local index is {@code executions - 1}: it broke
     * an invariant or reached the step limit; or none.
     */
    private RunResult violation;
    /** A model bug in the last execution, or the JVM's failure (out of memory); or none. */
    private volatile Throwable error;
    private boolean exhausted;
    private boolean boundHit;
    /** The task will run no more executions; its path is gone. */
    private volatile boolean finished;
    /**
     * The states explored, when the search caches them; else null. A task with a cache is the
     * whole search: it hands nothing over (see {@link DfsSearch}).
     */
    private final StateCache cache;
    /** Runs that met a state explored already: not counted as executions either. */
    private long cacheHits;

    private DfsTask(int[] key, Strategy.Dfs strategy, int donateEvery, List<DfsNode> prefix, StateCache cache) {
        this.key = key;
        this.strategy = strategy;
        this.donateEvery = donateEvery;
        this.cache = cache;
        this.prefixLength = prefix.size();
        this.path = new ArrayList<>(prefix);
        this.floor = prefixLength;
    }

    /** The whole search: no prefix. */
    static DfsTask root(Strategy.Dfs strategy, int donateEvery) {
        return new DfsTask(new int[0], strategy, donateEvery, List.of(), null);
    }

    /** The whole search as one task that caches the states it explores in {@code cache}. */
    static DfsTask caching(Strategy.Dfs strategy, StateCache cache) {
        return new DfsTask(new int[0], strategy, Integer.MAX_VALUE, List.of(), cache);
    }

    long executions() {
        return executions;
    }

    /** A task as it travels to another JVM ({@link RemoteTasks}): its place in the order and its prefix. */
    record Wire(int[] key, Strategy.Dfs strategy, int donateEvery, ArrayList<DfsNode> prefix)
            implements Serializable {
    }

    /**
     * What a task run in another JVM reports: its counts as {@link #count} kept them (every
     * execution's steps: nothing there knows whether the task is settled), the schedule of the
     * execution that ended it (replayed here for its result), whether it failed (it then runs
     * here again, for the failure to be this JVM's own), and the tasks it handed over or asked
     * for, in the order it found them.
     */
    private record Outcome(long executions, long pruned, long stepsTotal, long[] stepsUpTo, long[] costsChangedAt,
            ArrayList<CostSummary> costsUpTo, CostSummary costsTotal, int[] ending, boolean exhausted, boolean boundHit,
            boolean failed, ArrayList<Found> found) implements Serializable {
    }

    /** Tasks handed over ({@code requested} false) or asked for: their keys, and each as {@link #encode} gives it. */
    private record Found(boolean requested, ArrayList<int[]> keys, ArrayList<byte[]> tasks) implements Serializable {
        static Found of(boolean requested, List<DfsTask> tasks) {
            return new Found(requested, new ArrayList<>(tasks.stream().map(t -> t.key).toList()),
                    new ArrayList<>(tasks.stream().map(DfsTask::encode).toList()));
        }
    }

    /** This task, not yet run, as bytes for another JVM ({@link #decode} there). */
    byte[] encode() {
        if (wire != null) {
            return wire;
        }
        if (executions > 0 || path.size() != prefixLength) {
            throw new IllegalStateException("only a task that has not run travels");
        }
        return bytes(new Wire(key, strategy, donateEvery, new ArrayList<>(path)));
    }

    /** The tasks of {@code f}, keyed but still bytes: decoded only if they run here. */
    private List<DfsTask> tasksOf(Found f) {
        List<DfsTask> out = new ArrayList<>(f.tasks().size());
        for (int i = 0; i < f.tasks().size(); i++) {
            DfsTask t = new DfsTask(f.keys().get(i), strategy, donateEvery, List.of(), null);
            t.wire = f.tasks().get(i);
            out.add(t);
        }
        return out;
    }

    /** A task that came as bytes gets its prefix before it runs here. */
    private void unpack() {
        if (wire == null) {
            return;
        }
        Wire w = (Wire) object(wire);
        wire = null;
        path.addAll(w.prefix());
        prefixLength = w.prefix().size();
        floor = prefixLength;
    }

    /** The task {@link #encode} gave as bytes (decoded by {@link Transport}). */
    private static DfsTask decode(Wire w) {
        return new DfsTask(w.key(), w.strategy(), w.donateEvery(), w.prefix(), null);
    }

    /**
     * Runs the task {@code task} here for another JVM's search: as that search's own threads
     * would, but with nothing here to say when an earlier task ended the search, so until its
     * subtree is exhausted, it ends the search itself, runs {@code maxExecutions} executions
     * (more cannot count), or {@code deadline} passes. Returns its {@link Outcome} as bytes.
     */
    static byte[] runElsewhere(Model model, Wire task, long maxExecutions, Deadline deadline,
            RemoteTasks.Found onFound) {
        DfsTask t = decode(task);
        ArrayList<Found> found = new ArrayList<>();
        Host host = new Host() {
            @Override
            public boolean stop(DfsTask running) {
                return running.executions >= maxExecutions || deadline.passed();
            }

            @Override
            public void discovered(DfsTask parent, List<DfsTask> children) {
                // As bytes at once: the prefixes share nothing with the parent's path from here on.
                tell(Found.of(false, children));
            }

            @Override
            public void requested(DfsTask requester, List<DfsTask> requests) {
                tell(Found.of(true, requests));
            }

            private void tell(Found f) {
                found.add(f);
                onFound.found(found.size() - 1, bytes(f));
            }

            @Override
            public void ran() {
            }

            @Override
            public boolean settled(DfsTask running) {
                return false;
            }
        };
        t.run(model, host, deadline);
        int[] ending = null;
        if (t.violation != null) {
            Schedule s = t.violation.schedule();
            ending = new int[s.length()];
            for (int i = 0; i < ending.length; i++) {
                ending[i] = s.decision(i);
            }
        }
        return bytes(new Outcome(t.executions, t.pruned, t.stepsTotal, Arrays.copyOf(t.stepsUpTo, t.recorded),
                Arrays.copyOf(t.costsChangedAt, t.costsUpTo.size()), new ArrayList<>(t.costsUpTo), t.costsTotal, ending,
                t.exhausted, t.boundHit, t.error != null, found));
    }

    /**
     * Tells {@code host} of a group of tasks this task, running in another JVM, handed over or
     * asked for: an event {@link #runElsewhere} passed on as it happened.
     */
    void found(byte[] event, Host host) {
        tell((Found) object(event), host);
    }

    /** Tells {@code host} of the tasks of {@code f}, as this task would have while it ran here. */
    private void tell(Found f, Host host) {
        List<DfsTask> tasks = tasksOf(f);
        if (f.requested()) {
            host.requested(this, tasks);
        } else {
            host.discovered(this, tasks);
        }
    }

    /**
     * Takes the outcome of this task run in another JVM ({@link #runElsewhere}) as if it had run
     * here: tells {@code host} of the tasks it handed over and asked for, in their order, from
     * event {@code told} on (those before came while it ran, {@link #found}), takes its counts,
     * and replays the execution that ended it on {@code model}. False, with nothing taken, when it
     * failed there: the caller runs it here.
     */
    boolean absorb(Model model, byte[] outcome, Host host, int told) {
        Outcome o = (Outcome) object(outcome);
        if (o.failed()) {
            return false;
        }
        RunResult ending = null;
        if (o.ending() != null) {
            ending = model.execute(new ReplayChoiceSource(Schedule.of(o.ending())), false);
            if (!ending.violated() && !ending.stepLimited()) {
                throw new ModelBugException("the execution " + Schedule.of(o.ending()).token() + " that ended DFS task "
                        + Arrays.toString(key) + " in another JVM neither breaks an invariant nor reaches the step"
                        + " limit here", null);
            }
        }
        for (Found f : o.found().subList(Math.min(told, o.found().size()), o.found().size())) {
            tell(f, host);
        }
        pruned = o.pruned();
        stepsTotal = o.stepsTotal();
        stepsUpTo = o.stepsUpTo();
        recorded = stepsUpTo.length;
        costsChangedAt = o.costsChangedAt();
        costsUpTo.addAll(o.costsUpTo());
        costsTotal.addAll(o.costsTotal());
        exhausted = o.exhausted();
        boundHit = o.boundHit();
        violation = ending;
        executions = o.executions();
        for (long i = 0; i < o.executions(); i++) {
            host.ran();
        }
        path.clear();
        path.trimToSize();
        finished = true;
        return true;
    }

    private static byte[] bytes(Serializable value) {
        return Transport.bytes(value);
    }

    private static Object object(byte[] bytes) {
        return Transport.object(bytes);
    }

    /** Steps of the first {@code n} executions. */
    long stepsOf(long n) {
        if (n == executions) {
            return stepsTotal;
        }
        if (n > recorded) {
            throw new IllegalStateException("steps of " + n + " executions, " + recorded + " recorded of " + executions);
        }
        return n == 0 ? 0 : stepsUpTo[(int) n - 1];
    }

    /** The costs of the first {@code n} executions, in order (not to be changed). */
    CostSummary costsOf(long n) {
        if (n == executions) {
            return costsTotal;
        }
        if (n > recorded) {
            throw new IllegalStateException("costs of " + n + " executions, " + recorded + " recorded of " + executions);
        }
        int i = costsUpTo.size() - 1;
        while (i >= 0 && costsChangedAt[i] >= n) {
            i--;
        }
        return i < 0 ? new CostSummary() : costsUpTo.get(i);
    }

    /** Executions whose step counts are kept one by one (see {@link #stepsUpTo}). */
    int recorded() {
        return recorded;
    }

    RunResult violation() {
        return violation;
    }

    Throwable error() {
        return error;
    }

    /** The task ended on {@code e}, thrown outside an execution. */
    void failed(Throwable e) {
        error = e;
    }

    /** Whether every execution of the subtree ran (its children are tasks of their own). */
    boolean exhausted() {
        return exhausted;
    }

    /** Runs that stopped asleep at every option (not counted in {@link #executions}). */
    long pruned() {
        return pruned;
    }

    /** Runs that stopped at a state explored already (not counted in {@link #executions}). */
    long cacheHits() {
        return cacheHits;
    }

    /** Whether some option of this task's own decisions was left out for the preemption bound. */
    boolean boundHit() {
        return boundHit;
    }

    /**
     * Runs executions until the subtree is exhausted, one violates, fails or reaches the step
     * limit, {@code host} stops it, or {@code deadline} passes (the execution it cut does not
     * count).
     */
    void run(Model model, Host host, Deadline deadline) {
        try {
            unpack();
            explore(model, host, deadline);
        } finally {
            // The path's decisions went to the children handed over; the search keeps only the counts.
            path.clear();
            path.trimToSize();
            finished = true;
        }
    }

    /** Whether {@link #run} has returned: the counts and results are final. */
    boolean finished() {
        return finished;
    }

    private void explore(Model model, Host host, Deadline deadline) {
        // The first decision whose choice is new in the next execution: races before it are known.
        int fresh = Math.max(0, prefixLength - 1);
        while (!host.stop(this)) {
            Execution choices = new Execution(fresh);
            RunResult r;
            try {
                r = model.execute(choices, false, deadline);
            } catch (RuntimeException | Error e) {
                if (choices.deadEnd >= 0 && e instanceof RuntimeException) {
                    // Judging a run cut short at a dead end: not a run that counts.
                    r = null;
                } else {
                    count(0, null, host);
                    error = e;
                    host.ran();
                    return;
                }
            }
            if (r == null && choices.hit != null) {
                cacheHits++;
            } else if (r == null) {
                pruned++;
            } else if (r.outOfTime()) {
                return;
            } else if (choices.hit != null) {
                // A state explored already: what follows was explored from there, and was clean.
                cacheHits++;
            } else if (choices.deadEnd >= 0) {
                // Asleep at every option: what follows was explored elsewhere, whatever it found.
                pruned++;
            } else {
                count(r.steps(), r, host);
                host.ran();
                if (r.violated() || r.stepLimited()) {
                    violation = r;
                    return;
                }
            }
            try {
                choices.checkPathUsed();
            } catch (ModelBugException e) {
                error = e;
                return;
            }
            if (choices.dpor()) {
                addBacktracks(fresh, choices.deadEnd >= 0 ? choices.deadEnd : path.size(),
                        choices.hit == null ? null : choices.hit.summary());
            }
            boolean more = backtrack();
            flushRequests(host);
            if (!more) {
                for (int i = prefixLength; i < floor; i++) {
                    DfsNode node = path.get(i);
                    boundHit |= node.incomplete || node.overBound(strategy.preemptionBound());
                }
                exhausted = true;
                return;
            }
            fresh = path.size() - 1;
            if (choices.deadEnd < 0 && cache == null && executions % donateEvery == 0) {
                handOver(host);
            }
        }
    }

    /**
     * Source-DPOR after an execution: the races whose later transition is new since the
     * previous one add to the backtrack sets (see {@link DporRaces}); a decision this task no
     * longer owns (handed over, or above its prefix's end) gets a request instead.
     */
    private void addBacktracks(int fresh, int end, EventSummary next) {
        int from = fresh;
        while (from > 0 && !path.get(from).actorNode()) {
            from--;
        }
        DporRaces.analyse(path, from, end, next, strategy.bounded(), races);
    }

    /**
     * Where the race analysis's requests go: a decision this task owns gets the option in its
     * backtrack set, one above its floor a request. A conservative branch (bounded) waits on the
     * subtree of the option the race asked for when this task explores it: the branch exists
     * for states that subtree cannot reach within the bound (Coons et al.: the reversed race
     * may need a preemption the bound forbids further down), so when the subtree is explored
     * to its end with nothing left out for the bound it is not needed. Otherwise (the option is
     * over the bound, was explored already with something left out, belongs to another task, or
     * its subtree was handed over in part) it is added.
     */
    private final DporRaces.Sink races = new DporRaces.Sink() {
        @Override
        public void backtrack(int at, int option) {
            DfsNode node = path.get(at);
            if (at >= floor) {
                node.addBacktrack(option);
            } else if (node.addBacktrack(option)) {
                request(at, option);
            }
        }

        @Override
        public void conservative(int at, int option, int switchAt, int actorId) {
            DfsNode node = path.get(at);
            // Only bounded DPOR asks, and it keeps no sleep sets: the option will be explored.
            assert !node.asleep(option);
            if (at < floor || !node.withinBound(option, strategy.preemptionBound()) || node.finishedIncomplete(option)) {
                DporRaces.addAt(path, switchAt, actorId, this);
            } else if (!node.finishedComplete(option)) {
                node.pendConservative(option, switchAt, actorId);
            }
        }
    };

    /** Adds the conservative branches a node kept ({option, switch, actor}), each at its switch (on the path above it). */
    private void addConservative(List<int[]> branches) {
        for (int[] b : branches) {
            DporRaces.addAt(path, b[1], b[2], races);
        }
    }

    private void flushRequests(Host host) {
        if (!requests.isEmpty()) {
            host.requested(this, List.copyOf(requests));
            requests.clear();
        }
    }

    /**
     * A task for option {@code option} of the decision at {@code at}, which was handed over:
     * keyed after the tasks of that hand-over (and deeper decisions' requests first), so that
     * every task asking for it gives the same key and the same prefix.
     */
    private void request(int at, int option) {
        DfsNode node = path.get(at);
        if (!node.withinBound(option, strategy.preemptionBound())) {
            boundHit = true;
            return;
        }
        DfsNode.HandedOver handed = node.handedOver;
        int[] requestKey = Arrays.copyOf(handed.key(), handed.key().length + 2);
        requestKey[handed.key().length] = handed.siblings() + handed.slot();
        requestKey[handed.key().length + 1] = option;
        List<DfsNode> prefix = new ArrayList<>(at + 1);
        for (int i = 0; i < at; i++) {
            prefix.add(path.get(i).copyChoosing(path.get(i).chosen));
        }
        prefix.add(node.copyChoosing(option));
        requests.add(new DfsTask(requestKey, strategy, donateEvery, prefix, cache));
    }

    /**
     * Gives the options left at the shallowest decision of the task's own search that has any
     * to child tasks (one each), and keeps only what lies below that decision.
     */
    private void handOver(Host host) {
        int bound = strategy.preemptionBound();
        for (int at = floor; at < path.size(); at++) {
            DfsNode node = path.get(at);
            int[] options = node.deadEnd ? new int[0] : node.takeRemaining(bound);
            if (options.length == 0) {
                continue;
            }
            int[] handOverKey = Arrays.copyOf(key, key.length + 1);
            handOverKey[key.length] = -handOvers;
            for (int i = floor; i <= at; i++) {
                path.get(i).handOver(handOverKey, options.length, at - i);
            }
            List<DfsTask> children = new ArrayList<>(options.length);
            for (int k = 0; k < options.length; k++) {
                List<DfsNode> prefix = new ArrayList<>(at + 1);
                for (int i = 0; i < at; i++) {
                    prefix.add(path.get(i).copyChoosing(path.get(i).chosen));
                }
                prefix.add(node.copyChoosing(options[k]));
                int[] childKey = Arrays.copyOf(key, key.length + 2);
                childKey[key.length] = -handOvers;
                childKey[key.length + 1] = k;
                children.add(new DfsTask(childKey, strategy, donateEvery, prefix, cache));
            }
            handOvers++;
            int oldFloor = floor;
            floor = at + 1;
            host.discovered(this, children);
            // The subtrees below these decisions are now explored in part by other tasks.
            for (int i = oldFloor; i <= at; i++) {
                addConservative(path.get(i).takeConservative(true));
            }
            flushRequests(host);
            return;
        }
    }

    /** Counts one execution: its steps and its costs ({@code run} null for one that ended in a model bug). */
    private void count(long steps, RunResult run, Host host) {
        long n = executions;
        stepsTotal += steps;
        boolean costsChanged = run != null && costsTotal.add(run.costs(), run.ranToEnd());
        if (recorded == n && !host.settled(this)) {
            if (recorded == stepsUpTo.length) {
                stepsUpTo = Arrays.copyOf(stepsUpTo, Math.max(16, recorded * 2));
            }
            stepsUpTo[recorded] = stepsTotal;
            if (costsChanged) {
                if (costsUpTo.size() == costsChangedAt.length) {
                    costsChangedAt = Arrays.copyOf(costsChangedAt, Math.max(4, costsUpTo.size() * 2));
                }
                costsChangedAt[costsUpTo.size()] = n;
                costsUpTo.add(costsTotal.copy());
            }
            recorded++;
        }
        executions = n + 1;
    }

    /** Moves to the next execution of the task's own search; false when it is exhausted. */
    private boolean backtrack() {
        while (path.size() > floor) {
            DfsNode node = path.get(path.size() - 1);
            List<int[]> branches = node.takeConservative(false);
            if (node.childIncomplete) {
                addConservative(branches);
            }
            node.finishChild();
            if (!node.deadEnd && node.chooseNext(strategy.preemptionBound()) >= 0) {
                return true;
            }
            path.remove(path.size() - 1);
            boundHit |= node.incomplete;
            store(node);
            if (!path.isEmpty()) {
                DfsNode parent = path.get(path.size() - 1);
                parent.childIncomplete |= node.incomplete;
                parent.summary = parent.summary.plus(node.summary);
            }
        }
        return false;
    }

    /**
     * The preemptions spent before {@code node}, as the cache compares visits: without a bound
     * they limit nothing below, so every visit counts as having spent none.
     */
    private int spentForCache(DfsNode node) {
        return strategy.bounded() ? node.preemptionsBefore : 0;
    }

    /**
     * Stores the state of a decision whose subtree is finished: every option its backtrack set
     * came to hold was explored (options handed over are not, nor are dead ends).
     */
    private void store(DfsNode node) {
        if (node.stateKey != null && !node.deadEnd && node.handedOver == null) {
            cache.store(node.stateKey, new StateCache.Visit(node.sleepingIds(), spentForCache(node),
                    node.incomplete, node.summary));
        }
    }

    /** The choice source of one execution: replays the path, then extends it. */
    private final class Execution implements ChoiceSource {
        /**
         * The first decision whose choice differs from the previous execution's: a transition
         * that ends at or before it runs as it did then, and need not be observed again.
         */
        private final int fresh;
        private int position;
        private DfsNode lastActorNode;
        /** The position of the decision where every option was asleep, or -1: the rest is redundant and not recorded. */
        int deadEnd = -1;
        /** The stored visit of the state the run stopped at, or null. */
        StateCache.Visit hit;

        Execution(int fresh) {
            this.fresh = fresh;
        }

        @Override
        public int pickActor(SchedulingPoint point) {
            DfsNode parent = lastActorNode;
            if (parent != null && !(position <= fresh && parent.observedBefore(dpor()))) {
                observe(parent, point);
            }
            if (position < path.size()) {
                DfsNode node = path.get(position++);
                checkSame(node, point);
                lastActorNode = node;
                return node.chosen;
            }
            if (deadEnd >= 0) {
                return PRUNE;
            }
            int[] ids = new int[point.candidateCount()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = point.candidate(i).id();
            }
            List<DfsNode.Sleeper> sleep = sleepSetsHere() && parent != null
                    ? parent.sleepAfter(parent.chosenFootprint) : List.of();
            DfsNode node = DfsNode.actor(ids, point.running() == null ? -1 : point.running().id(),
                    preemptionsSoFar(), sleep, dpor());
            if (cache != null && point.fingerprinted() && meetsStoredState(node, point)) {
                return PRUNE;
            }
            node.seedBacktrack();
            extend(node);
            lastActorNode = node;
            return node.deadEnd ? PRUNE : node.chosen;
        }

        /**
         * Looks the decision's state up: when a stored visit covers it, the node ends the run as
         * a dead end that stands for that visit's subtree (its summary, whether it was cut for
         * the bound); else the node will store its state once its subtree is finished.
         */
        private boolean meetsStoredState(DfsNode node, SchedulingPoint point) {
            node.stateKey = new StateCache.Key(point.fingerprintHigh(), point.fingerprintLow(),
                    strategy.bounded() ? node.runningId : -1);
            StateCache.Visit visit = cache.covering(node.stateKey, node.sleepingIds(), spentForCache(node));
            if (visit == null) {
                return false;
            }
            hit = visit;
            node.deadEnd = true;
            node.chosen = node.defaultChoice();
            node.incomplete = visit.incomplete();
            node.summary = visit.summary();
            deadEnd = path.size();
            path.add(node);
            position++;
            return true;
        }

        /** Takes what the parent's transition did; with a cache under DPOR, adds it to the parent's summary. */
        private void observe(DfsNode parent, SchedulingPoint point) {
            parent.observed(point, dpor());
            if (cache != null && dpor()) {
                parent.summarizeObserved();
            }
        }

        @Override
        public void runEnded(SchedulingPoint last) {
            if (lastActorNode != null && deadEnd < 0) {
                observe(lastActorNode, last);
            }
        }

        @Override
        public boolean wantsFingerprints() {
            return cache != null;
        }

        private boolean dpor() {
            return strategy.reduction() == Strategy.Reduction.DPOR;
        }

        /**
         * Whether decisions get sleep sets: SLEEP always; DPOR only without a preemption bound. A
         * transition asleep below a later sibling was explored first in the earlier sibling's
         * subtree, but there possibly with a preemption fewer left, so under a bound a state it
         * leads to may be reachable only through the sleeping branch (found by DporPropertyTest:
         * three actors, bound 3). Bounded DPOR keeps its backtrack sets, which alone are sound.
         */
        private boolean sleepSetsHere() {
            return strategy.sleepSets() && !(dpor() && strategy.bounded());
        }

        @Override
        public boolean wantsFootprints() {
            return strategy.sleepSets();
        }

        @Override
        public int pickValue(String label, int bound) {
            if (position < path.size()) {
                DfsNode node = path.get(position++);
                if (node.actorNode() || node.valueCount != bound) {
                    throw notDeterministic("a choice of " + bound + " values for " + label);
                }
                return node.chosen;
            }
            if (deadEnd >= 0) {
                return 0;
            }
            DfsNode node = DfsNode.value(bound, preemptionsSoFar());
            extend(node);
            return node.chosen;
        }

        private void extend(DfsNode node) {
            int bound = strategy.preemptionBound();
            if (node.chooseNext(bound) < 0) {
                node.deadEnd = true;
                node.chosen = node.defaultChoice();
                deadEnd = path.size();
            }
            path.add(node);
            position++;
        }

        private int preemptionsSoFar() {
            return path.isEmpty() ? 0 : path.get(path.size() - 1).preemptionsAfter();
        }

        private void checkSame(DfsNode node, SchedulingPoint point) {
            boolean same = node.actorNode() && node.options.length == point.candidateCount()
                    && node.runningId == (point.running() == null ? -1 : point.running().id());
            for (int i = 0; same && i < node.options.length; i++) {
                same = node.options[i] == point.candidate(i).id();
            }
            if (!same) {
                throw notDeterministic("a scheduling decision at step " + point.step() + " (" + point.label() + ")");
            }
        }

        void checkPathUsed() {
            if (position < path.size()) {
                throw notDeterministic("the end of the run");
            }
        }

        private ModelBugException notDeterministic(String found) {
            return new ModelBugException("the model is not deterministic: replaying decision " + position
                    + " of the search found " + found + " where an earlier execution had another", null);
        }
    }
}
