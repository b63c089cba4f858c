package accelmm.scenario;

import accelmm.scenario.Signature.Param;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches the arguments of a call against {@link Operation}'s table: picks the operation among
 * those sharing the statement's first word, then binds positional arguments in order, keys by
 * name and the remaining bare words as flags, checking each against its parameter.
 *
 * <p>Positional arguments and keys may be interleaved ({@code exec queue=q copy src=...}, as
 * the contract writes it): positional arguments are matched in the order they appear.
 */
final class CallBinder {

    /** One argument as written: {@code key} is null for a positional argument. */
    record RawArg(Token key, Term value) {
    }

    /** The result: the operation, its arguments by parameter name and its flags. */
    record Bound(Operation operation, Map<String, Value> args, Set<String> flags) {
    }

    private final Cursor cursor;
    private final Values values;

    CallBinder(Cursor cursor, Values values) {
        this.cursor = cursor;
        this.values = values;
    }

    /**
     * @param opToken the operation's word
     * @param end     the last token of the arguments: a missing argument is reported after it
     */
    Bound bind(Token opToken, List<RawArg> args, Token end) {
        List<Term> bare = args.stream().filter(a -> a.key() == null).map(RawArg::value).toList();
        List<RawArg> keyed = args.stream().filter(a -> a.key() != null).toList();
        Operation op = select(opToken, Operation.named(opToken.text()), bare, keyed, end);
        Map<String, Value> bound = new LinkedHashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        bindPositional(op, bare, end, bound, flags);
        bindKeys(op, keyed, bound);
        refuseOffsetWithRegion(op, keyed);
        refuseOtherArchitecturesOption(op, keyed);
        for (Param key : op.signature().keys()) {
            if (key.required() && !bound.containsKey(key.name())) {
                throw cursor.errorAfter(end, "missing " + key.display() + " (usage: " + op.usages() + ")");
            }
        }
        return new Bound(op, inTableOrder(op, bound), flags);
    }

    /**
     * {@code mmap FD SIZE region=R} names the uacce region by its mmap page offset (mmio 0, dus
     * 1): an {@code offset=} beside it would either restate that offset or name another region
     * than the one written, so the two are not taken together.
     */
    private void refuseOffsetWithRegion(Operation op, List<RawArg> keyed) {
        if (op != Operation.MMAP_FILE || keyed.stream().noneMatch(a -> a.key().text().equals("region"))) {
            return;
        }
        for (RawArg a : keyed) {
            if (a.key().text().equals("offset")) {
                throw cursor.error(a.key(), "offset= cannot go with region=: region= is the mmap page offset"
                        + " (mmio 0, dus 1); give one of them");
            }
        }
    }

    /**
     * {@code kvm_create}'s host options belong to one architecture each: {@code guest-pat=} is
     * x86's {@code KVM_X86_QUIRK_IGNORE_GUEST_PAT} (KERNEL-SEMANTICS CA-02), {@code fwb=} arm64's
     * FEAT_S2FWB (CA-03); each is refused at its key beside the other architecture ({@code arch=}
     * left out is x86).
     */
    private void refuseOtherArchitecturesOption(Operation op, List<RawArg> keyed) {
        if (op != Operation.KVM_CREATE) {
            return;
        }
        String arch = keyed.stream().filter(a -> a.key().text().equals("arch"))
                .map(a -> cursor.text(a.value().first(), a.value().last())).findFirst().orElse("x86");
        String foreign = arch.equals("arm64") ? "guest-pat" : "fwb";
        for (RawArg a : keyed) {
            if (a.key().text().equals(foreign)) {
                throw cursor.error(a.key(), foreign + "= is an " + (arch.equals("arm64") ? "x86" : "arm64")
                        + " option, and this guest is arch=" + arch + (arch.equals("arm64")
                                ? " (guest-pat= is x86's KVM_X86_QUIRK_IGNORE_GUEST_PAT)"
                                : " (fwb= is arm64's FEAT_S2FWB; arch= left out is x86)"));
            }
        }
    }

    private static Map<String, Value> inTableOrder(Operation op, Map<String, Value> bound) {
        Map<String, Value> ordered = new LinkedHashMap<>();
        op.signature().positional().forEach(p -> copy(p.name(), bound, ordered));
        op.signature().keys().forEach(p -> copy(p.name(), bound, ordered));
        return ordered;
    }

    private static void copy(String name, Map<String, Value> from, Map<String, Value> to) {
        if (from.containsKey(name)) {
            to.put(name, from.get(name));
        }
    }

    /** Narrows the candidates position by position until one is left. */
    private Operation select(Token opToken, List<Operation> candidates, List<Term> bare, List<RawArg> keyed,
            Token end) {
        List<Operation> left = candidates;
        for (int i = 0; left.size() > 1 && i < maxPositional(left); i++) {
            if (agree(left, i)) {
                continue;
            }
            if (i >= bare.size()) {
                throw cursor.errorAfter(end, "missing " + describe(opToken, left, i));
            }
            left = keywordAt(left, i) ? byKeyword(opToken, left, i, bare.get(i)) : byCount(left, bare);
        }
        return left.size() > 1 ? byKeys(left, keyed) : left.get(0);
    }

    private static int maxPositional(List<Operation> ops) {
        return ops.stream().mapToInt(op -> op.signature().positional().size()).max().orElse(0);
    }

    private static Param paramAt(Operation op, int i) {
        List<Param> positional = op.signature().positional();
        return i < positional.size() ? positional.get(i) : null;
    }

    private static boolean agree(List<Operation> ops, int i) {
        Param first = paramAt(ops.get(0), i);
        return ops.stream().allMatch(op -> paramAt(op, i) != null && first != null
                && paramAt(op, i).sameShape(first));
    }

    private static boolean keywordAt(List<Operation> ops, int i) {
        return ops.stream().anyMatch(op -> paramAt(op, i) != null && paramAt(op, i).isKeyword());
    }

    /** {@code ioctl name}, {@code map, userptr or unmap}, or a placeholder such as {@code SIZE}. */
    private static String describe(Token opToken, List<Operation> ops, int i) {
        if (!keywordAt(ops, i)) {
            return paramAt(ops.get(0), i).display();
        }
        return opToken.isWord("ioctl") && i == 1 ? "ioctl name" : Suggest.oneOf(keywords(ops, i));
    }

    private static List<String> keywords(List<Operation> ops, int i) {
        Set<String> words = new LinkedHashSet<>();
        ops.stream().map(op -> paramAt(op, i)).filter(p -> p != null && p.isKeyword()).forEach(p -> words.add(p.name()));
        return List.copyOf(words);
    }

    private List<Operation> byKeyword(Token opToken, List<Operation> ops, int i, Term arg) {
        String word = arg instanceof Term.Path p && p.isPlainName() ? p.name().text() : null;
        List<Operation> matching = ops.stream()
                .filter(op -> paramAt(op, i) != null && paramAt(op, i).isKeyword()
                        && paramAt(op, i).name().equals(word))
                .toList();
        if (!matching.isEmpty()) {
            return matching;
        }
        String got = cursor.text(arg.first(), arg.last());
        List<String> words = keywords(ops, i);
        if (opToken.isWord("ioctl") && i == 1) {
            throw cursor.error(arg.first(), "unknown ioctl '" + got + "'" + Suggest.didYouMean(got, words));
        }
        throw cursor.error(arg.first(), "expected " + Suggest.oneOf(words) + ", got '" + got + "'"
                + Suggest.didYouMean(got, words));
    }

    /**
     * Tells {@code mmap 16K} from {@code mmap fd 16K} and {@code mmap 3 16K} by the number of
     * positional arguments: those before the first word (after the first argument) that is a
     * flag of one of the forms, so {@code mmap 16K shared} is the anonymous form. The form with
     * the most parameters that the count covers is chosen; with fewer arguments than any form
     * takes, the shortest, which reports what is missing ({@code mmap foo}: a size).
     */
    private static List<Operation> byCount(List<Operation> ops, List<Term> bare) {
        Set<String> flags = new LinkedHashSet<>();
        ops.forEach(op -> flags.addAll(op.signature().flags()));
        int count = 1;
        while (count < bare.size() && Values.words(bare.get(count)).filter(flags::contains).isEmpty()) {
            count++;
        }
        int positional = count;
        Comparator<Operation> bySize = Comparator.comparingInt(op -> op.signature().positional().size());
        return List.of(ops.stream().filter(op -> op.signature().positional().size() <= positional).max(bySize)
                .orElseGet(() -> ops.stream().min(bySize).orElseThrow()));
    }

    /** Tells {@code reg_mr dmabuf=db} from {@code reg_mr addr=p size=4K} by the keys given. */
    private static Operation byKeys(List<Operation> ops, List<RawArg> keyed) {
        List<Operation> accepting = ops.stream()
                .filter(op -> keyed.stream().allMatch(k -> op.signature().key(k.key().text()).isPresent()))
                .toList();
        if (accepting.isEmpty()) {
            return ops.get(0);
        }
        return accepting.stream().filter(op -> op.signature().keys().stream()
                        .filter(Param::required)
                        .allMatch(p -> keyed.stream().anyMatch(k -> k.key().text().equals(p.name()))))
                .findFirst().orElse(accepting.get(0));
    }

    private void bindPositional(Operation op, List<Term> bare, Token end, Map<String, Value> bound,
            Set<String> flags) {
        List<Param> params = op.signature().positional();
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (i >= bare.size()) {
                throw cursor.errorAfter(end, "missing " + p.display() + " (usage: " + op.usages() + ")");
            }
            Term arg = bare.get(i);
            if (p.isKeyword()) {
                expectKeyword(p, arg);
            } else {
                bound.put(p.name(), values.convert(p, arg));
            }
        }
        for (Term extra : bare.subList(Math.min(params.size(), bare.size()), bare.size())) {
            flags.add(flag(op, extra, flags));
        }
    }

    private void expectKeyword(Param p, Term arg) {
        String got = cursor.text(arg.first(), arg.last());
        if (!(arg instanceof Term.Path path && path.isPlainName() && path.name().text().equals(p.name()))) {
            throw cursor.error(arg.first(), "expected '" + p.name() + "', got '" + got + "'");
        }
    }

    private String flag(Operation op, Term arg, Set<String> flags) {
        String got = cursor.text(arg.first(), arg.last());
        List<String> allowed = op.signature().flags();
        if (!(arg instanceof Term.Path p && p.isPlainName() && allowed.contains(got))) {
            String hint = Suggest.didYouMean(got, allowed);
            throw cursor.error(arg.first(), "unexpected argument '" + got + "'"
                    + (hint.isEmpty() ? " (usage: " + op.usages() + ")" : hint));
        }
        if (flags.contains(got)) {
            throw cursor.error(arg.first(), "'" + got + "' is given twice");
        }
        return got;
    }

    private void bindKeys(Operation op, List<RawArg> keyed, Map<String, Value> bound) {
        for (RawArg arg : keyed) {
            String name = arg.key().text();
            Param p = op.signature().key(name).orElseThrow(() -> unknownKey(op, arg.key()));
            if (bound.containsKey(name)) {
                throw cursor.error(arg.key(), "key '" + name + "' is given twice");
            }
            bound.put(name, values.convert(p, arg.value()));
        }
    }

    private ScenarioError unknownKey(Operation op, Token key) {
        List<String> names = op.signature().keys().stream().map(Param::name).toList();
        String hint = Suggest.didYouMean(key.text(), names);
        return cursor.error(key, "unknown key '" + key.text() + "' for " + op.signature().title()
                + (hint.isEmpty() ? " (usage: " + op.usages() + ")" : hint));
    }
}
