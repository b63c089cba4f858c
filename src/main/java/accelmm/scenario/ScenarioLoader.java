package accelmm.scenario;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads scenario files: I/O problems and text that is not UTF-8 become {@link ScenarioError}s
 * like any other problem in a file.
 */
public final class ScenarioLoader {

    private ScenarioLoader() {
    }

    /**
     * Reads and parses the scenario at {@code path}; errors carry the path as given.
     *
     * @throws ScenarioError when the file cannot be read, is not a regular file of at most
     *                       {@link InputFiles#MAX_BYTES}, is not UTF-8, or does not parse
     */
    public static Scenario load(Path path) {
        return read(path).scenario();
    }

    /** {@link #load}, keeping what the load-time checks read. */
    static Parser.Parsed read(Path path) {
        String fileName = path.toString();
        byte[] bytes;
        try {
            bytes = InputFiles.read(path);
        } catch (IOException e) {
            throw new ScenarioError(fileName, 1, 1, InputFiles.reason(e), null);
        }
        return parsed(fileName, bytes);
    }

    /** Parses a scenario given as bytes, which must be UTF-8. */
    public static Scenario parse(String fileName, byte[] bytes) {
        return parsed(fileName, bytes).scenario();
    }

    /** {@link #parse}, keeping what the load-time checks read. */
    static Parser.Parsed parsed(String fileName, byte[] bytes) {
        return Parser.parse(Source.of(fileName, decode(fileName, bytes)));
    }

    /** Decodes strict UTF-8; a malformed byte is reported at its line and column. */
    static String decode(String fileName, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            String before = out.flip().toString();
            int lineStart = before.lastIndexOf('\n') + 1;
            int line = (int) before.chars().filter(ch -> ch == '\n').count() + 1;
            String partial = before.substring(lineStart);
            int column = partial.codePointCount(0, partial.length()) + 1;
            String reason = String.format("invalid UTF-8 (byte 0x%02x)", bytes[in.position()] & 0xff);
            throw new ScenarioError(fileName, line, column, reason, partial);
        }
        return out.flip().toString();
    }
}
