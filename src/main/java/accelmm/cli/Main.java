package accelmm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Properties;

/**
 * The {@code accelmm} entry point, kept minimal until a CLI library replaces it.
 *
 * <p>Exit codes: 0 success, 2 usage error (no command, unknown command), 1 internal error.
 * It never prints a stack trace.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_INTERNAL = 1;
    static final int EXIT_USAGE = 2;

    private static final String VERSION_RESOURCE = "version.properties";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the process exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return dispatch(args, out, err);
        } catch (RuntimeException | Error e) {
            err.println("accelmm: internal error: " + e);
            return EXIT_INTERNAL;
        }
    }

    private static int dispatch(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            out.print(usage());
            return EXIT_USAGE;
        }
        return switch (args[0]) {
            case "--version", "-V" -> {
                out.println("accelmm " + version());
                yield EXIT_OK;
            }
            case "--help", "-h", "help" -> {
                out.print(usage());
                yield EXIT_OK;
            }
            default -> {
                err.println("accelmm: unknown command '" + args[0] + "' (see accelmm --help)");
                yield EXIT_USAGE;
            }
        };
    }

    static String usage() {
        return """
                usage: accelmm <command> [options]

                An executable, deterministic model of the Linux memory-management and
                buffer-sharing stack for GPUs and accelerators, with a checker on top.

                Commands (they arrive in later versions, with the scenario language):
                  run      run a scenario against one or several designs
                  check    explore a scenario's interleavings and report broken invariants
                  replay   replay one schedule of a scenario, step by step
                  catalog  list the built-in scenarios
                  demo     check the built-in catalog against every design (verdict table)

                Options:
                  --help     show this help
                  --version  print the version
                """;
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
}
