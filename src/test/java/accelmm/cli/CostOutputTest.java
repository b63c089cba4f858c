package accelmm.cli;

import static accelmm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.CostSummary;
import accelmm.cli.Cli.Ran;
import accelmm.report.CostTable;
import accelmm.report.JsonReader;
import accelmm.sim.Cost;
import accelmm.sim.CostCounters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost table of {@code check}'s text, the {@code costs} of its JSON, and the demo's cost table. */
class CostOutputTest {

    private static final String RACE = "catalog/userptr-munmap-race";
    private static final String FORK = "catalog/uacce-dma-map-fork";

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> combinations(String json) {
        Map<String, Object> root = (Map<String, Object>) JsonReader.read(json);
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object s : (List<Object>) root.get("scenarios")) {
            for (Object c : (List<Object>) ((Map<String, Object>) s).get("combinations")) {
                all.add((Map<String, Object>) c);
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> costs(Map<String, Object> combination, String which) {
        return (Map<String, Object>) ((Map<String, Object>) combination.get("costs")).get(which);
    }

    @Test
    void check_text_showsACostTableAfterTheVerdictsWithALegend() {
        Ran r = run("check", "--width", "1000", RACE, "--executions", "1000");
        String out = r.out();

        int verdicts = out.indexOf("userptr=hmm-no-retry  violation");
        int table = out.indexOf("costs of the first execution");
        int counterexample = out.indexOf("userptr=hmm-no-retry: use-after-free");
        assertThat(verdicts).isPositive();
        assertThat(table).isGreaterThan(verdicts).isLessThan(counterexample);
        assertThat(out).containsPattern("\n    designs +sys +cpu-flt +dev-flt +notif +pin +unpin +pte +tlb\n")
                .containsPattern("\n    userptr=pin +10 +4 ")
                .contains("sys: system calls entered;", "pin: pages pinned;");
        // No doorbell and no copy in this scenario: their columns are left out, legend included.
        assertThat(out).doesNotContain("db:").doesNotContain("copy:");
    }

    @Test
    void check_text_cellWithARange_showsFirstThenLeastAndMost() {
        Ran r = run("check", RACE, "--executions", "300");

        // userptr=hmm's runs differ in CPU faults (the munmap can come before the store).
        assertThat(r.out()).containsPattern("\n    userptr=hmm +10 +\\d+ \\(\\d+\\.\\.\\d+\\) ");
    }

    @Test
    void costTable_combinationWithNoExecution_showsDashes() {
        CostTable table = CostTable.withRanges("designs");
        CostSummary ran = new CostSummary();
        CostCounters one = new CostCounters();
        one.count(Cost.SYSCALL, 3);
        ran.add(one, true);
        table.add(ran, "a=x");
        table.add(new CostSummary(), "a=y");

        assertThat(table.render("")).containsExactly("designs  sys", "a=x        3", "a=y        -",
                "sys: system calls entered");
    }

    @Test
    void costTable_combinationWithOnlyARunCutShort_marksItsRowAndExplainsTheMark() {
        CostTable table = CostTable.withRanges("designs");
        CostCounters toEnd = new CostCounters();
        toEnd.count(Cost.SYSCALL, 9);
        CostSummary ran = new CostSummary();
        ran.add(toEnd, true);
        CostCounters cut = new CostCounters();
        cut.count(Cost.SYSCALL, 4);
        CostSummary stopped = new CostSummary();
        stopped.add(cut, false);
        table.add(ran, "a=x");
        table.add(stopped, "a=y");

        List<String> lines = table.render("");
        assertThat(lines).startsWith("designs  sys", "a=x        9", "a=y *      4", "sys: system calls entered");
        assertThat(lines.get(4)).startsWith("*: no execution ran to its end; the counts are of the run that stopped"
                + " at the violation");
    }

    @Test
    void check_json_everyCounterInFirstMinAndMaxWithMinAtMostFirstAtMostMax() {
        Ran r = run("check", RACE, FORK, "--executions", "300", "--format", "json");
        List<String> names = Arrays.stream(Cost.values()).map(CostCounters::nameOf).toList();

        List<Map<String, Object>> combos = combinations(r.out());
        assertThat(combos).hasSize(11);
        for (Map<String, Object> c : combos) {
            Map<String, Object> first = costs(c, "first");
            Map<String, Object> min = costs(c, "min");
            Map<String, Object> max = costs(c, "max");
            for (Map<String, Object> m : List.of(first, min, max)) {
                assertThat(m.keySet()).as("%s", c.get("designs")).containsExactlyElementsOf(names);
            }
            for (String n : names) {
                assertThat((Long) min.get(n)).as("%s %s", c.get("designs"), n)
                        .isLessThanOrEqualTo((Long) first.get(n));
                assertThat((Long) first.get(n)).as("%s %s", c.get("designs"), n)
                        .isLessThanOrEqualTo((Long) max.get(n));
            }
        }
        assertThat(r.out()).contains("\"page_pinned\"", "\"notifier_invalidation\"", "\"device_pte_write\"");
    }

    @Test
    void check_json_pinNotifierFirstExecution_pinsTwiceWhatPinPins() {
        Ran r = run("check", FORK, "--executions", "50", "--format", "json");

        Map<String, Object> pin = null;
        Map<String, Object> notifier = null;
        for (Map<String, Object> c : combinations(r.out())) {
            if (c.get("designs").equals(Map.of("accel", "pin", "fork", "modern"))) {
                pin = costs(c, "first");
            } else if (c.get("designs").equals(Map.of("accel", "pin-notifier", "fork", "modern"))) {
                notifier = costs(c, "first");
            }
        }
        assertThat(pin).containsEntry("page_pinned", 2L);
        assertThat(notifier).containsEntry("page_pinned", 4L).containsEntry("notifier_invalidation", 7L);
    }

    @Test
    void check_text_violationInExecutionOne_marksTheCutShortRowAndExplainsIt() {
        Ran r = run("check", "--width", "1000", FORK, "--executions", "50");

        // pin + legacy breaks in execution 1, at the device's read, before the processes exit:
        // its 0 unpins are not what the design pays, and the row says so.
        assertThat(r.out()).containsPattern("\n    accel=pin fork=legacy \\* +9 +4 +0 +0 +2 +0 +2 +0 +1 +1\n")
                .containsPattern("\n    accel=pin fork=modern +9 +2 ")
                .contains("\n    *: no execution ran to its end; the counts are of the run that stopped at the violation"
                        + " (or the\n      step limit), before the rest of the scenario and the processes' teardown\n");
    }

    @Test
    void check_text_violationAfterCleanExecutions_rowOfTheCleanOnesUnmarked() {
        Ran r = run("check", RACE, "--executions", "2000");

        assertThat(r.out()).contains("userptr=hmm-no-retry  violation use-after-free")
                .containsPattern("\n    userptr=hmm-no-retry +10 ")
                .doesNotContain("*: no execution ran to its end");
    }

    @Test
    void check_json_violationInExecutionOne_ranToEndFalseOnlyThere() {
        Ran r = run("check", FORK, "--executions", "50", "--format", "json");

        for (Map<String, Object> c : combinations(r.out())) {
            boolean cut = c.get("designs").equals(Map.of("accel", "pin", "fork", "legacy"));
            @SuppressWarnings("unchecked")
            Map<String, Object> costs = (Map<String, Object>) c.get("costs");
            assertThat(costs).as("%s", c.get("designs")).containsEntry("ranToEnd", !cut);
            if (cut) {
                assertThat(costs(c, "first")).containsEntry("page_pinned", 2L).containsEntry("page_unpinned", 0L);
                assertThat(costs(c, "min")).isEqualTo(costs(c, "first"));
                assertThat(costs(c, "max")).isEqualTo(costs(c, "first"));
            }
        }
    }

    @Test
    void check_costsOfOneAndTwoJobs_areTheSame() {
        for (String strategy : List.of("dfs", "pct", "auto")) {
            String[] base = {"check", RACE, FORK, "--strategy", strategy, "--executions", "700", "--format", "json"};
            List<Object> one = new ArrayList<>();
            List<Object> two = new ArrayList<>();
            combinations(run(Cli.args(base, "--jobs", "1")).out()).forEach(c -> one.add(c.get("costs")));
            combinations(run(Cli.args(base, "--jobs", "2")).out()).forEach(c -> two.add(c.get("costs")));

            assertThat(one).as(strategy).hasSize(11);
            assertThat(two).as(strategy).isEqualTo(one);
        }
    }

    @Test
    void demo_costTable_firstExecutionOfEachCombinationSideBySide() {
        Ran r = run("demo", "--executions", "50", "--width", "1000");

        String out = r.out();
        assertThat(out).contains("Costs: counts per execution, of the first execution of each design combination");
        assertThat(out.indexOf("Costs: counts per execution")).isGreaterThan(out.indexOf("verdicts as expected"));
        assertThat(out).containsPattern("\nscenario +designs +sys +cpu-flt ")
                .containsPattern("\nuserptr-munmap-race +userptr=hmm +10 +4 +0 +2 +0 +0 +16 +3 ")
                .containsPattern("\n +userptr=pin +10 +4 +0 +0 +4 +4 +16 +2 ")
                .containsPattern("\nuacce-dma-map-fork +accel=sva fork=modern +9 +5 +1 ")
                .containsPattern("\n +accel=pin fork=legacy \\* +9 +4 ")
                .contains("db: doorbell writes;", "\n*: no execution ran to its end;");
    }
}
