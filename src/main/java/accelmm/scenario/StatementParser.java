package accelmm.scenario;

import accelmm.mm.Errno;
import accelmm.scenario.Token.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses one line of a thread body: {@code [NAME =] OPERATION ARGS... [=> OUTCOME]} or an
 * inline expectation, and checks what one statement can: the operation's arguments, that it
 * may run in this kind of thread, that a name is bound once per process.
 */
final class StatementParser {

    /** Words that start outcomes rather than name a binding: {@code ok}, {@code error}, {@code EFAULT}. */
    private static final Pattern ERRNO_LIKE = Pattern.compile("E[A-Z0-9]+");

    private final Source source;
    private final Scope scope;

    StatementParser(Source source, Scope scope) {
        this.source = source;
        this.scope = scope;
    }

    /** The statement on {@code line}, in a thread of {@code process} ({@code kernel} for kernel activity). */
    Statement statement(Line line, String process) {
        Cursor c = new Cursor(source, line);
        Token binding = null;
        if (c.at(Kind.NAME) && c.peekIs(1, Kind.EQUALS)) {
            binding = c.next();
            c.next();
        }
        Token op = c.expect(Kind.NAME, "an operation");
        if (op.isWord("expect")) {
            if (binding != null) {
                throw c.error(binding, "an expectation binds nothing");
            }
            return expectation(c, process);
        }
        List<Operation> candidates = Operation.named(op.text());
        if (candidates.isEmpty()) {
            throw c.error(op, "unknown operation '" + op.text() + "'" + Suggest.didYouMean(op.text(), Operation.words()));
        }
        checkContext(c, op, candidates.get(0).context(), process);
        return call(c, binding, op, process);
    }

    private Statement call(Cursor c, Token binding, Token op, String process) {
        List<CallBinder.RawArg> args = rawArgs(c);
        Token end = c.previous();
        Values values = new Values(c, scope, process);
        CallBinder.Bound bound = new CallBinder(c, values).bind(op, args, end);
        Outcomes expected = Outcomes.SUCCESS;
        if (c.at(Kind.ARROW)) {
            c.next();
            expected = outcomes(c);
        }
        c.expectEnd();
        if (binding != null) {
            bindName(c, binding, bound.operation(), process);
        }
        afterCall(c, bound, args, process);
        Token first = c.first();
        return new Statement.Call(first.position(), op.position(), c.lineText(),
                Optional.ofNullable(binding).map(Token::text), bound.operation(), bound.args(), bound.flags(), expected,
                values.uses());
    }

    private static List<CallBinder.RawArg> rawArgs(Cursor c) {
        List<CallBinder.RawArg> args = new ArrayList<>();
        while (!c.atEnd() && !c.at(Kind.ARROW)) {
            if (c.at(Kind.NAME) && c.peekIs(1, Kind.EQUALS)) {
                Token key = c.next();
                c.next();
                args.add(new CallBinder.RawArg(key, TermParser.value(c)));
            } else {
                args.add(new CallBinder.RawArg(null, TermParser.term(c)));
            }
        }
        return args;
    }

    private static void checkContext(Cursor c, Token op, Operation.Context context, String process) {
        boolean kernel = process.equals(ThreadBlock.KERNEL);
        if (context == Operation.Context.KERNEL && !kernel) {
            throw c.error(op, "'" + op.text() + "' is kernel activity: only allowed in a 'thread kernel.NAME:' block");
        }
        if (context == Operation.Context.PROCESS && kernel) {
            throw c.error(op, "'" + op.text() + "' needs a process: not allowed in a kernel thread");
        }
    }

    private void bindName(Cursor c, Token binding, Operation op, String process) {
        if (!op.returnsValue()) {
            throw c.error(binding, "'" + op.signature().title() + "' returns nothing to bind");
        }
        if (!binding.isPlainName()) {
            throw c.error(binding, "cannot bind '" + binding.text() + "': a name is bound without a process prefix");
        }
        bind(c, binding, process);
    }

    private void bind(Cursor c, Token name, String process) {
        OptionalInt first = scope.firstSeen("binding:" + process, name.text(), name.line());
        if (first.isPresent()) {
            throw c.error(name, "name '" + name.text() + "' is bound twice (first at line " + first.getAsInt() + ")");
        }
    }

    /** What {@code recv NAME} binds, what {@code fork CHILD} creates, which events are reserved. */
    private void afterCall(Cursor c, CallBinder.Bound bound, List<CallBinder.RawArg> args, String process) {
        Operation op = bound.operation();
        if (op == Operation.SIGNAL) {
            Token event = args.get(0).value().first();
            String[] parts = event.text().split("\\.");
            if (parts.length == 2 && parts[1].equals("exit") && scope.isProcess(parts[0])) {
                throw c.error(event, "'" + event.text() + "' is signalled by the model when " + parts[0] + " exits");
            }
        } else if (op == Operation.RECV) {
            bind(c, args.get(0).value().first(), process);
        } else if (op == Operation.FORK) {
            Token child = args.get(0).value().first();
            OptionalInt declared = scope.declarationLine(child.text());
            if (declared.isPresent()) {
                throw c.error(child, "process '" + child.text() + "' is declared at line " + declared.getAsInt()
                        + "; fork creates a new process");
            }
            OptionalInt first = scope.firstSeen("fork", child.text(), child.line());
            if (first.isPresent()) {
                throw c.error(child, "process '" + child.text() + "' is forked twice (first at line "
                        + first.getAsInt() + ")");
            }
        }
    }

    /** {@code expect X == VALUE}, {@code expect X != VALUE}, {@code expect read ADDR COUNT == DATA}. */
    private Statement expectation(Cursor c, String process) {
        Values values = new Values(c, scope, process);
        Token first = c.first();
        if (c.atWord("read") && !c.peekIs(1, Kind.EQ) && !c.peekIs(1, Kind.NE)) {
            Token read = c.next();
            if (process.equals(ThreadBlock.KERNEL)) {
                throw c.error(read, "'expect read' needs a process: not allowed in a kernel thread");
            }
            Value.Scalar address = values.address(TermParser.term(c));
            long size = values.byteCount(TermParser.term(c));
            boolean equal = comparison(c);
            Value.Data data = values.data(TermParser.term(c));
            c.expectEnd();
            return new Statement.ExpectRead(first.position(), c.lineText(), address, size, equal, data, values.uses());
        }
        Value.Name subject = values.subject(TermParser.term(c));
        boolean equal = comparison(c);
        Value expected = atOutcome(c) ? outcomes(c) : values.expected(TermParser.term(c), subject);
        c.expectEnd();
        return new Statement.ExpectValue(first.position(), c.lineText(), subject, equal, expected, values.uses());
    }

    private static boolean comparison(Cursor c) {
        if (!c.at(Kind.EQ) && !c.at(Kind.NE)) {
            throw c.expected("'==' or '!='");
        }
        return c.next().is(Kind.EQ);
    }

    private static boolean atOutcome(Cursor c) {
        Token t = c.peek();
        return t != null && t.isPlainName()
                && (t.isWord("ok") || t.isWord("error") || ERRNO_LIKE.matcher(t.text()).matches());
    }

    /** {@code ok|EFAULT|...}: ok, error or errno names joined by {@code |}. */
    static Outcomes outcomes(Cursor c) {
        boolean success = false;
        boolean anyError = false;
        Set<Errno> errnos = EnumSet.noneOf(Errno.class);
        Set<String> seen = new LinkedHashSet<>();
        do {
            if (!seen.isEmpty()) {
                c.next();
            }
            Token t = c.expect(Kind.NAME, "an outcome (ok, error or an errno name)");
            if (!seen.add(t.text())) {
                throw c.error(t, "outcome '" + t.text() + "' is listed twice");
            }
            if (t.isWord("ok")) {
                success = true;
            } else if (t.isWord("error")) {
                anyError = true;
            } else {
                errnos.add(errno(c, t));
            }
        } while (c.at(Kind.PIPE));
        return new Outcomes(success, anyError, errnos);
    }

    private static Errno errno(Cursor c, Token t) {
        Errno errno = Errno.named(t.text());
        if (errno != null) {
            return errno;
        }
        List<String> names = new ArrayList<>(List.of("ok", "error"));
        Arrays.stream(Errno.values()).map(Errno::name).forEach(names::add);
        if (LinuxErrno.isLinuxErrno(t.text())) {
            throw c.error(t, "errno '" + t.text() + "' is never returned by the model");
        }
        String what = ERRNO_LIKE.matcher(t.text()).matches() ? "unknown errno '" + t.text() + "'"
                : "expected ok, error or an errno name, got '" + t.text() + "'";
        throw c.error(t, what + Suggest.didYouMean(t.text(), names));
    }
}
