package accelmm.mm;

/** {@code PROT_*} bits of mmap and mprotect. */
public record Prot(boolean read, boolean write, boolean exec) {

    public static final Prot NONE = new Prot(false, false, false);
    public static final Prot READ = new Prot(true, false, false);
    public static final Prot READ_WRITE = new Prot(true, true, false);

    /** Parses {@code none} or the letters {@code r}, {@code w}, {@code x} in that order ({@code rw}); null if malformed. */
    public static Prot parse(String text) {
        if (text.equals("none")) {
            return NONE;
        }
        if (text.isEmpty() || !text.matches("r?w?x?")) {
            return null;
        }
        return new Prot(text.contains("r"), text.contains("w"), text.contains("x"));
    }

    @Override
    public String toString() {
        if (!read && !write && !exec) {
            return "none";
        }
        return (read ? "r" : "") + (write ? "w" : "") + (exec ? "x" : "");
    }
}
