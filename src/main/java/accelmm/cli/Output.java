package accelmm.cli;

import accelmm.report.TerminalText;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Standard output or standard error as accelmm writes them: UTF-8, every control character
 * written as a visible escape ({@link TerminalText}: a scenario's title or string data cannot
 * drive the terminal), and the first write error kept — a {@link java.io.PrintWriter} over it
 * swallows the error, and {@code run X > /dev/full} must not exit 0 with its output lost.
 */
final class Output extends Writer {

    private final Writer out;
    private IOException failure;

    Output(OutputStream out) {
        this.out = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    }

    @Override
    public void write(char[] text, int offset, int length) throws IOException {
        if (length > 0) {
            raw(TerminalText.escape(new String(text, offset, length)));
        }
    }

    /**
     * {@code text} with its control characters as they are: only for accelmm's own (the
     * progress line's carriage return), never for text that came from a scenario.
     */
    void control(String text) throws IOException {
        raw(text);
    }

    private void raw(String text) throws IOException {
        try {
            out.write(text);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    private IOException failed(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** The first write that failed, if one did. */
    Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }
}
