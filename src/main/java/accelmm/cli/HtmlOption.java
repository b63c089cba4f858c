package accelmm.cli;

import accelmm.report.CheckReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --html FILE}: the report also as one self-contained HTML file, for {@code check} and {@code demo}. */
final class HtmlOption {

    @Option(names = "--html", paramLabel = "FILE", description = "also write the report as one self-contained HTML "
            + "file: the verdict table, the cost tables, and per violation a sequence diagram (a lane per actor, the "
            + "breaking step in red, each step linked to its scenario line), the graph of who held whom when that run "
            + "ended, and its replay command")
    Path file;

    /** Why a file could not be written, in words: the JDK's message for these is the path alone. */
    static String reason(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such directory";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
    }

    /** Writes {@code report} to the file, when one was given; a file that cannot be written is a usage error. */
    void write(CheckReport report) {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(file, report.html(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliError("--html: cannot write " + file + ": " + reason(e));
        }
    }
}
