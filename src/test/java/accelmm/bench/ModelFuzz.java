package accelmm.bench;

import accelmm.check.Strategy;
import accelmm.fuzz.InternalErrorSearch;
import accelmm.fuzz.InternalErrorSearch.Failure;
import accelmm.fuzz.ScenarioPlan;
import accelmm.fuzz.ScenarioReducer;
import accelmm.fuzz.ScenarioWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;

/**
 * The long run of the internal-error search ({@code bin/fuzz}): generates random valid scenarios
 * ({@link ScenarioPlan}, {@link ScenarioWriter}), explores every design combination of each
 * ({@link InternalErrorSearch}) and collects the distinct classes of internal error (exception
 * type and the method that threw it). The first scenario of each class is reduced
 * ({@link ScenarioReducer}) and, with {@code --out DIR}, saved there with its report. It prints
 * scenarios and executions per second (search time only, not reduction) and the classes found.
 *
 * <p>Scenario {@code i} of seed {@code s} is generated from its own seed derived from
 * {@code (s, i)}, so a run is reproducible whatever its length.
 *
 * <pre>
 * bin/fuzz [--scenarios N | --time 10m] [--seed S] [--executions N] [--strategy mixed|random|pct:3|dfs:1|dfs:2]
 *          [--max-threads N] [--max-statements N] [--out DIR] [--print] [--no-reduce]
 * </pre>
 */
public final class ModelFuzz {

    private long scenarios = Long.MAX_VALUE;
    private Duration time;
    private long seed = 1;
    private long executions = 32;
    private String strategyName = "mixed";
    private int maxThreads = 6;
    private int maxStatements = 12;
    private Path out;
    private boolean print;
    private boolean reduce = true;
    /** Search time so far, for when each class was first found. */
    private long searchNanos;
    private long totalExecutions;

    private final Map<String, ClassSeen> classes = new LinkedHashMap<>();
    /** How the executions ended, over the whole run. */
    private final Map<String, Long> ends = new java.util.TreeMap<>();

    /** One class of internal error: where it came first, and how many combinations failed with it. */
    private static final class ClassSeen {
        final int number;
        final long firstScenario;
        final long firstExecutions;
        final double firstSeconds;
        int count = 1;

        ClassSeen(int number, long firstScenario, long firstExecutions, double firstSeconds) {
            this.number = number;
            this.firstScenario = firstScenario;
            this.firstExecutions = firstExecutions;
            this.firstSeconds = firstSeconds;
        }
    }

    public static void main(String[] args) throws IOException {
        ModelFuzz fuzz = new ModelFuzz();
        try {
            fuzz.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fuzz: " + e.getMessage());
            System.err.println("usage: bin/fuzz [--scenarios N | --time 10m] [--seed S] [--executions N]"
                    + " [--strategy mixed|random|pct:D|dfs:K] [--max-threads N] [--max-statements N]"
                    + " [--out DIR] [--print] [--no-reduce]");
            System.exit(2);
        }
        // jqwik's generators outside a property need a session.
        JqwikSession.start();
        boolean clean = fuzz.run();
        JqwikSession.finish();
        System.exit(clean ? 0 : 1);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--print") || args[i].equals("--no-reduce")) {
                print |= args[i].equals("--print");
                reduce &= !args[i].equals("--no-reduce");
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            switch (args[i++]) {
                case "--scenarios" -> scenarios = Long.parseLong(value);
                case "--time" -> time = duration(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--executions" -> executions = Long.parseLong(value);
                case "--strategy" -> strategyName = value;
                case "--max-threads" -> maxThreads = Integer.parseInt(value);
                case "--max-statements" -> maxStatements = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
            }
        }
        strategy(0);
        if (scenarios == Long.MAX_VALUE && time == null) {
            scenarios = 1000;
        }
    }

    private static Duration duration(String text) {
        var m = java.util.regex.Pattern.compile("(\\d+)(s|m|h)").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("--time takes 30s, 10m or 1h, got " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The strategy as the header names it: its kind, without the seed each scenario brings. */
    private String strategyLabel() {
        Strategy s = strategy(0);
        return switch (s) {
            case Strategy.Dfs d -> s.describe();
            case Strategy.RandomWalk r -> "random walks";
            case Strategy.Pct p -> "pct(depth " + p.depth() + ")";
            case Strategy.Mixed m -> "random walks and pct";
            case Strategy.Auto a -> "dfs(preemptions " + a.preemptionBound() + "), else random walks and pct";
        };
    }

    /** The strategy for scenario {@code index}: sampling strategies get the scenario's own seed. */
    private Strategy strategy(long scenarioSeed) {
        String[] parts = strategyName.split(":");
        int k = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        return switch (parts[0]) {
            case "dfs" -> new Strategy.Dfs(k);
            case "auto" -> new Strategy.Auto(scenarioSeed, k);
            case "mixed" -> new Strategy.Mixed(scenarioSeed);
            case "random" -> new Strategy.RandomWalk(scenarioSeed);
            case "pct" -> new Strategy.Pct(scenarioSeed, k);
            default -> throw new IllegalArgumentException("unknown strategy " + strategyName);
        };
    }

    private boolean run() throws IOException {
        RandomGenerator<ScenarioPlan> plans = ScenarioPlan.plans(maxThreads, maxStatements).generator(1000);
        System.out.printf("fuzz: seed %d (scenario i is generated and searched with its own seed, derived from"
                + " (%d, i)), %s, %d executions per combination, at most %d threads of %d statements%n",
                seed, seed, strategyLabel(), executions, maxThreads, maxStatements);
        long started = System.nanoTime();
        long deadline = time == null ? Long.MAX_VALUE : started + time.toNanos();
        long totalSteps = 0;
        long replayed = 0;
        long failures = 0;
        long lastReport = started;
        long i = 0;
        for (; i < scenarios && System.nanoTime() < deadline; i++) {
            long scenarioSeed = mix(seed, i);
            String text = ScenarioWriter.write(plans.next(new Random(scenarioSeed)).value());
            if (print) {
                System.out.printf("---- scenario %d%n%s", i, text);
            }
            InternalErrorSearch search = new InternalErrorSearch(strategy(scenarioSeed), executions);
            long t0 = System.nanoTime();
            InternalErrorSearch.Outcome o = search.search(text);
            searchNanos += System.nanoTime() - t0;
            totalExecutions += o.executions();
            replayed += o.replayed();
            totalSteps += o.steps();
            o.ends().forEach((end, n) -> ends.merge(end, n, Long::sum));
            for (Failure f : o.errors()) {
                failures++;
                record(i, f, search);
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                progress(i + 1, totalExecutions, totalSteps, searchNanos, failures);
            }
        }
        System.out.println();
        progress(i, totalExecutions, totalSteps, searchNanos, failures);
        System.out.printf("wall time %.1f s (search %.1f s; the rest generating, reporting and reducing)%n",
                (System.nanoTime() - started) / 1e9, searchNanos / 1e9);
        System.out.printf("%d executions replayed from their schedules, traces compared%n", replayed);
        long ran = totalExecutions;
        System.out.println("executions ended: " + ends.entrySet().stream()
                .map(e -> String.format("%s %.1f%%", e.getKey(), 100.0 * e.getValue() / Math.max(ran, 1)))
                .collect(java.util.stream.Collectors.joining(", ")));
        classes.forEach((kind, c) -> System.out.printf(
                "  %d. %s: %d combinations failed; first in scenario %d, after %d executions, %.1f s%n",
                c.number, kind, c.count, c.firstScenario, c.firstExecutions, c.firstSeconds));
        return classes.isEmpty();
    }

    private void progress(long n, long executionsRun, long steps, long nanos, long failures) {
        double s = Math.max(nanos, 1) / 1e9;
        System.out.printf(
                "%d scenarios (%.1f/s), %d executions (%.0f/s, %.0f steps/s), %d internal errors in %d classes%n",
                n, n / s, executionsRun, executionsRun / s, steps / s, failures, classes.size());
    }

    /** Counts a failure; the first of its class is reported, reduced and saved. */
    private void record(long scenario, Failure f, InternalErrorSearch search) throws IOException {
        ClassSeen seen = classes.get(f.kind());
        if (seen != null) {
            seen.count++;
            return;
        }
        seen = new ClassSeen(classes.size() + 1, scenario, totalExecutions, searchNanos / 1e9);
        classes.put(f.kind(), seen);
        System.out.printf("%nNEW class %d in scenario %d: %s%n", seen.number, scenario, f.kind());
        System.out.println(f.report(InternalErrorSearch.FILE_NAME));
        if (!reduce) {
            return;
        }
        String reduced = new ScenarioReducer(text -> failsAs(search, text, f.kind())).reduce(f.text(), f.combination());
        Failure again = search.search(reduced).errors().stream().filter(e -> e.kind().equals(f.kind())).findFirst()
                .orElseThrow();
        String name = "class-" + seen.number;
        System.out.printf("reduced from %d to %d lines:%n%s%n", f.text().lines().count(), reduced.lines().count(),
                again.report(name + ".scn"));
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve(name + ".scn"), reduced);
            Files.writeString(out.resolve(name + ".txt"), again.report(name + ".scn") + "\n\n---- as generated\n"
                    + f.report(name + "-generated.scn") + "\n\n" + stackTrace(again.error()));
            Files.writeString(out.resolve(name + "-generated.scn"), f.text());
        }
    }

    private static boolean failsAs(InternalErrorSearch search, String text, String kind) {
        try {
            return search.search(text).errors().stream().anyMatch(e -> e.kind().equals(kind));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String stackTrace(Throwable t) {
        var w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    /** A seed for scenario {@code index} that differs well from its neighbours (SplitMix64 finaliser). */
    static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
