package accelmm.bench;

import accelmm.check.Budget;
import accelmm.check.Exploration;
import accelmm.check.Explorer;
import accelmm.check.Strategy;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The explorer on the same protocol Spin checks in {@code bench/run}: one operation is a whole
 * DFS of {@link UserptrProtocol} (one copy of the race, with the retry) bounded to {@code
 * preemptions}. Counters: {@code executions} and {@code steps} per second, and {@code states}:
 * the protocol states that search reaches times the searches per second, comparable with Spin's
 * states per second for a complete search (Spin stores states; this search is stateless and
 * reaches each state many times; state caching is off here, {@link UserptrProtocolSearch} times
 * the caching search).
 *
 * <p>Run: {@code bin/bench UserptrProtocolBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class UserptrProtocolBenchmark {

    @Param({"2", "3"})
    public int preemptions;

    private long statesPerSearch;

    /** Per-search counts, reported per second next to the searches. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts {
        public long executions;
        public long steps;
        public long states;

        @Setup(Level.Iteration)
        public void clear() {
            executions = 0;
            steps = 0;
            states = 0;
        }
    }

    @Setup(Level.Trial)
    public void countStates() {
        Set<UserptrProtocol.State> states = new HashSet<>();
        search(new UserptrProtocol(1, true, states));
        statesPerSearch = states.size();
    }

    private Exploration search(UserptrProtocol model) {
        return new Explorer().explore(model, new Strategy.Dfs(preemptions, Strategy.Reduction.DPOR, false),
                new Budget(100_000_000, null));
    }

    /** One complete search. */
    @Benchmark
    public Exploration completeSearch(Counts counts) {
        Exploration e = search(new UserptrProtocol(1, true, null));
        counts.executions += e.executions();
        counts.steps += e.steps();
        counts.states += statesPerSearch;
        return e;
    }
}
