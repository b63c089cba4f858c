package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@code expect} lines checked when a scenario is loaded for running: each {@code when} matches
 * a combination the scenario runs, and no combination is expected both clean and broken.
 */
class VerdictChecksTest {

    private static final String BODY = """
            process A

            thread A.main:
              p = mmap 4K
            """;

    @Test
    void parse_whenValueTheDesignLineDoesNotRun_refusedAtTheCondition() {
        assertThatThrownBy(() -> parse("""
                scenario "pin is not run"
                design userptr=hmm,hmm-no-retry
                """ + BODY + """
                expect clean when userptr=pin
                expect violation use-after-free when userptr=hmm-no-retry
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:7:27: 'when userptr=pin' matches no design combination: "
                        + "the scenario runs userptr=hmm,hmm-no-retry (design line 2)");
    }

    @Test
    void parse_whenNonDefaultValueWithoutDesignLine_refused() {
        assertThatThrownBy(() -> parse("""
                scenario "fork=legacy is not run"
                """ + BODY + """
                expect violation deadlock when fork=legacy
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:6:37: 'when fork=legacy' matches no design combination: "
                        + "without a 'design fork=' line only the default, fork=modern, runs");
    }

    @Test
    void parse_whenDefaultValueWithoutDesignLine_accepted() {
        Scenario s = parse("""
                scenario "the default runs"
                """ + BODY + """
                expect clean when fork=modern
                """);

        assertThat(s.verdicts()).hasSize(1);
    }

    @Test
    void parse_whenWithOneValueThatNeverRuns_refusedAtThatValue() {
        // Some combination has hmm-no-retry, none has pin: the line checks what it says about
        // hmm-no-retry and nothing of what it says about pin.
        assertThatThrownBy(() -> parse("""
                scenario "pin is not run, hmm-no-retry is"
                design userptr=hmm,hmm-no-retry
                """ + BODY + """
                expect clean when userptr=hmm
                expect violation use-after-free when userptr=hmm-no-retry,pin
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:8:59: 'pin' of 'when userptr=hmm-no-retry,pin' matches no design combination:"
                        + " the scenario runs userptr=hmm,hmm-no-retry (design line 2)");
    }

    @Test
    void parse_whenWithEveryValueRun_accepted() {
        Scenario s = parse("""
                scenario "both values run"
                design userptr=hmm,pin
                """ + BODY + """
                expect clean when userptr=hmm,pin
                """);

        assertThat(s.verdicts()).hasSize(1);
    }

    @Test
    void parse_cleanAndViolationForOneCombination_refusedNamingTheOtherLineAndTheCombination() {
        assertThatThrownBy(() -> parse("""
                scenario "clean and broken"
                design userptr=*
                design fork=*
                """ + BODY + """
                expect clean when fork=modern
                expect violation use-after-free when userptr=hmm-no-retry
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:9:1: 'expect violation use-after-free' contradicts 'expect clean' at line 8 "
                        + "(both apply to userptr=hmm-no-retry fork=modern): a combination is either clean or breaks an"
                        + " invariant");
    }

    @Test
    void parse_unconditionalCleanAndViolation_refusedForTheDefaultDesign() {
        assertThatThrownBy(() -> parse("""
                scenario "both everywhere"
                """ + BODY + """
                expect violation deadlock
                expect clean
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:7:1: 'expect clean' contradicts 'expect violation deadlock' at line 6 "
                        + "(both apply to the default design): a combination is either clean or breaks an invariant");
    }

    @Test
    void parse_contradictionOnSeveralCombinations_countsTheOthers() {
        assertThatThrownBy(() -> parse("""
                scenario "clean and broken thrice"
                design userptr=*
                """ + BODY + """
                expect clean
                expect violation leak
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessageContaining("(both apply to userptr=hmm and 2 more)");
    }

    @Test
    void parse_lineContradictingSeveralEarlierLines_reportedOnceNamingEachOfThem() {
        assertThatThrownBy(() -> parse("""
                scenario "two clean lines, two violation lines"
                design userptr=*
                """ + BODY + """
                expect clean
                expect clean when userptr=hmm
                expect violation leak
                expect violation deadlock when userptr=pin
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> assertThat(e.problems())
                        .extracting(ScenarioError.Problem::message).containsExactly(
                                "inline.scn:9:1: 'expect violation leak' contradicts 'expect clean' at line 7 (both"
                                        + " apply to userptr=hmm and 2 more) and 'expect clean' at line 8 (both apply"
                                        + " to userptr=hmm): a combination is either clean or breaks an invariant",
                                "inline.scn:10:1: 'expect violation deadlock' contradicts 'expect clean' at line 7"
                                        + " (both apply to userptr=pin): a combination is either clean or breaks an"
                                        + " invariant"));
    }

    @Test
    void parse_severalViolationLinesForOneCombination_accepted() {
        // Their invariants are united, as ScenarioChecker.expected does.
        Scenario s = parse("""
                scenario "two violation lines"
                design userptr=*
                """ + BODY + """
                expect violation use-after-free
                expect violation leak when userptr=pin
                """);

        assertThat(ScenarioChecker.expected(s, java.util.Map.of(DesignKey.USERPTR, "pin")).toString())
                .isEqualTo("violation use-after-free|leak");
    }

    @Test
    void parse_deadConditionAndContradiction_bothReportedInFileOrder() {
        assertThatThrownBy(() -> parse("""
                scenario "two problems"
                design userptr=hmm
                """ + BODY + """
                expect clean
                expect violation leak when userptr=pin
                expect violation deadlock
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> assertThat(e.problems())
                        .extracting(ScenarioError.Problem::message).containsExactly(
                                "inline.scn:8:36: 'when userptr=pin' matches no design combination: "
                                        + "the scenario runs userptr=hmm (design line 2)",
                                "inline.scn:9:1: 'expect violation deadlock' contradicts 'expect clean' at line 7 "
                                        + "(both apply to userptr=hmm): a combination is either clean or breaks an"
                                        + " invariant"));
    }
}
