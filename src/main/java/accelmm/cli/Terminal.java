package accelmm.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Standard output or standard error as the commands print to them: a PrintWriter over an
 * {@link Output}, so control characters are escaped and a failed write is remembered.
 */
final class Terminal extends PrintWriter {

    private final Output output;
    private final OutputStream stream;

    Terminal(OutputStream stream) {
        this(new Output(stream), stream);
    }

    private Terminal(Output output, OutputStream stream) {
        super(output, true);
        this.output = output;
        this.stream = stream;
    }

    /** The standard error of a command that {@link Main} runs. */
    static Terminal err(CommandSpec spec) {
        return (Terminal) spec.commandLine().getErr();
    }

    /** Writes accelmm's own control characters (a progress line's carriage return) as they are. */
    void control(String text) {
        flush();
        try {
            output.control(text);
            output.flush();
        } catch (IOException e) {
            setError();
        }
    }

    /**
     * Why writing failed, if it did: everything is flushed first. A PrintStream underneath
     * (tests pass one) swallows its errors too, so its own error flag counts.
     */
    Optional<String> failure() {
        boolean failed = checkError() || (stream instanceof PrintStream p && p.checkError());
        if (!failed) {
            return Optional.empty();
        }
        return Optional.of(output.failure().map(IOException::getMessage).filter(m -> m != null && !m.isBlank())
                .orElse("write error"));
    }
}
