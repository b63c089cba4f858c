package accelmm.mm;

/**
 * The mapping an access went through, for reports: a kind ({@code cpu va}, {@code gpu va}) and
 * an address, or just a name. Kept as parts so the hot path of the explorer builds no text; it is
 * formatted only when a report needs it.
 *
 * @param address the virtual address, or -1 when {@code kind} says it all
 * @param detail what else a reader needs to know of the mapping, or null: a guest's access
 *     names the types of its two stages ({@code stage 1 wc, EPT wb+ipat, guest PAT ignored})
 */
public record Through(String kind, long address, String detail) {

    /** A mapping of {@code kind} at {@code address}, with no detail. */
    public Through(String kind, long address) {
        this(kind, address, null);
    }

    /** A mapping described by {@code name} alone, e.g. {@code evict gem 3}. */
    public static Through named(String name) {
        return new Through(name, -1);
    }

    /** {@code gpu va 0x100000}, or the name; then the detail in parentheses, if any. */
    @Override
    public String toString() {
        String mapping = address < 0 ? kind : kind + " 0x" + Long.toHexString(address);
        return detail == null ? mapping : mapping + " (" + detail + ")";
    }
}
