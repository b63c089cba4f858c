package accelmm.mm;

/**
 * The mapping an access went through, for reports: a kind ({@code cpu va}, {@code gpu va}) and
 * an address, or just a name. Kept as parts so the hot path of the explorer builds no text; it is
 * formatted only when a report needs it.
 *
 * @param address the virtual address, or -1 when {@code kind} says it all
 */
public record Through(String kind, long address) {

    /** A mapping described by {@code name} alone, e.g. {@code evict gem 3}. */
    public static Through named(String name) {
        return new Through(name, -1);
    }

    /** {@code gpu va 0x100000}, or the name. */
    @Override
    public String toString() {
        return address < 0 ? kind : kind + " 0x" + Long.toHexString(address);
    }
}
