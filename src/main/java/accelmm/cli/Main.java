package accelmm.cli;

import accelmm.check.RunResult;
import accelmm.report.CheckReport;
import accelmm.report.ReplayLine;
import accelmm.scenario.ScenarioError;
import accelmm.scenario.ScenarioModelBug;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code accelmm} command line: {@code run}, {@code check}, {@code replay}, {@code catalog},
 * {@code demo}, {@code merge} and {@code help [COMMAND]}.
 *
 * <p>Exit codes: 0 — every expectation held (or the command did what was asked); 1 — some
 * expectation did not hold, or the run broke an invariant; 2 — bad input or usage (one line, or
 * {@code FILE:LINE:COL} with the line and a caret for scenario errors), or the output could not
 * be written (a full disk, a closed pipe); 3 — an internal error of accelmm, or out of memory;
 * 4 — inconclusive: no expectation failed, but some run has no verdict (it passed the step
 * limit, or the time budget ended before it finished); 130 — a {@code check} interrupted by
 * Ctrl-C, after printing what it explored so far (see {@link Interrupt}). It never prints a stack trace.
 * Everything printed goes through {@link Terminal}: control characters are escaped.
 */
@Command(name = "accelmm", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "An executable, deterministic model of the Linux memory-management and buffer-sharing "
                + "stack for GPUs and accelerators, with a checker on top.",
        subcommands = {RunCommand.class, CheckCommand.class, ReplayCommand.class, CatalogCommand.class,
            DemoCommand.class, MergeCommand.class, WorkerCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  accelmm demo", "  accelmm check examples/first.scn", "  accelmm help check",
            "  accelmm run examples/first.scn --design userptr=hmm-no-retry --seed 3", "",
            "Exit codes: 0 every expectation held; 1 one did not, or the run broke an",
            "invariant; 2 bad input or usage, or the output could not be written; 3 an",
            "internal error, or out of memory; 4 no verdict for some run (it passed",
            "--max-steps, or --time ran out before it finished); 130 (143) check was",
            "interrupted by SIGINT, Ctrl-C (SIGTERM) and printed the results explored so far."})
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_INTERNAL = 3;
    /** The message of the write error when the reader of the output has gone away (EPIPE). */
    private static final String BROKEN_PIPE = "Broken pipe";
    static final int EXIT_INCONCLUSIVE = 4;
    /**
     * A check the user interrupted (SIGINT), its results so far printed: 128 plus the signal's
     * number, as the JVM ends (a SIGTERM ends it with 143).
     */
    static final int EXIT_INTERRUPTED = 130;

    private static final String VERSION_RESOURCE = "version.properties";

    /** What running out of memory advises; {@link #main} builds its line in advance. */
    private static final String OUT_OF_MEMORY_ADVICE = "lower --jobs, --executions or --max-steps,"
            + " or give the JVM more heap, e.g. JAVA_TOOL_OPTIONS=-Xmx4g";
    private static final byte[] OUT_OF_MEMORY_LINE = ("accelmm: out of memory: " + OUT_OF_MEMORY_ADVICE + "\n")
            .getBytes(StandardCharsets.UTF_8);

    /**
     * Memory held back for reporting an OutOfMemoryError: released before the message is built.
     * A sixteenth of the heap, at most 4M, so that a small heap is not spent on it.
     */
    @SuppressWarnings("unused")
    private static volatile byte[] reserve = new byte[(int) Math.min(4 << 20, Runtime.getRuntime().maxMemory() / 16)];

    public static void main(String[] args) {
        FileOutputStream err = new FileOutputStream(FileDescriptor.err);
        GcWatchdog.start(() -> lastWords(err));
        int code;
        try {
            // The descriptors themselves: System.out would swallow a failed write.
            code = run(args, new FileOutputStream(FileDescriptor.out), err);
        } catch (Throwable e) {
            // Reporting failed too (out of memory while building the line): the line built in advance.
            lastWords(err);
            code = EXIT_INTERNAL;
        }
        System.exit(code);
    }

    /** The out-of-memory line from bytes made in advance, then exit 3 at once (no shutdown work). */
    private static void lastWords(FileOutputStream err) {
        reserve = null;
        try {
            err.write(OUT_OF_MEMORY_LINE);
        } catch (IOException | RuntimeException | Error e) {
            // Nothing more can be said.
        }
        Runtime.getRuntime().halt(EXIT_INTERNAL);
    }

    /** Runs one command line; returns the process exit code. */
    static int run(String[] args, OutputStream out, OutputStream err) {
        return run(args, out, err, System::getenv);
    }

    /**
     * {@link #run(String[], OutputStream, OutputStream)} with the environment that {@code check
     * --shard auto} reads the batch scheduler's variables from: a variable's value, or null.
     */
    static int run(String[] args, OutputStream out, OutputStream err, Function<String, String> environment) {
        CommandLine cl = new CommandLine(new Main());
        ((CheckCommand) cl.getSubcommands().get("check").getCommand()).environment = environment;
        // Colours would be escaped like any other control character.
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        Terminal outWriter = new Terminal(out);
        Terminal errWriter = new Terminal(err);
        cl.setOut(outWriter);
        cl.setErr(errWriter);
        if (args.length == 0) {
            cl.usage(outWriter);
            return written(EXIT_USAGE, outWriter, errWriter);
        }
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            String command = c.getCommandSpec().qualifiedName();
            if (ex instanceof CommandLine.UnmatchedArgumentException u && c == cl && !u.getUnmatched().isEmpty()) {
                errWriter.println("accelmm: unknown command '" + u.getUnmatched().get(0) + "' (see accelmm --help)");
            } else if (ex.getValue() != null && ex.getMessage().startsWith("Unknown subcommand")) {
                // accelmm help NAME of no command: worded as accelmm NAME is.
                errWriter.println("accelmm: unknown command '" + ex.getValue() + "' (see accelmm --help)");
            } else {
                errWriter.println("accelmm: " + ex.getMessage() + " (see " + command + " --help)");
            }
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            switch (ex) {
                case ScenarioError e -> errWriter.println(e.render());
                case CliError e -> errWriter.println("accelmm: " + e.getMessage());
                case ScenarioModelBug e when outOfMemory(e).isEmpty() -> {
                    errWriter.println("accelmm: internal error: " + e.getCause().getMessage());
                    errWriter.println("  " + ReplayLine.reproduce(e));
                    return EXIT_INTERNAL;
                }
                default -> {
                    return internalError(errWriter, ex);
                }
            }
            return EXIT_USAGE;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (RuntimeException | Error e) {
            code = internalError(errWriter, e);
        }
        return written(code, outWriter, errWriter);
    }

    /**
     * {@code code}, unless the output could not be written: then one line on stderr and exit 2,
     * whatever the command found (its report is lost). A reader that went away ({@code | head})
     * gets exit 2 without the line, as a tool killed by SIGPIPE says nothing.
     */
    private static int written(int code, Terminal out, Terminal err) {
        Optional<String> failure = out.failure();
        if (failure.isPresent()) {
            if (!failure.get().equals(BROKEN_PIPE)) {
                err.println("accelmm: cannot write the output: " + failure.get());
            }
            err.flush();
            return EXIT_USAGE;
        }
        err.flush();
        return code;
    }

    /**
     * One line for an internal error. Running out of memory (on any thread, perhaps wrapped as a
     * model bug) is said plainly, after the reserve is let go so that saying it cannot fail too.
     */
    static int internalError(PrintWriter err, Throwable e) {
        Optional<OutOfMemoryError> oom = outOfMemory(e);
        if (oom.isPresent()) {
            reserve = null;
            err.println("accelmm: out of memory (" + oom.get().getMessage() + "): " + OUT_OF_MEMORY_ADVICE);
        } else {
            err.println("accelmm: internal error: " + e);
        }
        return EXIT_INTERNAL;
    }

    /** Running out of memory, when it is somewhere in {@code e}'s causes (a model bug may wrap it). */
    private static Optional<OutOfMemoryError> outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return Optional.of(oom);
            }
        }
        return Optional.empty();
    }

    /** The exit code of a check's report: a verdict that was not expected wins over a missing one. */
    static int exitOf(CheckReport report) {
        if (report.allHold()) {
            return EXIT_OK;
        }
        return report.anyUnexpected() ? EXIT_FAILED : EXIT_INCONCLUSIVE;
    }

    /** The exit code of one execution (run, replay). */
    static int exitOf(RunResult r) {
        if (r.violated()) {
            return EXIT_FAILED;
        }
        return r.stepLimited() || r.outOfTime() ? EXIT_INCONCLUSIVE : EXIT_OK;
    }

    /** The project version, filled in by the build into {@value #VERSION_RESOURCE}. */
    static String version() {
        try (InputStream in = Main.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in != null) {
                Properties props = new Properties();
                props.load(in);
                String version = props.getProperty("version", "");
                if (!version.isBlank() && !version.startsWith("${")) {
                    return version.strip();
                }
            }
        } catch (IOException e) {
            // Fall through to the manifest.
        }
        String fromManifest = Main.class.getPackage().getImplementationVersion();
        return fromManifest != null ? fromManifest : "unknown";
    }

    /** {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"accelmm " + version()};
        }
    }
}
