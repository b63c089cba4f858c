package accelmm.scenario;

import accelmm.check.InvariantKind;

import accelmm.scenario.Token.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Parses the top-level lines other than threads: {@code scenario}, {@code design},
 * {@code device}, {@code process} and the {@code expect} verdicts. Each method gets a cursor
 * positioned after the line's first word.
 *
 * <p>Attributes are checked against fixed lists (and design keys and values against
 * {@link DesignKey}), each given at most once, and the defaults are filled in here, so the
 * interpreter never meets a missing attribute: a device's vram is 256M for gpu and accel and
 * none for rdma, its queues 16, sva on for accel only, p2p and exclusive off; a process's uid
 * is 1000. A device line also keeps which attributes it writes, and where, for the load checks.
 */
final class DeclarationParser {

    private static final List<String> DEVICE_KEYS = Stream.concat(Stream.of("kind"),
            Arrays.stream(Device.Attribute.values()).map(Device.Attribute::word)).toList();
    private static final List<String> YES_NO = List.of("yes", "no");

    private final Scope scope;

    DeclarationParser(Scope scope) {
        this.scope = scope;
    }

    /** {@code scenario "TITLE"}: the title. */
    String title(Cursor c) {
        Token title = c.expect(Kind.STRING, "a quoted title after 'scenario'");
        c.expectEnd();
        return new String(title.bytes(), StandardCharsets.UTF_8);
    }

    /** {@code design KEY=V1[,V2...]} or {@code design KEY=*}. */
    DesignLine design(Cursor c) {
        Token first = c.first();
        Token key = c.expect(Kind.NAME, "KEY=VALUE after 'design'");
        DesignKey designKey = designKey(c, key);
        defineOnce(c, "design", key, "design key '" + key.text() + "' is given twice");
        c.expect(Kind.EQUALS, "'=' after '" + key.text() + "'");
        if (c.at(Kind.STAR)) {
            c.next();
            c.expectEnd();
            return new DesignLine(first.position(), designKey, designKey.choices(), true);
        }
        List<String> values = new ArrayList<>();
        do {
            if (!values.isEmpty()) {
                c.next();
            }
            Token value = designValue(c, designKey);
            if (values.contains(value.text())) {
                throw c.error(value, "value '" + value.text() + "' is listed twice");
            }
            values.add(value.text());
        } while (c.at(Kind.COMMA));
        c.expectEnd();
        return new DesignLine(first.position(), designKey, values, false);
    }

    private static DesignKey designKey(Cursor c, Token key) {
        return DesignKey.named(key.text()).orElseThrow(() -> c.error(key,
                "unknown design key '" + key.text() + "'" + Suggest.didYouMean(key.text(), DesignKey.words())));
    }

    private static Token designValue(Cursor c, DesignKey key) {
        Token value = c.expect(Kind.NAME, "a value for design key '" + key.word() + "'");
        if (!key.choices().contains(value.text())) {
            throw c.error(value, "unknown value '" + value.text() + "' for design key '" + key.word()
                    + "' (expected " + Suggest.oneOf(key.choices()) + ")");
        }
        return value;
    }

    /**
     * {@code device NAME kind=... [vram=SIZE] [queues=N] [sva=yes|no] [p2p=yes|no] [exclusive=yes|no]}.
     * Every attribute is accepted for every kind here, as the contract's grammar has it; which of
     * them the model runs for the kind is a load check ({@link ModelCoverage}).
     */
    Device device(Cursor c) {
        Token name = plainName(c, "a device name");
        defineOnce(c, "device", name, "device '" + name.text() + "' is declared twice");
        Device.Kind kind = null;
        long vram = -1;
        int queues = Device.DEFAULT_QUEUE_COUNT;
        Boolean sva = null;
        boolean p2p = false;
        boolean exclusive = false;
        Set<String> given = new LinkedHashSet<>();
        List<Device.Written> written = new ArrayList<>();
        while (!c.atEnd()) {
            Token key = attribute(c, DEVICE_KEYS, "device attribute", given);
            if (key.isWord("kind")) {
                kind = Device.Kind.valueOf(word(c, List.of("gpu", "accel", "rdma")).toUpperCase(Locale.ROOT));
                continue;
            }
            Device.Attribute attribute = Device.Attribute.valueOf(key.text().toUpperCase(Locale.ROOT));
            written.add(new Device.Written(attribute, key.position()));
            switch (attribute) {
                case VRAM -> vram = c.expect(Kind.NUMBER, "a size").number();
                case QUEUES -> queues = count(c);
                case SVA -> sva = word(c, YES_NO).equals("yes");
                case P2P -> p2p = word(c, YES_NO).equals("yes");
                case EXCLUSIVE -> exclusive = word(c, YES_NO).equals("yes");
            }
        }
        if (kind == null) {
            throw c.errorAfter(c.previous(), "missing kind=gpu|accel|rdma");
        }
        long vramBytes = vram >= 0 ? vram : kind == Device.Kind.RDMA ? 0 : Device.DEFAULT_VRAM_BYTES;
        boolean svaOn = sva != null ? sva : kind == Device.Kind.ACCEL;
        return new Device(name.position(), name.text(), kind, vramBytes, queues, svaOn, p2p, exclusive, written);
    }

    private static int count(Cursor c) {
        Token n = c.expect(Kind.NUMBER, "a number");
        if (n.sized() || n.number() < 1 || n.number() > 4096) {
            throw c.error(n, "expected a number of queues from 1 to 4096, got '" + n.text() + "'");
        }
        return (int) n.number();
    }

    /** {@code process NAME [uid=N] [caps=CAP[,CAP]]}. */
    ProcessDecl process(Cursor c) {
        Token name = plainName(c, "a process name");
        if (name.isWord(ThreadBlock.KERNEL)) {
            throw c.error(name, "'kernel' is reserved for kernel activity");
        }
        defineOnce(c, "process", name, "process '" + name.text() + "' is declared twice");
        int uid = ProcessDecl.DEFAULT_UID;
        Set<ProcessDecl.Capability> caps = EnumSet.noneOf(ProcessDecl.Capability.class);
        Set<String> given = new LinkedHashSet<>();
        while (!c.atEnd()) {
            Token key = attribute(c, List.of("uid", "caps"), "process attribute", given);
            if (key.isWord("uid")) {
                Token n = c.expect(Kind.NUMBER, "a uid");
                if (n.sized() || n.number() > Integer.MAX_VALUE) {
                    throw c.error(n, "expected a uid from 0 to " + Integer.MAX_VALUE + ", got '" + n.text() + "'");
                }
                uid = (int) n.number();
            } else {
                caps = capabilities(c);
            }
        }
        return new ProcessDecl(name.position(), name.text(), uid, caps);
    }

    private static Set<ProcessDecl.Capability> capabilities(Cursor c) {
        List<String> words = Arrays.stream(ProcessDecl.Capability.values()).map(ProcessDecl.Capability::word).toList();
        Set<ProcessDecl.Capability> caps = EnumSet.noneOf(ProcessDecl.Capability.class);
        do {
            if (!caps.isEmpty()) {
                c.next();
            }
            Token cap = c.expect(Kind.NAME, "a capability (" + Suggest.oneOf(words) + ")");
            if (!words.contains(cap.text())) {
                throw c.error(cap, "unknown capability '" + cap.text() + "'" + Suggest.didYouMean(cap.text(), words));
            }
            if (!caps.add(ProcessDecl.Capability.valueOf(cap.text().toUpperCase(Locale.ROOT)))) {
                throw c.error(cap, "capability '" + cap.text() + "' is listed twice");
            }
        } while (c.at(Kind.COMMA));
        return caps;
    }

    /** {@code expect clean [when ...]} or {@code expect violation INV[|INV...] [when ...]}. */
    Verdict verdict(Cursor c) {
        Token first = c.first();
        if (c.peekIs(1, Kind.EQ) || c.peekIs(1, Kind.NE) || c.atWord("read")) {
            throw c.error(c.peek(), "expected 'clean' or 'violation' after 'expect' "
                    + "(an inline expectation belongs in a thread body)");
        }
        Token kind = c.expect(Kind.NAME, "'clean' or 'violation' after 'expect'");
        if (kind.isWord("clean")) {
            return new Verdict.Clean(first.position(), when(c));
        }
        if (!kind.isWord("violation")) {
            throw c.error(kind, "expected 'clean' or 'violation' after 'expect', got '" + kind.text() + "'"
                    + Suggest.didYouMean(kind.text(), List.of("clean", "violation")));
        }
        Set<InvariantKind> invariants = EnumSet.noneOf(InvariantKind.class);
        do {
            if (!invariants.isEmpty()) {
                c.next();
            }
            Token inv = c.expect(Kind.NAME, "an invariant name");
            InvariantKind invariant = InvariantKind.invariantNamed(inv.text()).orElseThrow(() -> c.error(inv,
                    "unknown invariant '" + inv.text() + "'" + Suggest.didYouMean(inv.text(),
                            Arrays.stream(InvariantKind.values()).map(InvariantKind::scenarioName).toList())));
            if (!invariants.add(invariant)) {
                throw c.error(inv, "invariant '" + inv.text() + "' is listed twice");
            }
        } while (c.at(Kind.PIPE));
        return new Verdict.Violation(first.position(), invariants, when(c));
    }

    /** {@code [when KEY=V[,KEY=V]]}; a comma before a plain value adds a value for the same key. */
    private static List<Verdict.Condition> when(Cursor c) {
        if (c.atEnd()) {
            return List.of();
        }
        if (!c.atWord("when")) {
            throw c.expected("'when' or the end of the line");
        }
        c.next();
        List<Verdict.Condition> conditions = new ArrayList<>();
        conditions.add(condition(c, conditions));
        while (c.at(Kind.COMMA)) {
            c.next();
            conditions.add(condition(c, conditions));
        }
        c.expectEnd();
        return conditions;
    }

    private static Verdict.Condition condition(Cursor c, List<Verdict.Condition> earlier) {
        Token key = c.expect(Kind.NAME, "KEY=VALUE after 'when'");
        DesignKey designKey = designKey(c, key);
        if (earlier.stream().anyMatch(cond -> cond.key() == designKey)) {
            throw c.error(key, "design key '" + key.text() + "' appears twice in 'when'");
        }
        c.expect(Kind.EQUALS, "'=' after '" + key.text() + "'");
        List<Token> values = new ArrayList<>(List.of(designValue(c, designKey)));
        while (c.at(Kind.COMMA) && !c.peekIs(2, Kind.EQUALS)) {
            c.next();
            values.add(designValue(c, designKey));
        }
        return new Verdict.Condition(designKey, values.stream().map(Token::text).toList(), key.position(),
                values.stream().map(Token::position).toList());
    }

    /** The key of a {@code KEY=VALUE} attribute, checked against {@code keys}, with the {@code =} read. */
    private static Token attribute(Cursor c, List<String> keys, String what, Set<String> given) {
        Token key = c.expect(Kind.NAME, "KEY=VALUE");
        if (!keys.contains(key.text())) {
            throw c.error(key, "unknown " + what + " '" + key.text() + "'" + Suggest.didYouMean(key.text(), keys));
        }
        if (!given.add(key.text())) {
            throw c.error(key, "'" + key.text() + "' is given twice");
        }
        c.expect(Kind.EQUALS, "'=' after '" + key.text() + "'");
        return key;
    }

    private static String word(Cursor c, List<String> words) {
        Token t = c.expect(Kind.NAME, Suggest.oneOf(words));
        if (!words.contains(t.text())) {
            throw c.error(t, "expected " + Suggest.oneOf(words) + ", got '" + t.text() + "'"
                    + Suggest.didYouMean(t.text(), words));
        }
        return t.text();
    }

    private static Token plainName(Cursor c, String what) {
        Token name = c.expect(Kind.NAME, what);
        if (!name.isPlainName()) {
            throw c.error(name, "expected " + what + ", got '" + name.text() + "' (a name has no '.')");
        }
        return name;
    }

    private void defineOnce(Cursor c, String namespace, Token name, String message) {
        OptionalInt first = scope.firstSeen(namespace, name.text(), name.line());
        if (first.isPresent()) {
            throw c.error(name, message + " (first at line " + first.getAsInt() + ")");
        }
    }
}
