package accelmm.scenario;

import accelmm.scenario.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The recursive-descent parser of scenario files: {@link #parse} turns text into a
 * {@link Scenario} or throws the first {@link ScenarioError}, in file order.
 *
 * <p>Design note. The language is line-oriented and only {@code thread} lines open a block, so
 * parsing goes in three steps: the {@link Lexer} turns lines into tokens (keeping a lexical
 * error on its line); lines are grouped into top-level {@link Block}s; a {@link Scope} scan
 * collects processes, devices and bound names, so that order of declaration does not matter;
 * then each block is parsed in file order — declarations here and in
 * {@link DeclarationParser}, thread bodies by {@link StatementParser}, whose arguments are
 * checked against {@link Operation}'s table. Whether the model implements an operation is left
 * to the interpreter.
 */
public final class Parser {

    private static final List<String> TOP_LEVEL = List.of("scenario", "design", "device", "process", "thread",
            "expect");

    private final Source source;
    private final Scope scope;
    private final List<Block> blocks;
    private final DeclarationParser declarations;
    private final StatementParser statements;

    private String title;
    private final List<DesignLine> designs = new ArrayList<>();
    private final List<Device> devices = new ArrayList<>();
    private final List<ProcessDecl> processes = new ArrayList<>();
    private final List<ThreadBlock> threads = new ArrayList<>();
    private final List<Verdict> verdicts = new ArrayList<>();

    private Parser(Source source) {
        this.source = source;
        this.blocks = Block.group(Lexer.lex(source));
        this.scope = Scope.scan(blocks);
        this.declarations = new DeclarationParser(scope);
        this.statements = new StatementParser(source, scope);
    }

    /**
     * A parsed file with its source and what the parser learnt of its names: what the
     * {@link LoadChecks} read.
     */
    record Parsed(Scenario scenario, Source source, Scope scope) {
    }

    /**
     * Parses the scenario in {@code text}.
     *
     * @param fileName the name errors carry, e.g. {@code examples/race.scn}
     * @throws ScenarioError at the first problem; nothing else escapes
     */
    public static Scenario parse(String fileName, String text) {
        return parse(Source.of(fileName, text)).scenario();
    }

    /** Parses {@code source}, keeping its {@link Scope}. */
    static Parsed parse(Source source) {
        Parser parser = new Parser(source);
        return new Parsed(parser.file(), source, parser.scope);
    }

    private Scenario file() {
        Optional<Integer> titleLine = Optional.empty();
        for (Block block : blocks) {
            Line header = block.header();
            header.throwIfError();
            if (header.indent() > 0) {
                throw source.error(header.number(), header.indent() + 1,
                        "unexpected indentation (only a thread's body is indented)");
            }
            Cursor c = new Cursor(source, header);
            Token keyword = c.next();
            if (keyword.isWord("scenario") && titleLine.isPresent()) {
                throw c.error(keyword, "the scenario line is given twice (first at line " + titleLine.get() + ")");
            }
            if (keyword.isWord("scenario")) {
                titleLine = Optional.of(keyword.line());
            }
            topLevel(c, keyword, block);
        }
        if (title == null) {
            throw source.error(1, 1, "missing 'scenario \"TITLE\"' line");
        }
        return new Scenario(source.fileName(), title, designs, devices, processes, threads, verdicts,
                source.fingerprint());
    }

    private void topLevel(Cursor c, Token keyword, Block block) {
        switch (keyword.is(Kind.NAME) ? keyword.text() : "") {
            case "scenario" -> title = declarations.title(c);
            case "design" -> designs.add(declarations.design(c));
            case "device" -> devices.add(declarations.device(c));
            case "process" -> processes.add(declarations.process(c));
            case "thread" -> threads.add(thread(c, block));
            case "expect" -> verdicts.add(declarations.verdict(c));
            default -> throw unknownTopLevel(c, keyword);
        }
    }

    private static ScenarioError unknownTopLevel(Cursor c, Token keyword) {
        if (!Operation.named(keyword.text()).isEmpty() || c.peekIs(0, Kind.EQUALS)) {
            return c.error(keyword, "a statement belongs in a thread body: indent it under a 'thread PROC.NAME:' line");
        }
        return c.error(keyword, "expected scenario, design, device, process, thread or expect, got '"
                + keyword.text() + "'" + Suggest.didYouMean(keyword.text(), TOP_LEVEL));
    }

    /** {@code thread PROC.NAME [after EVENT]:} and its indented body. */
    private ThreadBlock thread(Cursor c, Block block) {
        Token name = c.expect(Kind.NAME, "PROC.NAME after 'thread'");
        String[] parts = name.text().split("\\.");
        if (parts.length != 2) {
            throw c.error(name, "expected PROC.NAME after 'thread', got '" + name.text() + "'");
        }
        if (!scope.isProcess(parts[0])) {
            throw c.error(name, "unknown process '" + parts[0] + "' (declare it with 'process " + parts[0]
                    + "' or create it with 'fork " + parts[0] + "')");
        }
        OptionalInt first = scope.firstSeen("thread", name.text(), name.line());
        if (first.isPresent()) {
            throw c.error(name, "thread '" + name.text() + "' is declared twice (first at line " + first.getAsInt() + ")");
        }
        Optional<String> after = Optional.empty();
        if (c.atWord("after")) {
            c.next();
            Token event = c.expect(Kind.NAME, "an event name after 'after'");
            after = Optional.of(event.text());
        }
        Token colon = c.expect(Kind.COLON, "':' at the end of the thread line");
        c.expectEnd();
        List<Statement> body = body(block, colon, name.text(), parts[0]);
        return new ThreadBlock(name.position(), parts[0], parts[1], after, body);
    }

    private List<Statement> body(Block block, Token colon, String threadName, String process) {
        if (block.body().isEmpty()) {
            throw source.errorAfter(colon, "expected an indented body after 'thread " + threadName + ":'");
        }
        int indent = -1;
        List<Statement> body = new ArrayList<>();
        for (Line line : block.body()) {
            line.throwIfError();
            if (indent < 0) {
                indent = line.indent();
            }
            if (line.indent() != indent) {
                throw source.error(line.number(), line.indent() + 1,
                        "bad indentation: expected " + spaces(indent) + ", got " + line.indent());
            }
            body.add(statements.statement(line, process));
        }
        return body;
    }

    private static String spaces(int n) {
        return n == 1 ? "1 space" : n + " spaces";
    }
}
