package accelmm.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The checks a parsed scenario passes before it runs, beyond what the parser checks line by
 * line: that the model implements everything it uses ({@link ModelCoverage}), that every name it
 * uses is bound somewhere ({@link NameChecks}), and — where its verdicts are judged — that its
 * {@code expect} lines can hold ({@link VerdictChecks}). Unlike the parser, which stops at its
 * first problem, these report every problem they find, in file order, in one {@link
 * ScenarioError}.
 */
final class LoadChecks {

    private static final Comparator<LoadProblem> FILE_ORDER = Comparator
            .comparingInt((LoadProblem p) -> p.at().line()).thenComparingInt(p -> p.at().column());

    /** What the caller judges of the scenario, and so which checks it needs. */
    enum Judged {
        /** Its {@code expect} lines, against the design combinations it runs: every check. */
        VERDICTS,
        /** One execution ({@code run}, {@code replay}): every check but the {@code expect} lines'. */
        EXECUTION
    }

    private LoadChecks() {
    }

    /** @throws ScenarioError with every problem found, in file order */
    static void check(Parser.Parsed parsed, Judged judged) {
        Scenario scenario = parsed.scenario();
        List<LoadProblem> problems = new ArrayList<>();
        problems.addAll(ModelCoverage.problems(scenario));
        problems.addAll(NameChecks.problems(scenario, parsed.scope()));
        if (judged == Judged.VERDICTS) {
            problems.addAll(VerdictChecks.problems(scenario));
        }
        if (problems.isEmpty()) {
            return;
        }
        throw new ScenarioError(problems.stream().sorted(FILE_ORDER)
                .map(p -> parsed.source().problem(p.at().line(), p.at().column(), p.message())).toList());
    }
}
