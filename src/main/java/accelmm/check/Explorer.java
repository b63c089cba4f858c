package accelmm.check;

import accelmm.sim.ChoiceSource;
import accelmm.sim.CostCounters;
import accelmm.sim.Deadline;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.ReplayChoiceSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a {@link Model} under many schedules until an invariant breaks or the {@link Budget} is
 * spent. Sampling strategies are driven here; {@link Strategy.Dfs} by a {@link DfsSearch}. Execution {@code i} of a strategy with seed {@code s} uses its own seed derived from
 * {@code (s, i)}, so a result does not depend on what ran before it, and the violating
 * execution's recorded schedule replays it exactly.
 *
 * <p>Design note: parallel and sharded sampling. Execution {@code i} depends on nothing but
 * {@code i}, the seed and, for PCT, the expected number of preemptible decisions per run ({@link PctChoiceSource}); that is the most of the first
 * {@value #WARM_UP} executions (those before {@code i}, for {@code i} below it). So the first
 * {@value #WARM_UP} executions run in order on the calling thread, and the rest in batches on
 * {@link Budget#jobs()} worker threads (virtual ones: see {@link ExplorerThreads}), each taking
 * the next index in order. The result is the
 * violation of the lowest index, whichever worker finds it first: higher indices still running
 * are discarded and none is started past it. The reported count is that index + 1, exactly as
 * one thread would report; a model bug (exception) is ordered the same way. A {@link Shard}
 * {@code I/N} runs only the indices {@code i} with {@code i % N == I - 1} (it still runs the
 * warm-up executions it does not own, to know that number, without reporting them). Every
 * execution builds its own world and simulation, so executions share nothing mutable. The costs
 * ({@link CostSummary}) are added on the calling thread in index order, from the workers'
 * results of each batch up to the one that ends the search, so they too are those of one thread;
 * a shard's first execution is the first index it owns.
 *
 * <p>With a remote ({@link Budget#remote()}), the indices after the warm-up go to other JVMs in
 * chunks of {@value #CHUNK} ({@link SamplingChunk}), at most twice as many in flight as it has
 * slots, and their outcomes are taken in index order as the workers' batches are.
 *
 * <p>A DFS runs its own parts on the workers ({@link DfsSearch}); a shard runs its part of the
 * DFS's tasks ({@link ShardedDfs}). {@link Strategy.Auto} runs both, in
 * slices ({@link AutoPortfolio}); its sampling part continues one {@link Sampling} from slice
 * to slice ({@link Sampling#advance}).
 *
 * <p>Budgets. The {@link Deadline} is looked at before each execution and, through the model,
 * inside one: an execution it cuts does not count, so what is reported is what finished. An
 * execution that passes the step limit ends the search like a violation, without a verdict
 * ({@link Inconclusive.StepLimit}), and is not replayed with a trace (it would be as long as
 * the limit).
 */
public final class Explorer {

    /** The executions whose lengths set the PCT change-point range of every later one. */
    static final int WARM_UP = 32;
    /** Executions per batch and worker: only how often the workers meet; results do not depend on it. */
    private static final int BATCH_PER_JOB = 64;
    /** Executions per chunk sent to another JVM: tens of milliseconds of work per round trip. */
    static final int CHUNK = 128;

    /**
     * Explores until the first violation (the combination's verdict is then settled), the first
     * execution that reaches the step limit (no verdict), or the end of the budget, whose time
     * starts now.
     */
    public Exploration explore(Model model, Strategy strategy, Budget budget) {
        return explore(model, strategy, budget, budget.deadline());
    }

    /**
     * As {@link #explore(Model, Strategy, Budget)}, within {@code deadline} instead of the
     * budget's time: a caller that does more with the same budget (shrinking) sets it once.
     */
    public Exploration explore(Model model, Strategy strategy, Budget budget, Deadline deadline) {
        budget.progress().update(model, strategy.describe(), 0);
        try {
            Exploration e = switch (strategy) {
                case Strategy.Dfs dfs -> {
                    estimate(model, dfs, budget);
                    yield new DfsSearch(model, dfs, budget.shard()).explore(budget, deadline);
                }
                case Strategy.Auto auto -> auto(model, auto, budget, deadline);
                default -> sample(model, strategy, budget, deadline, 0);
            };
            // Every budget allows an execution: none finished only because time ran out.
            return e.executions() == 0 && e.conclusive() ? e.inconclusive(new Inconclusive.OutOfTime()) : e;
        } finally {
            budget.progress().finished(model);
        }
    }

    /**
     * For the user only (the probes are executions of their own, not of the search): the size
     * of a long DFS before it runs, and of any unsharded one for a progress line that shows it.
     */
    private static void estimate(Model model, Strategy.Dfs dfs, Budget budget) {
        Progress progress = budget.progress();
        boolean announced = progress != Progress.NONE && SearchEstimate.worthIt(dfs, budget);
        boolean shown = progress.showsEstimates() && budget.shard().whole();
        if (!announced && !shown) {
            return;
        }
        // An interrupt stops the probes too: a search the user stopped needs no estimate.
        double executions = SearchEstimate.executions(model, dfs, SearchEstimate.PROBES, 1, budget.stop());
        if (budget.stop().passed()) {
            return;
        }
        if (announced) {
            progress.estimate(model, dfs.describe(), executions, dfs.sleepSets());
        }
        if (shown) {
            progress.expect(model, Math.min(executions, budget.maxExecutions()), dfs.sleepSets());
        }
    }

    /** {@link Strategy.Auto}: the portfolio of a DFS and sampling ({@link AutoPortfolio}). */
    private Exploration auto(Model model, Strategy.Auto auto, Budget budget, Deadline deadline) {
        return new AutoPortfolio(model, auto, budget, deadline).run();
    }

    /** The sampling strategies; {@code before}: executions of an earlier phase, for progress reports. */
    private Exploration sample(Model model, Strategy strategy, Budget budget, Deadline deadline, long before) {
        return new Sampling(model, strategy, budget, deadline, before).run();
    }

    /** One sampling exploration: the warm-up in order, then batches on the workers. */
    static final class Sampling {
        private final Model model;
        private final Strategy strategy;
        private final Budget budget;
        private final Shard shard;
        /** Executions of other parts before this one's, for progress reports. */
        long before;
        /** What progress reports call the executions. */
        String phase;
        private final long started = System.nanoTime();
        private final Deadline deadline;
        /** The next index {@link #advance} considers. */
        private long next;
        /** Warm-up executions run, owned or not. */
        private long ran;
        /** Owned executions run (counted up to and including a violation). */
        long done;
        long steps;
        /** Whether the time ran out before an index {@link #advance} was asked to run. */
        boolean outOfTime;
        private long expectedPreemptible;
        /** The costs of the owned executions, added in index order. */
        final CostSummary costs = new CostSummary();

        Sampling(Model model, Strategy strategy, Budget budget, Deadline deadline, long before) {
            this.model = model;
            this.strategy = strategy;
            this.budget = budget;
            this.shard = budget.shard();
            this.before = before;
            this.phase = strategy.describe();
            this.deadline = deadline;
        }

        Exploration run() {
            Exploration end = advance(budget.maxExecutions());
            return end != null ? end : clean();
        }

        /**
         * Runs the indices below {@code end} not run yet (those this shard owns): the warm-up in
         * order, the rest in batches. Returns the exploration that ends the search (a violation,
         * a step limit), or {@code null} when none did; {@link #outOfTime} then says whether time
         * cut it short.
         */
        Exploration advance(long end) {
            long warm = Math.min(WARM_UP, end);
            for (long i = next; i < warm; i++) {
                next = i + 1;
                if (ran > 0 && deadline.passed()) {
                    outOfTime = true;
                    return null;
                }
                boolean owned = shard.owns(i);
                if (!owned && !(strategy instanceof Strategy.Pct || strategy instanceof Strategy.Mixed)) {
                    continue;
                }
                PreemptibleCount counted = new PreemptibleCount(choicesFor(strategy, i, expectedPreemptible));
                RunResult r = model.execute(counted, false, deadline);
                if (r.outOfTime()) {
                    outOfTime = true;
                    return null;
                }
                ran++;
                expectedPreemptible = Math.max(expectedPreemptible, counted.preemptible);
                if (owned) {
                    done++;
                    steps += r.steps();
                    costs.add(r.costs(), r.ranToEnd());
                    if (r.violated() || r.stepLimited()) {
                        return violation(r, i);
                    }
                }
            }
            long start = Math.max(next, warm);
            next = Math.max(next, end);
            budget.progress().update(model, phase, before + done);
            // The owned indices from start on: first, first + n, first + 2n, ...
            int n = shard.count();
            long first = start + Math.floorMod(shard.index() - 1 - start, (long) n);
            long positions = first < end ? (end - 1 - first) / n + 1 : 0;
            byte[] portable = budget.remote() != null && shard.whole() ? model.portable() : null;
            if (portable != null && positions > 0) {
                return elsewhere(portable, first, n, positions);
            }
            ExecutorService pool = budget.jobs() > 1 && positions > 0
                    ? Executors.newFixedThreadPool(budget.jobs(), ExplorerThreads::unstarted) : null;
            try {
                long batch = (long) BATCH_PER_JOB * budget.jobs();
                for (long b = 0; b < positions; b += batch) {
                    Batch bt = new Batch(b, Math.min(positions, b + batch), first, n);
                    bt.run(pool, budget.jobs(), ran + done == 0);
                    for (int k = 0; k < bt.taken(); k++) {
                        if (!bt.ran[k]) {
                            break;
                        }
                        done++;
                        steps += bt.stepsOf[k];
                        if (bt.errors[k] != null) {
                            throw rethrow(bt.errors[k]);
                        }
                        costs.add(bt.costsOf[k], bt.violations[k] == null);
                        if (bt.violations[k] != null) {
                            return violation(bt.violations[k], first + (b + k) * n);
                        }
                    }
                    budget.progress().update(model, phase, before + done);
                    if (bt.timeUp.get()) {
                        outOfTime = true;
                        return null;
                    }
                }
            } finally {
                if (pool != null) {
                    pool.shutdownNow();
                }
            }
            return null;
        }

        /**
         * Runs positions {@code [0, positions)} of the owned indices in chunks of {@value
         * #CHUNK} on other JVMs ({@link RemoteTasks}, {@link SamplingChunk}), at most twice as
         * many chunks in flight as the remote has slots (a member that joins meanwhile adds its
         * own), and takes their outcomes in index order
         * as the workers' batches are taken: up to the first execution that ends the search,
         * which runs again here for its result. A chunk nowhere could run runs here.
         */
        private Exploration elsewhere(byte[] portable, long first, int n, long positions) {
            RemoteTasks remote = budget.remote();
            long chunks = (positions + CHUNK - 1) / CHUNK;
            ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(remote.slots(),
                    ExplorerThreads::unstarted);
            java.util.ArrayDeque<Future<SamplingChunk.Outcome>> window = new java.util.ArrayDeque<>();
            AtomicBoolean ended = new AtomicBoolean();
            Deadline cancelled = () -> ended.get() || deadline.passed();
            long submitted = 0;
            try {
                for (long c = 0; c < chunks; c++) {
                    int slots = remote.slots();
                    if (slots > pool.getMaximumPoolSize()) {
                        pool.setMaximumPoolSize(slots);
                        pool.setCorePoolSize(slots);
                    }
                    while (submitted < chunks && window.size() < 2 * slots) {
                        SamplingChunk chunk = new SamplingChunk(strategy, first, n, submitted * CHUNK,
                                Math.min(positions, (submitted + 1) * CHUNK), expectedPreemptible);
                        window.add(pool.submit(() -> SamplingChunk.outcome(runChunk(remote, portable, chunk, cancelled))));
                        submitted++;
                    }
                    SamplingChunk.Outcome o = window.poll().get();
                    long from = c * CHUNK;
                    for (int k = 0; k < o.ran(); k++) {
                        long index = first + (from + k) * n;
                        if (k == o.ended()) {
                            // Run here what ended the chunk: its result, or its failure, is this JVM's.
                            RunResult r = model.execute(choicesFor(strategy, index, expectedPreemptible), false);
                            done++;
                            steps += r.steps();
                            costs.add(r.costs(), false);
                            if (!r.violated() && !r.stepLimited()) {
                                throw new ModelBugException("execution " + index + " ended a chunk in another JVM"
                                        + " but neither breaks an invariant nor reaches the step limit here", null);
                            }
                            return violation(r, index);
                        }
                        done++;
                        steps += o.steps()[k];
                        costs.add(o.costs()[k], true);
                    }
                    budget.progress().update(model, phase, before + done);
                    if (o.ending() == SamplingChunk.Ending.OUT_OF_TIME) {
                        outOfTime = true;
                        return null;
                    }
                }
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while exploring", e);
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            } finally {
                // The chunks still out can count nothing more: cancelled there, not run here.
                ended.set(true);
                pool.shutdownNow();
            }
        }

        /** Runs {@code chunk} elsewhere until {@code cancelled}; here when nowhere could. */
        private byte[] runChunk(RemoteTasks remote, byte[] portable, SamplingChunk chunk, Deadline cancelled) {
            try {
                return remote.run(portable, chunk.encode(), budget.maxExecutions(), deadline.nanosLeft(),
                        RemoteTasks.Found.NONE, cancelled);
            } catch (java.io.UncheckedIOException e) {
                return chunk.runHere(model, cancelled);
            }
        }

        private Exploration clean() {
            return new Exploration(null, done, steps, strategy.describe(), System.nanoTime() - started,
                    new Coverage.Sampled(), -1, null, costs);
        }

        /** The exploration that ends at {@code r}, which broke an invariant or reached the step limit. */
        private Exploration violation(RunResult r, long index) {
            if (r.stepLimited()) {
                return new Exploration(null, done, steps, strategy.describe(), System.nanoTime() - started,
                        new Coverage.Sampled(), index, Inconclusive.of(r), costs);
            }
            return new Exploration(traced(model, r), done, steps, strategy.describe(), System.nanoTime() - started,
                    new Coverage.Sampled(), index, null, costs);
        }

        /** Positions {@code [from, to)} of the owned indices, run by the workers. */
        private final class Batch {
            final long from;
            final long to;
            final long first;
            final int n;
            final long[] stepsOf;
            final CostCounters[] costsOf;
            final boolean[] ran;
            final RunResult[] violations;
            final Throwable[] errors;
            final AtomicLong next;
            /** The lowest position that violated or failed so far. */
            final AtomicLong firstBad = new AtomicLong(Long.MAX_VALUE);
            final AtomicBoolean timeUp = new AtomicBoolean();

            Batch(long from, long to, long first, int n) {
                this.from = from;
                this.to = to;
                this.first = first;
                this.n = n;
                int len = (int) (to - from);
                stepsOf = new long[len];
                costsOf = new CostCounters[len];
                ran = new boolean[len];
                violations = new RunResult[len];
                errors = new Throwable[len];
                next = new AtomicLong(from);
            }

            /** How many positions were handed out (they ran, or lie past a violation). */
            int taken() {
                return (int) (Math.min(next.get(), to) - from);
            }

            void run(ExecutorService pool, int jobs, boolean firstOfAll) {
                if (pool == null) {
                    ExplorerThreads.run(() -> work(firstOfAll));
                    return;
                }
                List<Future<?>> futures = new ArrayList<>();
                for (int j = 0; j < jobs; j++) {
                    boolean mayStart = firstOfAll && j == 0;
                    futures.add(pool.submit(() -> work(mayStart)));
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while exploring", e);
                    } catch (ExecutionException e) {
                        throw rethrow(e.getCause());
                    }
                }
            }

            /** Takes positions in order until the batch, the time or a violation ends it. */
            private void work(boolean firstOfAll) {
                boolean checkTime = !firstOfAll;
                while (true) {
                    // The time is checked before taking a position, so the positions that ran
                    // are always a prefix of the batch.
                    if (timeUp.get() || (checkTime && deadline.passed())) {
                        timeUp.set(true);
                        return;
                    }
                    checkTime = true;
                    long p = next.getAndIncrement();
                    if (p >= to || p > firstBad.get()) {
                        return;
                    }
                    int k = (int) (p - from);
                    try {
                        RunResult r = model.execute(choicesFor(strategy, first + p * n, expectedPreemptible), false,
                                deadline);
                        if (r.outOfTime()) {
                            // Not run: this position and those after it are dropped.
                            timeUp.set(true);
                            return;
                        }
                        stepsOf[k] = r.steps();
                        costsOf[k] = r.costs();
                        if (r.violated() || r.stepLimited()) {
                            violations[k] = r;
                            firstBad.accumulateAndGet(p, Math::min);
                        }
                    } catch (RuntimeException | Error e) {
                        errors[k] = e;
                        firstBad.accumulateAndGet(p, Math::min);
                    }
                    ran[k] = true;
                }
            }
        }
    }

    /** The violating execution {@code r} replayed with its trace (the replay is not cut by time). */
    static RunResult traced(Model model, RunResult r) {
        RunResult traced = model.execute(new ReplayChoiceSource(r.schedule()), true);
        return traced.violated() ? traced : r;
    }

    /** Throws {@code t} as it is (unchecked), or wrapped if it is checked. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    /** The choice source of execution {@code index}. */
    static ChoiceSource choicesFor(Strategy strategy, long index, long expectedPreemptible) {
        long seed = mix(strategy.seed(), index);
        return switch (strategy) {
            case Strategy.RandomWalk r -> new RandomChoiceSource(seed);
            case Strategy.Pct p -> new PctChoiceSource(seed, p.depth(), expectedPreemptible);
            case Strategy.Mixed m -> Strategy.Mixed.pctDepth(index) == 0 ? new RandomChoiceSource(seed)
                    : new PctChoiceSource(seed, Strategy.Mixed.pctDepth(index), expectedPreemptible);
            case Strategy.Dfs d -> throw new IllegalArgumentException("dfs decides across executions: use explore");
            case Strategy.Auto a -> throw new IllegalArgumentException("auto decides across executions: use explore");
        };
    }

    /** A seed for execution {@code index} that differs well from its neighbours (SplitMix64 finaliser). */
    static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
