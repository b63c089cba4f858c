package accelmm.bench;

import accelmm.check.Budget;
import accelmm.check.Exploration;
import accelmm.check.Explorer;
import accelmm.check.Strategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A complete unbounded DFS of {@link UserptrProtocol} (DPOR over observed footprints, state
 * caching), the search Spin makes of {@code bench/userptr/userptr.pml}, for {@code bench/run}:
 * prints per copy count the verdict, executions, states stored, cache hits and the search time,
 * the JVM's start-up left out and printed apart (searches for about two seconds warm the JIT;
 * the time printed is the median of the searches that follow, as many as fit in about a second,
 * at least five).
 *
 * <p>Run: {@code java -cp <the bench classpath> accelmm.bench.UserptrProtocolSearch [copies...]}.
 */
public final class UserptrProtocolSearch {

    private UserptrProtocolSearch() {
    }

    public static void main(String[] args) {
        // The JVM's start-up, reported apart: the time from its launch to this line.
        System.out.printf(Locale.ROOT, "jvm start-up: %.3f s%n",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
        String[] copies = args.length == 0 ? new String[] {"1", "3"} : args;
        for (String c : copies) {
            String[] parts = c.split(":");
            int n = Integer.parseInt(parts[0]);
            Strategy.Dfs dfs = new Strategy.Dfs(Strategy.Dfs.UNBOUNDED,
                    parts.length > 1 ? Strategy.Reduction.valueOf(parts[1].toUpperCase(Locale.ROOT)) : Strategy.Reduction.DPOR,
                    parts.length <= 2 || !parts[2].equals("off"));
            // Warm-up: searches for about two seconds (at least one), so that a tiny search
            // listed first is not measured while the JIT still compiles.
            long warm = 0;
            do {
                warm += search(n, dfs).elapsedNanos();
            } while (warm < 2_000_000_000L);
            // Warm: the median of as many searches as fit in about a second (at least five; a
            // search that meets a young collection copying its state cache takes twice as long).
            Exploration e;
            long total = 0;
            List<Long> times = new ArrayList<>();
            do {
                e = search(n, dfs);
                total += e.elapsedNanos();
                times.add(e.elapsedNanos());
            } while (times.size() < 5 || total < 1_000_000_000L && times.size() < 10_000);
            Collections.sort(times);
            int searches = times.size();
            long median = times.get(searches / 2);
            System.out.printf(Locale.ROOT, "copies %d (%s, caching %s): %s, %s, %d executions, %d states stored,"
                    + " %d cache hits, %d pruned runs, median of %d searches: %.6f s%n", n,
                    dfs.reduction().name().toLowerCase(Locale.ROOT), dfs.stateCaching() ? "on" : "off",
                    e.violated() ? "violation" : "clean",
                    e.complete() ? "complete" : "incomplete", e.executions(), e.statesStored(), e.cacheHits(),
                    e.prunedRuns(), searches, median / 1e9);
        }
    }

    static Exploration search(int copies, Strategy.Dfs dfs) {
        return new Explorer().explore(new UserptrProtocol(copies, true, null), dfs, new Budget(100_000_000, null));
    }
}
