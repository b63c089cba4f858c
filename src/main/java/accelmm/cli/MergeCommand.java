package accelmm.cli;

import accelmm.check.Exploration;
import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Shard;
import accelmm.report.CheckReport;
import accelmm.report.JsonReader;
import accelmm.report.ShardMerge;
import accelmm.scenario.DesignKey;
import accelmm.scenario.InputFiles;
import accelmm.scenario.ReplayToken;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioChecker.CombinationResult;
import accelmm.scenario.ScenarioChecker.Expected;
import accelmm.scenario.ScenarioChecker;
import accelmm.scenario.ScenarioModel;
import accelmm.scenario.ScenarioModelBug;
import accelmm.sim.ReplayChoiceSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code accelmm merge}: the JSON results of the shards of one {@code check --shard I/N} run,
 * combined into the report one unsharded run gives. Per combination the lowest violating
 * execution index wins (its schedule is replayed for the counterexample), executions add, and a
 * systematic search counts as complete only if it was in every shard. Shards of different runs
 * (other options, another scenario text, another split) or with impossible counts are refused.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merge the --format json results of 'accelmm check --shard I/N' for I = 1..N into the report of "
            + "one unsharded run.",
            "Exit 0 when every expectation holds, 1 when one does not, 2 for bad input, 4 when no expectation "
            + "failed but some combination has no verdict (step limit, or out of time)."},
        footer = {"", "Example:", "  accelmm check DIR --format json --shard 1/2 > a.json",
            "  accelmm check DIR --format json --shard 2/2 > b.json", "  accelmm merge a.json b.json"})
final class MergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "the JSON result of each shard")
    List<Path> files;

    @Option(names = "--format", description = "text, json, tap or junit, as for check (default: ${DEFAULT-VALUE})")
    CheckCommand.Format format = CheckCommand.Format.text;

    @Option(names = "--stats", description = "also print elapsed time and executions per second")
    boolean stats;

    @picocli.CommandLine.Mixin
    WidthOption width;

    @Override
    public Integer call() {
        List<Map<String, Object>> shards = new ArrayList<>();
        Set<Integer> seen = new TreeSet<>();
        int count = -1;
        for (Path file : files) {
            Map<String, Object> doc = read(file);
            refuseErrors(file, doc);
            if (doc.containsKey("interrupted")) {
                throw new CliError(file + ": this shard was interrupted (Ctrl-C) before it finished; run it again");
            }
            Shard s;
            try {
                s = Shard.parse(doc.get("shard") instanceof String t ? t : "");
            } catch (IllegalArgumentException e) {
                throw new CliError(file + ": not the JSON of a sharded check (accelmm check --shard I/N --format json)");
            }
            if (count >= 0 && s.count() != count) {
                throw new CliError(file + ": shard " + s + " is not of the same split as the others (of " + count + ")");
            }
            count = s.count();
            if (!seen.add(s.index())) {
                throw new CliError(file + ": shard " + s + " given twice");
            }
            sameRun(files.get(0), shards.isEmpty() ? doc : shards.get(0), file, doc);
            shards.add(doc);
        }
        if (seen.size() != count) {
            List<String> missing = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                if (!seen.contains(i)) {
                    missing.add(i + "/" + count);
                }
            }
            throw new CliError("merge needs every shard of the run: " + String.join(", ", missing) + " missing");
        }
        // In shard order: shard 1 ran execution 1, whose costs the merged result reports as the first.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> Shard.parse((String) shards.get(i).get("shard")).index()));
        List<Map<String, Object>> docs = order.stream().map(shards::get).toList();
        List<Path> shardFiles = order.stream().map(files::get).toList();
        CheckReport report = new CheckReport(stats);
        report.width(width.columns());
        // The run's options, as every shard recorded them (sameRun checked they agree).
        if (docs.get(0).get("run") instanceof Map<?, ?> run) {
            Map<String, Object> options = new java.util.LinkedHashMap<>();
            run.forEach((k, v) -> options.put(String.valueOf(k), v));
            report.ran(Main.version(), options);
        }
        try {
            List<Object> first = list(docs.get(0), "scenarios");
            for (int si = 0; si < first.size(); si++) {
                List<Map<String, Object>> perShard = new ArrayList<>();
                for (Map<String, Object> doc : docs) {
                    List<Object> scenarios = list(doc, "scenarios");
                    if (scenarios.size() != first.size()) {
                        throw new IllegalArgumentException("the shards checked different scenarios");
                    }
                    perShard.add(map(scenarios.get(si)));
                }
                report.add(entry(perShard, shardFiles));
            }
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new CliError("cannot merge: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.render(report));
        out.flush();
        return Main.exitOf(report);
    }

    /**
     * Refuses a shard run with other options than the first ({@code --seed}, {@code --strategy},
     * {@code --executions}, ...): its executions are not part of the same run, and mixed
     * preemption bounds would even make the result depend on the order of the files.
     */
    private static void sameRun(Path firstFile, Map<String, Object> first, Path file, Map<String, Object> doc) {
        if (!(doc.get("run") instanceof Map<?, ?> run)) {
            throw new CliError(file + ": the shard does not say how it was run (an older accelmm wrote it);"
                    + " run the shards again");
        }
        Map<?, ?> expected = (Map<?, ?>) first.get("run");
        Set<Object> options = new LinkedHashSet<>(expected.keySet());
        options.addAll(run.keySet());
        for (Object option : options) {
            if (!Objects.equals(expected.get(option), run.get(option))) {
                throw new CliError(file + ": shard " + doc.get("shard") + " was run with " + option(option, run)
                        + ", " + firstFile + " with " + option(option, expected) + "; merge takes the shards of one run");
            }
        }
    }

    /** {@code --max-steps 100} for the JSON's {@code "maxSteps": 100}. */
    private static String option(Object name, Map<?, ?> run) {
        Object value = run.get(name);
        String flag = "--" + String.valueOf(name).replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        return value == null ? "no " + flag : flag + " " + value;
    }

    /**
     * A check with files it refused ({@code "errors"}) is not a whole shard: say so, with the
     * first problem and whether it explored the other files, rather than that it is not a
     * shard's JSON.
     */
    private static void refuseErrors(Path file, Map<String, Object> doc) {
        if (!(doc.get("errors") instanceof List<?> errors) || errors.isEmpty()) {
            return;
        }
        String first = errors.get(0) instanceof Map<?, ?> p
                ? p.get("file") + ":" + p.get("line") + ":" + p.get("column") + ": " + p.get("message")
                : String.valueOf(errors.get(0));
        boolean exploredOthers = doc.get("scenarios") instanceof List<?> scenarios && !scenarios.isEmpty();
        throw new CliError(file + ": that check refused " + (exploredOthers ? "some of its scenario files"
                : "its scenario files and explored nothing") + " (" + errors.size()
                + (errors.size() == 1 ? " problem: " : " problems, the first: ") + first
                + "); fix them and run the shard again");
    }

    /**
     * One scenario's entry from its object in every shard. The shards must have checked the same
     * text, the one the file holds now: the counterexample is replayed from it. {@code shardFiles}:
     * where each shard's JSON came from, to name it in a message.
     */
    private static CheckReport.Entry entry(List<Map<String, Object>> perShard, List<Path> shardFiles) {
        String path = text(perShard.get(0), "file");
        String fingerprint = text(perShard.get(0), "fingerprint");
        for (Map<String, Object> s : perShard) {
            if (!path.equals(text(s, "file"))) {
                throw new IllegalArgumentException("the shards checked different scenarios");
            }
            if (!fingerprint.equals(text(s, "fingerprint"))) {
                throw new IllegalArgumentException("the shards checked different texts of " + path + " (fingerprints "
                        + fingerprint + " and " + s.get("fingerprint") + ")");
            }
        }
        Scenario scenario = Scenarios.load(path);
        if (!scenario.fingerprint().equals(fingerprint)) {
            throw new IllegalArgumentException(path + " changed since the shards checked it (fingerprint " + fingerprint
                    + " then, " + scenario.fingerprint() + " now); run the shards again");
        }
        List<Object> combos = list(perShard.get(0), "combinations");
        List<Map<DesignKey, String>> known = ScenarioChecker.combinations(scenario);
        if (combos.size() != known.size()) {
            throw new IllegalArgumentException(path + ": the shards explored " + combos.size() + " design combinations, "
                    + "the scenario has " + known.size());
        }
        List<CombinationResult> results = new ArrayList<>();
        for (int ci = 0; ci < combos.size(); ci++) {
            List<Map<String, Object>> same = new ArrayList<>();
            for (Map<String, Object> s : perShard) {
                List<Object> c = list(s, "combinations");
                if (c.size() != combos.size() || !map(c.get(ci)).get("designs").equals(map(combos.get(ci)).get("designs"))) {
                    throw new IllegalArgumentException(path + ": the shards explored different design combinations");
                }
                same.add(map(c.get(ci)));
            }
            Map<DesignKey, String> combination = known.get(ci);
            if (!designs(combination).equals(same.get(0).get("designs"))) {
                throw new IllegalArgumentException(path + ": the shards explored design combination "
                        + same.get(0).get("designs") + " where the scenario has " + designs(combination));
            }
            for (int k = 0; k < same.size(); k++) {
                try {
                    ShardMerge.costs(same.get(k));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(shardFiles.get(k) + ": " + path + ", designs "
                            + ScenarioChecker.describe(combination) + ": " + e.getMessage());
                }
            }
            ScenarioModel model = new ScenarioModel(scenario, combination, ShardMerge.maxSteps(same));
            Exploration e = ScenarioModelBug.during(model, () -> ShardMerge.merge(same, token -> replay(model, token)));
            results.add(new CombinationResult(combination, e, expected((String) same.get(0).get("expected")),
                    ScenarioModelBug.during(model, () -> ScenarioChecker.shrink(model, e))));
        }
        return new CheckReport.Entry(path, scenario, results);
    }

    /** The combination as the JSON writes it, for comparing. */
    private static Map<String, Object> designs(Map<DesignKey, String> combination) {
        Map<String, Object> designs = new LinkedHashMap<>();
        combination.forEach((k, v) -> designs.put(k.word(), v));
        return designs;
    }

    /** Replays a shard's violating execution; one that does not fit the scenario is bad input. */
    private static RunResult replay(ScenarioModel model, String token) {
        ReplayChoiceSource source = new ReplayChoiceSource(ReplayToken.parse(token).scheduleFor(model));
        RunResult r;
        try {
            r = model.execute(source, true);
        } catch (RuntimeException e) {
            if (source.divergence().isEmpty()) {
                throw e;
            }
            r = null;
        }
        // The shard's execution broke an invariant or reached the step limit; here it must too.
        if (r == null || source.divergence().isPresent() || !(r.violated() || r.stepLimited())) {
            throw new IllegalArgumentException("the violating schedule " + token + " of a shard does not break an"
                    + " invariant of " + model.scenario().fileName() + " here; was it checked by another accelmm?");
        }
        return r;
    }

    /** "clean" or "violation a|b", as the report writes an expectation. */
    private static Expected expected(String text) {
        Set<InvariantKind> kinds = EnumSet.noneOf(InvariantKind.class);
        if (text != null && text.startsWith("violation ")) {
            for (String word : text.substring("violation ".length()).split("\\|")) {
                kinds.add(InvariantKind.invariantNamed(word)
                        .orElseThrow(() -> new IllegalArgumentException("unknown invariant '" + word + "'")));
            }
        } else if (!"clean".equals(text)) {
            throw new IllegalArgumentException("unknown expectation '" + text + "'");
        }
        return new Expected(kinds);
    }

    private static Map<String, Object> read(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(InputFiles.read(file))).toString();
        } catch (CharacterCodingException e) {
            throw new CliError(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new CliError("cannot read " + file + ": " + InputFiles.reason(e));
        }
        try {
            return map(JsonReader.read(text));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new CliError(file + ": " + e.getMessage());
        }
    }

    private static String text(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof List<?> l)) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        return (List<Object>) l;
    }
}
