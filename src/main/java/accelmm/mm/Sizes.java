package accelmm.mm;

/**
 * Sizes as scenarios write them and {@code memparse} reads them: {@code 16K}, {@code 2M},
 * {@code 1G}, or plain bytes when not a multiple of 1K. Shared by every layer that prints a
 * size in a trace or report.
 */
public final class Sizes {

    private Sizes() {
    }

    /** {@code bytes} with the largest binary suffix that divides it exactly. */
    public static String suffixed(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + "G";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + "M";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "K";
        }
        return Long.toString(bytes);
    }
}
