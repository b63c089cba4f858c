package accelmm.fuzz;

import java.util.List;

/**
 * The sizes, offsets, addresses and numbers generated statements use: a few common values and,
 * one time in eight, one at an edge (empty, unaligned, past the end, too large), where the model
 * must answer with an errno too. The GPU addresses overlap on purpose, so binds replace and
 * split each other. Fds and IDs written as numbers are ones that may be in use and ones that
 * cannot be (a negative fd, the top of a {@code __u32}).
 */
final class GeneratedValues {

    private static final String[] SIZES = {"4K", "8K", "16K"};
    private static final String[] ODD_SIZES = {"0", "100", "6K", "1M"};
    /**
     * A queue's range sizes at the edge add two beyond what any mapping holds: one the address
     * space still fits (a page count past an int) and one whose end wraps.
     */
    private static final String[] ODD_QUEUE_SIZES = {"0", "100", "6K", "0x7ffe00000000", "0x7fffffffffffffff"};
    private static final String[] OFFSETS = {"", "+4K", "+8K"};
    private static final String[] ODD_OFFSETS = {"+100", "-4K", "+16K"};
    private static final String[] GPU_VAS = {"0x100000", "0x101000", "0x102000", "0x104000", "0x200000"};
    private static final String[] ODD_GPU_VAS = {"0x100800", "0", "0x1000000000000"};
    /** Guest-physical addresses: memslots may overlap; odd ones are unaligned or end past the top. */
    private static final String[] GPAS = {"0", "0x100000", "0x102000"};
    private static final String[] ODD_GPAS = {"0x100800", "0x7ffffffffffff000"};
    private static final String[] READ_SIZES = {"8", "64", "4K"};
    private static final String[] ODD_READ_SIZES = {"0", "16K"};
    private static final String[] BO_OFFSETS = {"4K"};
    private static final String[] ODD_BO_OFFSETS = {"100", "16K"};
    private static final String[] FILL_COUNTS = {"64", "4K", "8K"};
    /** Fds written as numbers: some open (fds are the lowest free, from 0), some not, one negative. */
    private static final String[] FD_NUMBERS = {"0", "1", "3", "99", "0x7fffffff", "-1"};
    /** IDs written as numbers: some in use (IDs are the lowest free, from 1), 0, and the __u32's top. */
    private static final String[] ID_NUMBERS = {"1", "2", "0", "0x7fffffff", "0x80000000", "0xFFFFFFFF"};
    /** Numbers an expectation compares a name with: 0, a small one, and where anonymous memory starts. */
    private static final String[] COMPARED_NUMBERS = {"0", "1", "0x10000000"};

    private GeneratedValues() {
    }

    /** The size of a range: memory to unmap, protect, bind, copy, reclaim. */
    static String size(int choice) {
        return value(SIZES, ODD_SIZES, choice);
    }

    /** The size of a range a uacce queue's {@code dma_map} or {@code submit} names. */
    static String queueSize(int choice) {
        return value(SIZES, ODD_QUEUE_SIZES, choice);
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

    /** A guest-physical address ({@code kvm_map}, {@code guest_map}, guest accesses). */
    static String gpa(int choice) {
        return value(GPAS, ODD_GPAS, choice);
    }

    static String readSize(int choice) {
        return value(READ_SIZES, ODD_READ_SIZES, choice);
    }

    static String boOffset(int choice) {
        return value(BO_OFFSETS, ODD_BO_OFFSETS, choice);
    }

    /**
     * Data to write or compare: a short text, a repeated byte, or a secret named {@code secret},
     * now and then with {@code size=} or readable by one of {@code allowable} too ({@code allow P}).
     */
    static String data(int kind, int choice, String secret, List<String> allowable) {
        return switch (kind % 4) {
            case 0, 1 -> "\"w" + choice + "\"";
            case 2 -> String.format("0x%02x*%s", choice % 256, FILL_COUNTS[choice / 256 % FILL_COUNTS.length]);
            default -> "secret \"" + secret + "\"" + (choice % 4 == 3 ? " size=" + READ_SIZES[choice / 4 % 2] : "")
                    + (choice % 3 == 2 && !allowable.isEmpty()
                            ? " allow " + allowable.get(choice / 3 % allowable.size()) : "");
        };
    }

    /** Data of {@code size} bytes, as a read of fresh memory gives ({@code 0x00*N}) or not. */
    static String dataOfSize(int choice, String size) {
        return String.format("0x%02x*%s", choice % 3 == 0 ? 0 : choice % 256, size);
    }

    /** An fd written as a number. */
    static String fdNumber(int choice) {
        return FD_NUMBERS[choice % FD_NUMBERS.length];
    }

    /** A GEM handle, VM or exec-queue ID written as a number. */
    static String idNumber(int choice) {
        return ID_NUMBERS[choice % ID_NUMBERS.length];
    }

    /** A number an expectation compares a name with. */
    static String comparedNumber(int choice) {
        return COMPARED_NUMBERS[choice % COMPARED_NUMBERS.length];
    }

    /** One of {@code common}, or one time in eight one of {@code odd}. */
    private static String value(String[] common, String[] odd, int choice) {
        return choice % 8 == 7 ? odd[choice / 8 % odd.length] : common[choice / 8 % common.length];
    }
}
