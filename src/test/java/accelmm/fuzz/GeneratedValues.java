package accelmm.fuzz;

/**
 * The sizes, offsets and addresses generated statements use: a few common values and, one
 * time in eight, one at an edge (empty, unaligned, past the end, too large), where the model
 * must answer with an errno too. The GPU addresses overlap on purpose, so binds replace and
 * split each other.
 */
final class GeneratedValues {

    private static final String[] SIZES = {"4K", "8K", "16K"};
    private static final String[] ODD_SIZES = {"0", "100", "6K", "1M"};
    private static final String[] OFFSETS = {"", "+4K", "+8K"};
    private static final String[] ODD_OFFSETS = {"+100", "-4K", "+16K"};
    private static final String[] GPU_VAS = {"0x100000", "0x101000", "0x102000", "0x104000", "0x200000"};
    private static final String[] ODD_GPU_VAS = {"0x100800", "0", "0x1000000000000"};
    private static final String[] READ_SIZES = {"8", "64", "4K"};
    private static final String[] ODD_READ_SIZES = {"0", "16K"};
    private static final String[] BO_OFFSETS = {"4K"};
    private static final String[] ODD_BO_OFFSETS = {"100", "16K"};
    private static final String[] FILL_COUNTS = {"64", "4K", "8K"};

    private GeneratedValues() {
    }

    /** The size of a range: memory to unmap, protect, bind, copy, reclaim. */
    static String size(int choice) {
        return value(SIZES, ODD_SIZES, choice);
    }

    /**
     * The size of a mapping or object a name is bound to: an odd one only one time in 32, since
     * using a name bound to an error ends the run (as an expectation failure).
     */
    static String boundSize(int choice) {
        return choice % 4 == 3 ? size(choice / 4) : SIZES[choice % SIZES.length];
    }

    /** What is added to a CPU address: nothing, 4K or 8K. */
    static String offset(int choice) {
        return value(OFFSETS, ODD_OFFSETS, choice);
    }

    static String gpuVa(int choice) {
        return value(GPU_VAS, ODD_GPU_VAS, choice);
    }

    static String readSize(int choice) {
        return value(READ_SIZES, ODD_READ_SIZES, choice);
    }

    static String boOffset(int choice) {
        return value(BO_OFFSETS, ODD_BO_OFFSETS, choice);
    }

    /** Data to write: a short text, a repeated byte, or a secret named {@code secret}. */
    static String data(int kind, int choice, String secret) {
        return switch (kind % 4) {
            case 0, 1 -> "\"w" + choice + "\"";
            case 2 -> String.format("0x%02x*%s", choice % 256, FILL_COUNTS[choice / 256 % FILL_COUNTS.length]);
            default -> "secret \"" + secret + "\"";
        };
    }

    /** One of {@code common}, or one time in eight one of {@code odd}. */
    private static String value(String[] common, String[] odd, int choice) {
        return choice % 8 == 7 ? odd[choice / 8 % odd.length] : common[choice / 8 % common.length];
    }
}
