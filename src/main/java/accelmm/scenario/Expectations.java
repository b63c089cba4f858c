package accelmm.scenario;

import accelmm.check.ExpectationFailed;
import accelmm.mm.Errno;
import accelmm.mm.Task;
import java.util.Arrays;

/** The inline expectations {@code expect X == V}, {@code expect X != V} and {@code expect read}. */
final class Expectations {

    private Expectations() {
    }

    static void expectValue(Evaluator eval, Statement.ExpectValue e, String where) {
        if (e.expected() instanceof Value.Word w && !(e.subject() instanceof Value.Field)) {
            // The parser makes a word of a plain name only when the subject is a field.
            throw new IllegalStateException("'" + w + "' compared with a value that is no field");
        }
        Bound actual = eval.value(e.subject());
        boolean equal = matches(eval, actual, e.expected());
        if (equal != e.equal()) {
            throw new ExpectationFailed(where + "`" + e.source() + "` does not hold: " + e.subject() + " is "
                    + show(actual));
        }
    }

    static void expectRead(Evaluator eval, Task task, Statement.ExpectRead e, String where) {
        byte[] out = new byte[Math.toIntExact(e.sizeBytes())];
        int ret = task.read(eval.number(e.address()), out);
        if (ret < 0) {
            throw new ExpectationFailed(where + "`" + e.source() + "`: the read failed with " + Errno.describe(ret));
        }
        boolean equal = Arrays.equals(out, Evaluator.bytes(e.expected()));
        if (equal != e.equal()) {
            throw new ExpectationFailed(where + "`" + e.source() + "` does not hold: read " + hex(out));
        }
    }

    /** Whether {@code actual} equals {@code expected}: every form the parser gives an expectation compares. */
    private static boolean matches(Evaluator eval, Bound actual, Value expected) {
        return switch (expected) {
            case Outcomes o -> {
                long result = switch (actual) {
                    case Bound.Err err -> err.errno().neg();
                    case Bound.Fence f -> Devices.fenceResult(f.fence());
                    case Bound.Num n -> 0;
                    case Bound.Gem g -> 0;
                    case Bound.Bytes b -> 0;
                    case Bound.Word w -> 0;
                    case Bound.Fields f -> 0;
                };
                yield result >= 0 ? o.success() : o.allows(Errno.ofReturn(result));
            }
            case Value.Num n -> Long.valueOf(n.value()).equals(number(actual));
            case Value.Offset o -> Long.valueOf(eval.number(o)).equals(number(actual));
            case Value.Data d -> actual instanceof Bound.Bytes b && Arrays.equals(b.data(), Evaluator.bytes(d));
            case Value.Name n -> {
                Bound other = eval.value(n);
                Long a = number(actual);
                yield a != null ? a.equals(number(other)) : actual.equals(other);
            }
            // A field's symbolic value: E.type == vm.
            case Value.Word w -> actual instanceof Bound.Word b && b.word().equals(w.word());
        };
    }

    /**
     * The number a bound value stands for (a plain number or a GEM handle), or null for fences,
     * errors and bytes.
     */
    private static Long number(Bound b) {
        return switch (b) {
            case Bound.Num n -> n.value();
            case Bound.Gem g -> g.handle();
            default -> null;
        };
    }

    private static String show(Bound b) {
        return switch (b) {
            case Bound.Num n -> Long.toString(n.value());
            case Bound.Err e -> e.errno().name();
            case Bound.Bytes bytes -> hex(bytes.data());
            case Bound.Gem g -> Long.toString(g.handle());
            case Bound.Fence f -> Devices.describe(f.fence());
            case Bound.Word w -> w.word();
            case Bound.Fields f -> f.what();
        };
    }

    private static String hex(byte[] data) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < Math.min(data.length, 32); i++) {
            int c = data[i] & 0xff;
            s.append(c >= 0x20 && c < 0x7f && c != '"' ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return s.append(data.length > 32 ? "\"..." : "\"").toString();
    }
}
