package accelmm.cli;

import accelmm.scenario.Catalog;
import accelmm.scenario.DesignKey;
import accelmm.scenario.DesignLine;
import accelmm.scenario.InputFiles;
import accelmm.scenario.ModelCoverage;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Loading scenarios named on the command line, and {@code --design} options. */
final class Scenarios {

    private Scenarios() {
    }

    /**
     * A scenario file whose verdicts are judged, or a built-in one as {@code catalog/NAME} (or
     * {@code catalog/NAME.scn}).
     */
    static Scenario load(String arg) {
        return builtIn(arg).orElseGet(() -> ModelCoverage.load(Path.of(arg)));
    }

    /**
     * The bytes of the scenario {@code arg} names, as {@link #load} read them (a built-in one's
     * from the catalog), for another JVM to load the same scenario from.
     */
    static byte[] text(String arg) {
        if (arg.startsWith("catalog/")) {
            Catalog.Entry e = Catalog.find(arg.substring("catalog/".length()).replaceFirst("\\.scn$", ""));
            return e.text().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            return InputFiles.read(Path.of(arg));
        } catch (IOException e) {
            throw new CliError("cannot read " + arg + " again: " + InputFiles.reason(e));
        }
    }

    /** {@link #load} for running one execution, which judges no {@code expect} line. */
    static Scenario loadToRun(String arg) {
        return builtIn(arg).orElseGet(() -> ModelCoverage.loadToRun(Path.of(arg)));
    }

    /**
     * The built-in scenario {@code arg} names, if it names one. An unknown name is a problem of
     * that argument, as a missing file is: reported with the other files' problems.
     */
    private static Optional<Scenario> builtIn(String arg) {
        if (!arg.startsWith("catalog/")) {
            return Optional.empty();
        }
        String name = arg.substring("catalog/".length()).replaceFirst("\\.scn$", "");
        Catalog.Entry e = Catalog.find(name);
        if (e == null) {
            throw new ScenarioError(arg, 1, 1, "no built-in scenario '" + name + "' (see accelmm catalog list)", null);
        }
        return Optional.of(e.scenario());
    }

    /**
     * The files named: each file itself, each directory's {@code .scn} files (recursively,
     * sorted). A directory without one, or with a part that cannot be read, is bad input: a
     * check of nothing must not pass.
     */
    static List<String> expand(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            Path p = Path.of(arg);
            if (Files.isDirectory(p)) {
                List<String> found = scenarioFiles(arg, p);
                if (found.isEmpty()) {
                    throw new CliError(arg + ": a directory without .scn files (nothing to check)");
                }
                out.addAll(found);
            } else {
                out.add(arg);
            }
        }
        return out;
    }

    private static List<String> scenarioFiles(String arg, Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".scn") && Files.isRegularFile(f)).sorted()
                    .map(Path::toString).toList();
        } catch (IOException e) {
            throw cannotRead(arg, e);
        } catch (UncheckedIOException e) {
            // The walk reports a subdirectory it cannot open this way.
            throw cannotRead(arg, e.getCause());
        }
    }

    private static CliError cannotRead(String arg, IOException e) {
        String where = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : arg;
        return new CliError("cannot read directory " + where + ": " + InputFiles.reason(e));
    }

    /**
     * The design combination that {@code --design K=V} options select: every key the scenario
     * varies takes the given value or its first listed one; a key it does not vary may be set
     * too.
     */
    static Map<DesignKey, String> combination(Scenario scenario, List<String> designOptions) {
        Map<DesignKey, String> given = new LinkedHashMap<>();
        designValues(designOptions).forEach((key, values) -> {
            if (values.size() > 1) {
                throw new CliError("--design " + key.word() + " given " + values.size()
                        + " values; a run has one (check runs several)");
            }
            given.put(key, values.get(0));
        });
        Map<DesignKey, String> combination = new LinkedHashMap<>();
        for (DesignLine line : scenario.designs()) {
            combination.put(line.key(), given.getOrDefault(line.key(), line.values().get(0)));
        }
        given.forEach(combination::putIfAbsent);
        return combination;
    }

    /**
     * The values of {@code --design K=V} options by key, in the order given, each checked: a
     * known, modelled key and one of its values the model runs. A key given twice with one
     * value counts once.
     */
    static Map<DesignKey, List<String>> designValues(List<String> designOptions) {
        Map<DesignKey, List<String>> given = new LinkedHashMap<>();
        for (String option : designOptions) {
            int eq = option.indexOf('=');
            if (eq <= 0) {
                throw new CliError("--design takes KEY=VALUE, got '" + option + "'");
            }
            String keyWord = option.substring(0, eq);
            String value = option.substring(eq + 1);
            DesignKey key = DesignKey.named(keyWord)
                    .orElseThrow(() -> new CliError("unknown design key '" + keyWord + "'"));
            if (!ModelCoverage.designModelled(key)) {
                throw new CliError("design key '" + keyWord + "' is not modelled yet");
            }
            if (!key.choices().contains(value)) {
                throw new CliError("design " + keyWord + " has no value '" + value + "' (values: "
                        + String.join(", ", key.choices()) + ")");
            }
            String refusal = ModelCoverage.designValueRefusal(key, value);
            if (refusal != null) {
                throw new CliError(refusal);
            }
            List<String> values = given.computeIfAbsent(key, k -> new ArrayList<>());
            if (!values.contains(value)) {
                values.add(value);
            }
        }
        return given;
    }
}
