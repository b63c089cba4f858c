package accelmm.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reading the files accelmm is given (scenarios, the JSON of shards) with a bound: only a
 * regular file, of at most {@link #MAX_BYTES}. A directory, {@code /dev/zero}, a FIFO or a
 * terminal would otherwise be read forever or block; the size is checked before reading, and
 * the read stops past the cap in case the file grew in between.
 */
public final class InputFiles {

    /** The largest input file read: 64 MB. */
    public static final long MAX_BYTES = 64L << 20;

    private InputFiles() {
    }

    /** Refused before or while reading, with a one-line reason. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }

    /**
     * The bytes of {@code path}.
     *
     * @throws Refused when it is not a regular file or is larger than {@link #MAX_BYTES}
     * @throws IOException when it cannot be read ({@link java.nio.file.NoSuchFileException},
     *                     {@link java.nio.file.AccessDeniedException}, ...)
     */
    public static byte[] read(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (attributes.isDirectory()) {
            throw new Refused("is a directory");
        }
        if (!attributes.isRegularFile()) {
            throw new Refused("not a regular file (a device, FIFO or socket is not read)");
        }
        if (attributes.size() > MAX_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw tooLarge();
            }
            return bytes;
        }
    }

    /** Why reading failed, in a few words: "no such file", "permission denied", "is a directory", ... */
    public static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "no such file";
            case AccessDeniedException x -> "permission denied";
            case Refused x -> x.getMessage();
            default -> "cannot read: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        };
    }

    private static Refused tooLarge() {
        return new Refused("larger than " + (MAX_BYTES >> 20) + " MB, the limit on input files");
    }
}
