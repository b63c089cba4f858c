package accelmm.scenario;

import accelmm.scenario.Signature.Param;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks the {@link Term}s of one statement against what their parameters accept and turns them
 * into {@link Value}s, resolving dotted names: {@code A.p} is process A's binding p when A is a
 * process (or {@code kernel}), otherwise field p of the caller's binding A. It records where
 * each name is used ({@link #uses()}), for the load-time {@link NameChecks}.
 */
final class Values {

    /** The most bytes one statement reads, writes or compares: its buffer is an array in the model. */
    static final long MAX_BYTES = 64L << 20;

    private final Cursor cursor;
    private final Scope scope;
    /** The process of the thread the statement is in. */
    private final String process;
    private final List<Statement.NameUse> uses = new ArrayList<>();

    Values(Cursor cursor, Scope scope, String process) {
        this.cursor = cursor;
        this.scope = scope;
        this.process = process;
    }

    Value convert(Param param, Term term) {
        return switch (param.type()) {
            case KEYWORD, WORDS -> word(param, term);
            case REF -> ref(param, term);
            case OBJECT -> object(term);
            case FD -> id(param, term, Integer.MIN_VALUE, Integer.MAX_VALUE, "an int fd", "an fd");
            case ID -> id(param, term, 0, 0xFFFF_FFFFL, "a __u32", "an ID");
            case SIZE -> size(term);
            case COUNT -> new Value.Num(byteCount(term));
            case NUMBER -> number(term, ParamType.NUMBER);
            case BYTE -> byteValue(term);
            case VALUE -> value(term);
            case ADDR -> address(term);
            case DATA -> data(term);
            case PROC -> process(term);
            case DEVICE -> device(term);
            case EVENT -> event(term);
            case NAME, CHILD -> newName(param, term);
        };
    }

    Value.Num size(Term term) {
        if (term instanceof Term.Number n) {
            return new Value.Num(n.token().number());
        }
        throw mismatch(ParamType.SIZE.description(), term);
    }

    private Value.Num number(Term term, ParamType type) {
        if (term instanceof Term.Number n && !n.token().sized()) {
            return new Value.Num(n.token().number());
        }
        throw mismatch(type.description(), term);
    }

    private Value.Num byteValue(Term term) {
        Value.Num n = number(term, ParamType.BYTE);
        if (n.value() > 0xff) {
            throw mismatch(ParamType.BYTE.description(), term);
        }
        return n;
    }

    /** The uses of names recorded so far, in the order the statement's terms were converted. */
    List<Statement.NameUse> uses() {
        return List.copyOf(uses);
    }

    private Value.Scalar value(Term term) {
        if (term instanceof Term.Number n) {
            return new Value.Num(n.token().number());
        }
        if (term instanceof Term.Path p && !p.hasOffset()) {
            return resolve(p.name());
        }
        throw mismatch(ParamType.VALUE.description(), term);
    }

    Value.Scalar address(Term term) {
        if (term instanceof Term.Path p && p.hasOffset()) {
            long delta = p.offset().number();
            return new Value.Offset(resolve(p.name()), p.sign().is(Token.Kind.MINUS) ? -delta : delta);
        }
        if (term instanceof Term.Number || term instanceof Term.Path) {
            return value(term);
        }
        throw mismatch(ParamType.ADDR.description(), term);
    }

    private Value.Ref ref(Param param, Term term) {
        return name(term).orElseThrow(() -> mismatch("a name for " + param.display(), term));
    }

    /** {@code evict A.bo}: a name, since the statement moves the object the name was bound to. */
    private Value.Ref object(Term term) {
        if (term instanceof Term.Number) {
            throw cursor.error(term.first(), "expected " + ParamType.OBJECT.description() + ", got '"
                    + cursor.text(term.first(), term.last()) + "': the statement moves the object that name was"
                    + " bound to, and a number names no object");
        }
        return name(term).orElseThrow(() -> mismatch(ParamType.OBJECT.description(), term));
    }

    /** The name a term is: plain or qualified, without a field or an offset. */
    private Optional<Value.Ref> name(Term term) {
        if (term instanceof Term.Path p && !p.hasOffset() && resolve(p.name()) instanceof Value.Ref r) {
            return Optional.of(r);
        }
        return Optional.empty();
    }

    /**
     * A name, or a number literal where the kernel takes a number ({@code close 99}, {@code
     * gem_close 0x10101010}, {@code close -1}), from {@code min} to {@code max}: a literal the
     * kernel's field cannot hold is an error here, never truncated.
     *
     * @param what the number in a message: {@code an fd}, {@code an ID}
     */
    private Value.Scalar id(Param param, Term term, long min, long max, String field, String what) {
        Token digits = switch (term) {
            case Term.Number n -> n.token();
            case Term.Negative n -> n.number();
            default -> null;
        };
        if (digits == null) {
            return name(term).orElseThrow(() -> mismatch("a name or a number for " + param.display(), term));
        }
        String written = cursor.text(term.first(), term.last());
        if (digits.sized()) {
            throw cursor.error(term.first(), "expected a name or a number for " + param.display() + ", got '" + written
                    + "' (" + what + " has no size suffix)");
        }
        long value = term instanceof Term.Negative ? -digits.number() : digits.number();
        if (value < min || value > max) {
            String placeholder = param.display().substring(param.display().indexOf('=') + 1);
            throw cursor.error(term.first(), placeholder + " " + written + " does not fit " + field + " (" + min
                    + " to " + max + ")");
        }
        return new Value.Num(value);
    }

    /** A count of bytes one statement handles: a size up to {@link #MAX_BYTES}. */
    long byteCount(Term term) {
        long n = size(term).value();
        if (n > MAX_BYTES) {
            throw cursor.error(term.first(), "at most 64M bytes are read or compared at once, got '"
                    + cursor.text(term.first(), term.last()) + "'");
        }
        return n;
    }

    Value.Data data(Term term) {
        return switch (term) {
            case Term.Str s -> new Value.Text(s.token().bytes());
            case Term.Repeat r -> repeat(r);
            case Term.Secret s -> secret(s);
            default -> throw mismatch(ParamType.DATA.description(), term);
        };
    }

    private Value.Repeat repeat(Term.Repeat r) {
        if (r.byteValue().sized() || r.byteValue().number() > 0xff) {
            throw cursor.error(r.byteValue(), "a repeated byte must be 0..255, got '" + r.byteValue().text() + "'");
        }
        if (r.count().number() == 0) {
            throw cursor.error(r.count(), "a repeat count must be at least 1");
        }
        if (r.count().number() > MAX_BYTES) {
            throw cursor.error(r.count(), "a data literal is at most 64M bytes, got '" + r.count().text() + "'");
        }
        return new Value.Repeat((int) r.byteValue().number(), r.count().number());
    }

    private Value.Secret secret(Term.Secret s) {
        long size = Value.Secret.DEFAULT_SIZE;
        if (s.size() != null) {
            size = s.size().number();
            if (size == 0) {
                throw cursor.error(s.size(), "a secret's size must be at least 1");
            }
            if (size > MAX_BYTES) {
                throw cursor.error(s.size(), "a secret is at most 64M bytes, got '" + s.size().text() + "'");
            }
        }
        List<String> allow = new ArrayList<>();
        for (Token name : s.allow()) {
            allow.add(processName(name));
        }
        String name = new String(s.name().bytes(), StandardCharsets.UTF_8);
        return new Value.Secret(name, size, allow);
    }

    private Value.Word word(Param param, Term term) {
        String word = words(term).orElseThrow(() -> mismatch(Suggest.oneOf(param.words()), term));
        if (!param.words().contains(word)) {
            throw cursor.error(term.first(), "expected " + Suggest.oneOf(param.words()) + ", got '" + word + "'"
                    + Suggest.didYouMean(word, param.words()));
        }
        return new Value.Word(word);
    }

    /** The plain names of a term, joined by commas ({@code vram,system}); empty if it has other parts. */
    static Optional<String> words(Term term) {
        if (term instanceof Term.Path p && p.isPlainName()) {
            return Optional.of(p.name().text());
        }
        if (term instanceof Term.Items items) {
            List<String> words = new ArrayList<>();
            for (Term item : items.items()) {
                if (!(item instanceof Term.Path p && p.isPlainName())) {
                    return Optional.empty();
                }
                words.add(p.name().text());
            }
            return Optional.of(String.join(",", words));
        }
        return Optional.empty();
    }

    private Value.Word process(Term term) {
        if (term instanceof Term.Path p && p.isPlainName()) {
            return new Value.Word(processName(p.name()));
        }
        throw mismatch(ParamType.PROC.description(), term);
    }

    /** A process a statement may name: declared or forked, not {@code kernel}. */
    String processName(Token name) {
        if (!name.isPlainName() || !scope.userProcesses().contains(name.text())) {
            throw cursor.error(name, "unknown process '" + name.text() + "'"
                    + Suggest.didYouMean(name.text(), scope.userProcesses()));
        }
        return name.text();
    }

    private Value.Word device(Term term) {
        if (!(term instanceof Term.Path p && p.isPlainName())) {
            throw mismatch(ParamType.DEVICE.description(), term);
        }
        String name = p.name().text();
        if (!scope.isDevice(name)) {
            throw cursor.error(p.name(), "unknown device '" + name + "'" + Suggest.didYouMean(name, scope.devices()));
        }
        return new Value.Word(name);
    }

    private Value.Word event(Term term) {
        if (term instanceof Term.Path p && !p.hasOffset()) {
            return new Value.Word(p.name().text());
        }
        throw mismatch(ParamType.EVENT.description(), term);
    }

    private Value.Word newName(Param param, Term term) {
        if (term instanceof Term.Path p && p.isPlainName()) {
            return new Value.Word(p.name().text());
        }
        throw mismatch(param.type().description(), term);
    }

    /**
     * The value an expectation compares {@code subject} with: a number, data, a name or field,
     * or — for a field compared with a plain name the caller's process never binds nor inherits
     * — a word ({@code wc} in {@code I.caching == wc}). A name compared with a name is a name:
     * one never bound is a typo the load-time checks report.
     */
    Value expected(Term term, Value.Name subject) {
        return switch (term) {
            case Term.Number n -> new Value.Num(n.token().number());
            case Term.Str s -> data(s);
            case Term.Repeat r -> data(r);
            case Term.Secret s -> data(s);
            case Term.Path p when p.isPlainName() && subject instanceof Value.Field
                    && !scope.isBound(process, p.name().text()) -> new Value.Word(p.name().text());
            case Term.Path p -> address(p);
            case Term.Items items -> throw mismatch("a value", items);
            case Term.Negative n -> throw cursor.error(n.first(), "expected a value, got '"
                    + cursor.text(n.first(), n.last()) + "' (a negative number is written only where an fd goes)");
        };
    }

    /** The subject of an expectation: a name or a field. */
    Value.Name subject(Term term) {
        if (term instanceof Term.Path p && !p.hasOffset()) {
            return resolve(p.name());
        }
        throw mismatch("a name to check", term);
    }

    /** {@code p}, {@code A.p}, {@code I.caching} or {@code A.i.caching}; the use is recorded. */
    Value.Name resolve(Token name) {
        Value.Name resolved = dotted(name);
        uses.add(new Statement.NameUse(name.position(), resolved));
        return resolved;
    }

    private Value.Name dotted(Token name) {
        String[] parts = name.text().split("\\.");
        if (parts.length == 1) {
            return Value.Ref.local(parts[0]);
        }
        boolean qualified = scope.isProcess(parts[0]);
        if (parts.length == 2) {
            return qualified ? new Value.Ref(Optional.of(parts[0]), parts[1])
                    : new Value.Field(Value.Ref.local(parts[0]), parts[1]);
        }
        if (parts.length == 3 && qualified) {
            return new Value.Field(new Value.Ref(Optional.of(parts[0]), parts[1]), parts[2]);
        }
        if (parts.length == 3) {
            throw cursor.error(name, "unknown process '" + parts[0] + "' in '" + name.text() + "'"
                    + Suggest.didYouMean(parts[0], scope.userProcesses()));
        }
        throw cursor.error(name, "too many '.' in '" + name.text() + "'");
    }

    private ScenarioError mismatch(String expected, Term term) {
        return cursor.error(term.first(), "expected " + expected + ", got '" + cursor.text(term.first(), term.last())
                + "'");
    }
}
