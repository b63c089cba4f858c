package accelmm.scenario;

import java.util.Map;

/**
 * What an operation's parameter accepts. In {@link Operation}'s table a parameter is written as
 * a placeholder ({@code FD}, {@code SIZE}, {@code ADDR}), whose type this enum maps.
 */
enum ParamType {
    /** A fixed word of the syntax: {@code vm_bind}, {@code map}, {@code to}. */
    KEYWORD("a keyword"),
    /** One of an enumerated set of words: {@code rw|r|none}. */
    WORDS("a word"),
    /** A bound name: {@code f}, {@code A.db}; one that remembers a record of the model (a fence). */
    REF("a name"),
    /**
     * The name a {@code gem_create} bound, for a statement that acts on the object itself
     * ({@code evict}): a number names a handle in some file, not an object.
     */
    OBJECT("the name a gem_create bound"),
    /**
     * A file descriptor: a bound name, or a number literal that fits the kernel's {@code int}
     * fd, 0 to 2^31-1 ({@code close 99}).
     */
    FD("a name or an fd number"),
    /**
     * A GEM handle, VM ID, exec-queue ID, accelerator memory handle or RDMA region handle: a bound
     * name, or a number literal that fits the kernel's {@code __u32} field, 0 to 2^32-1 ({@code
     * gem_close 0x10101010}).
     */
    ID("a name or an ID number"),
    /** A number or size literal: {@code 4096}, {@code 0x1000}, {@code 16K}. */
    SIZE("a size"),
    /**
     * A size of at most {@link Values#MAX_BYTES}: the bytes one statement reads at once into a
     * buffer of the model ({@code read}).
     */
    COUNT("a size of at most 64M"),
    /** A number literal without suffix. */
    NUMBER("a number"),
    /** A number literal from 0 to 255. */
    BYTE("a byte (0..255)"),
    /** A number literal, a bound name or a field: {@code 3}, {@code off}, {@code E.vm}. */
    VALUE("a number or a name"),
    /** A number, a bound name, a field, or a name plus or minus a number: {@code p+4K}. */
    ADDR("an address"),
    /** A data literal: {@code "text"}, {@code 0xAB*4K}, {@code secret "S"}. */
    DATA("data (\"text\", 0xAB*4K or secret \"NAME\")"),
    /** A process of the scenario (declared or forked). */
    PROC("a process name"),
    /** A declared device. */
    DEVICE("a device name"),
    /** An event: {@code ready}, {@code A.exit}. */
    EVENT("an event name"),
    /** A new name, bound by this statement or by a later {@code recv}. */
    NAME("a name"),
    /** The name of the process a {@code fork} creates. */
    CHILD("a process name");

    private static final Map<String, ParamType> PLACEHOLDERS = Map.ofEntries(
            Map.entry("FD", FD), Map.entry("DB", FD), Map.entry("VM", ID), Map.entry("BO", ID), Map.entry("Q", ID),
            Map.entry("H", ID), Map.entry("MR", ID), Map.entry("OBJ", OBJECT), Map.entry("COUNT", COUNT),
            Map.entry("DBG", REF),
            Map.entry("V", REF), Map.entry("G", REF), Map.entry("F", REF),
            Map.entry("SIZE", SIZE), Map.entry("N", NUMBER), Map.entry("BYTE", BYTE),
            Map.entry("VALUE", VALUE), Map.entry("ADDR", ADDR), Map.entry("DATA", DATA),
            Map.entry("PROC", PROC), Map.entry("DEVICE", DEVICE), Map.entry("EVENT", EVENT),
            Map.entry("NAME", NAME), Map.entry("CHILD", CHILD));

    private final String description;

    ParamType(String description) {
        this.description = description;
    }

    /** For messages: {@code a size}, {@code an address}. */
    String description() {
        return description;
    }

    /** The type a placeholder of the table stands for. */
    static ParamType ofPlaceholder(String placeholder) {
        ParamType type = PLACEHOLDERS.get(placeholder);
        if (type == null) {
            throw new IllegalArgumentException("unknown placeholder " + placeholder);
        }
        return type;
    }
}
