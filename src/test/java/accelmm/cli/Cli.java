package accelmm.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Runs command lines in-process with captured output, as the command tests do. It reads every
 * report as if each search took no time: JSON's {@code "elapsedNanos"}, the one field in which
 * two runs of the same search differ, reads 0, so that tests compare whole outputs; {@link
 * #runTimed} keeps the times.
 */
final class Cli {

    private static final Pattern ELAPSED = Pattern.compile("\"elapsedNanos\": \\d+");

    private Cli() {
    }

    /** What a command line did: its exit code, stdout and stderr. */
    record Ran(int code, String out, String err) {
    }

    static Ran run(String... args) {
        return untimed(runTimed(args));
    }

    /** {@link #run} with the times the report measured. */
    static Ran runTimed(String... args) {
        return runIn(System::getenv, args);
    }

    /** {@link #run} in an environment of these variables alone (check --shard auto reads them). */
    static Ran runIn(Map<String, String> environment, String... args) {
        return untimed(runIn(environment::get, args));
    }

    private static Ran untimed(Ran r) {
        return new Ran(r.code(), untimed(r.out()), r.err());
    }

    /** {@code text} with every JSON {@code elapsedNanos} set to 0. */
    static String untimed(String text) {
        return ELAPSED.matcher(text).replaceAll("\"elapsedNanos\": 0");
    }

    private static Ran runIn(Function<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment);
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@link #run} with stdout going to {@code out}; the Ran's out is empty. */
    static Ran runTo(OutputStream out, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, out, err);
        return new Ran(code, "", err.toString(StandardCharsets.UTF_8));
    }

    static String[] args(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
