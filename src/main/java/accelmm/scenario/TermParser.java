package accelmm.scenario;

import accelmm.scenario.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/** Reads {@link Term}s from a {@link Cursor}. */
final class TermParser {

    private TermParser() {
    }

    /** A key's value: a term, or several separated by commas. */
    static Term value(Cursor c) {
        Term first = term(c);
        if (!c.at(Kind.COMMA)) {
            return first;
        }
        List<Term> items = new ArrayList<>(List.of(first));
        while (c.at(Kind.COMMA)) {
            c.next();
            items.add(term(c));
        }
        return new Term.Items(List.copyOf(items));
    }

    /** One term. */
    static Term term(Cursor c) {
        if (c.atEnd()) {
            throw c.expected("a value");
        }
        Token t = c.peek();
        return switch (t.kind()) {
            case NUMBER -> number(c);
            case STRING -> new Term.Str(c.next());
            case NAME -> t.isWord("secret") && c.peekIs(1, Kind.STRING) ? secret(c) : path(c);
            case MINUS -> negative(c);
            default -> throw c.error(t, "unexpected '" + t.text() + "'");
        };
    }

    /**
     * Whether the {@code -} after {@code name} starts the next argument, a negative number
     * ({@code gem_close -1}): it is apart from the name and right before a number. Written
     * otherwise ({@code p-4K}, {@code p - 4K}) it is address arithmetic.
     */
    private static boolean startsNegative(Cursor c, Token name) {
        Token minus = c.peek();
        return minus.is(Kind.MINUS) && minus.column() != name.endColumn() && c.peekIs(1, Kind.NUMBER)
                && c.peek(1).column() == minus.endColumn();
    }

    /** {@code -1}: the sign written right before the number. */
    private static Term negative(Cursor c) {
        Token minus = c.next();
        Token n = c.atEnd() ? null : c.peek();
        if (n == null || !n.is(Kind.NUMBER) || n.line() != minus.line() || n.column() != minus.endColumn()) {
            throw c.error(minus, "unexpected '-'");
        }
        return new Term.Negative(minus, c.next());
    }

    private static Term number(Cursor c) {
        Token n = c.next();
        if (!c.at(Kind.STAR)) {
            return new Term.Number(n);
        }
        c.next();
        return new Term.Repeat(n, c.expect(Kind.NUMBER, "a repeat count after '*'"));
    }

    private static Term path(Cursor c) {
        Token name = c.next();
        if (!c.at(Kind.PLUS) && !c.at(Kind.MINUS) || startsNegative(c, name)) {
            return new Term.Path(name, null, null);
        }
        Token sign = c.next();
        Token offset = c.expect(Kind.NUMBER, "a number after '" + sign.text() + "'");
        return new Term.Path(name, sign, offset);
    }

    /** {@code secret "S"}, then {@code size=N} and {@code allow P1,P2} in either order. */
    private static Term secret(Cursor c) {
        Token keyword = c.next();
        Token name = c.next();
        Token size = null;
        List<Token> allow = null;
        while (true) {
            if (c.atWord("size") && c.peekIs(1, Kind.EQUALS)) {
                if (size != null) {
                    throw c.error(c.peek(), "'size' is given twice");
                }
                c.next();
                c.next();
                size = c.expect(Kind.NUMBER, "the secret's size");
            } else if (c.atWord("allow")) {
                if (allow != null) {
                    throw c.error(c.peek(), "'allow' is given twice");
                }
                c.next();
                allow = names(c);
            } else {
                break;
            }
        }
        return new Term.Secret(keyword, name, size, allow == null ? List.of() : allow, c.previous());
    }

    private static List<Token> names(Cursor c) {
        List<Token> names = new ArrayList<>();
        names.add(c.expect(Kind.NAME, "a process name after 'allow'"));
        while (c.at(Kind.COMMA)) {
            c.next();
            names.add(c.expect(Kind.NAME, "a process name after ','"));
        }
        return List.copyOf(names);
    }
}
