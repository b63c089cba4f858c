package accelmm.report;

import java.util.List;
import java.util.Map;

/** A minimal JSON writer: maps (in their own order), lists, strings, numbers, booleans, null. */
public final class Json {

    private Json() {
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.append('\n').toString();
    }

    private static void write(StringBuilder out, Object value, int indent) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            case Map<?, ?> m -> {
                out.append('{');
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.append(i++ == 0 ? "\n" : ",\n").append("  ".repeat(indent + 1));
                    string(out, String.valueOf(e.getKey()));
                    out.append(": ");
                    write(out, e.getValue(), indent + 1);
                }
                out.append(m.isEmpty() ? "}" : "\n" + "  ".repeat(indent) + "}");
            }
            case List<?> l -> {
                out.append('[');
                int i = 0;
                for (Object o : l) {
                    out.append(i++ == 0 ? "\n" : ",\n").append("  ".repeat(indent + 1));
                    write(out, o, indent + 1);
                }
                out.append(l.isEmpty() ? "]" : "\n" + "  ".repeat(indent) + "]");
            }
            default -> string(out, value.toString());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    // Also what a terminal would act on: JSON read on a terminal is as safe as text.
                    if (c < 0x20 || TerminalText.escaped(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
