package accelmm.scenario;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The syntax of one operation, read from a line of {@link Operation}'s table written as in
 * the language contract, e.g. {@code "P = mmap SIZE [prot=PROT] [shared] [at=ADDR]"}:
 *
 * <ul>
 *   <li>{@code X =} at the start: the operation returns a value a statement may bind;
 *   <li>the first word is the operation;
 *   <li>an upper-case placeholder is a positional parameter named by its lower-case form
 *       ({@code SIZE} → {@code size}), typed by {@link ParamType#ofPlaceholder};
 *       {@code PROT} is the word list {@code rw|r|none};
 *   <li>{@code name:a|b|c} is a positional parameter taking one of the words;
 *   <li>a lower-case word is a keyword that must appear at that position ({@code vm_bind});
 *   <li>{@code key=TYPE} is a required key, {@code [key=TYPE]} an optional one; TYPE is a
 *       placeholder or a word list ({@code placement=system|vram|vram,system});
 *   <li>{@code [word]} is an optional flag.
 * </ul>
 */
record Signature(String name, boolean returnsValue, List<Param> positional, List<Param> keys, List<String> flags,
        String usage) {

    /** A positional parameter, a key, or a keyword (type KEYWORD, {@code words} = the keyword). */
    record Param(String name, String display, ParamType type, List<String> words, boolean required) {

        boolean isKeyword() {
            return type == ParamType.KEYWORD;
        }

        /** Same type and words: two signatures cannot be told apart by this position. */
        boolean sameShape(Param other) {
            return type == other.type && words.equals(other.words);
        }
    }

    static Signature parse(String spec) {
        List<String> parts = List.of(spec.trim().split("\\s+"));
        boolean returnsValue = parts.size() > 1 && parts.get(1).equals("=");
        List<String> rest = returnsValue ? parts.subList(2, parts.size()) : parts;
        List<Param> positional = new ArrayList<>();
        List<Param> keys = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        for (String part : rest.subList(1, rest.size())) {
            boolean optional = part.startsWith("[") && part.endsWith("]");
            String item = optional ? part.substring(1, part.length() - 1) : part;
            if (item.contains("=")) {
                keys.add(key(item, !optional));
            } else if (optional) {
                flags.add(item);
            } else {
                positional.add(positional(item));
            }
        }
        Signature signature = new Signature(rest.get(0), returnsValue, List.copyOf(positional), List.copyOf(keys),
                List.copyOf(flags), spec.trim().replaceAll("\\b[a-z_]+:", ""));
        signature.checkNamesUnique();
        return signature;
    }

    private static Param positional(String item) {
        if (item.contains(":")) {
            String name = item.substring(0, item.indexOf(':'));
            String words = item.substring(item.indexOf(':') + 1);
            return new Param(name, words, ParamType.WORDS, List.of(words.split("\\|")), true);
        }
        if (item.equals("PROT")) {
            return new Param("prot", item, ParamType.WORDS, List.of("rw", "r", "none"), true);
        }
        if (item.equals(item.toUpperCase(Locale.ROOT))) {
            return new Param(item.toLowerCase(Locale.ROOT), item, ParamType.ofPlaceholder(item),
                    List.of(), true);
        }
        return new Param(item, item, ParamType.KEYWORD, List.of(item), true);
    }

    private static Param key(String item, boolean required) {
        String name = item.substring(0, item.indexOf('='));
        String type = item.substring(item.indexOf('=') + 1);
        if (type.equals("PROT")) {
            return new Param(name, item, ParamType.WORDS, List.of("rw", "r", "none"), required);
        }
        if (type.equals(type.toUpperCase(Locale.ROOT))) {
            return new Param(name, item, ParamType.ofPlaceholder(type), List.of(), required);
        }
        return new Param(name, item, ParamType.WORDS, List.of(type.split("\\|")), required);
    }

    private void checkNamesUnique() {
        Set<String> names = new LinkedHashSet<>(flags);
        for (Param p : positional) {
            if (!p.isKeyword() && !names.add(p.name())) {
                throw new IllegalArgumentException("duplicate parameter " + p.name() + " in: " + usage);
            }
        }
        for (Param p : keys) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("duplicate parameter " + p.name() + " in: " + usage);
            }
        }
    }

    Optional<Param> key(String keyName) {
        return keys.stream().filter(k -> k.name().equals(keyName)).findFirst();
    }

    /** The operation and its keywords, e.g. {@code ioctl vm_bind map}: names it in messages. */
    String title() {
        StringBuilder s = new StringBuilder(name);
        positional.stream().filter(Param::isKeyword).forEach(p -> s.append(' ').append(p.name()));
        return s.toString();
    }
}
