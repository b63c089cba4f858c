package accelmm.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import accelmm.check.ModelBugException;
import accelmm.scenario.DesignKey;
import accelmm.scenario.Parser;
import accelmm.scenario.ScenarioModel;
import accelmm.scenario.ScenarioModelBug;
import accelmm.sim.Schedule;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replay lines as copied into a POSIX shell: plain words as they are, every other word quoted. */
class ReplayLineTest {

    @Test
    void command_plainFileAndDesigns_onlyTheScheduleIsQuoted() {
        Map<DesignKey, String> combination = new LinkedHashMap<>();
        combination.put(DesignKey.USERPTR, "hmm-no-retry");
        combination.put(DesignKey.FORK, "legacy");

        assertThat(ReplayLine.command("examples/first.scn", combination, "3fa9c1:0*18.1*5.2")).isEqualTo(
                "bin/accelmm replay examples/first.scn --design userptr=hmm-no-retry --design fork=legacy"
                        + " --schedule '3fa9c1:0*18.1*5.2'");
    }

    @Test
    void command_fileNameWithShellSyntax_isOneQuotedWord() {
        assertThat(ReplayLine.command("race; rm -rf x.scn", Map.of(), "3fa9c1:0.1"))
                .isEqualTo("bin/accelmm replay 'race; rm -rf x.scn' --schedule 3fa9c1:0.1");
        assertThat(ReplayLine.command("it's $(here).scn", Map.of(), "-"))
                .isEqualTo("bin/accelmm replay 'it'\\''s $(here).scn' --schedule -");
    }

    @Test
    void reproduce_modelBugOfOneExecution_isTheReplayCommandOfItsSchedule() {
        ScenarioModel model = new ScenarioModel(Parser.parse("odd name.scn", "scenario \"x\"\nprocess A\n"),
                Map.of(DesignKey.FORK, "legacy"));
        ScenarioModelBug bug = bugOf(model, Schedule.of(0, 0, 1));

        assertThat(ReplayLine.reproduce(bug)).isEqualTo("replay: bin/accelmm replay 'odd name.scn' --design fork=legacy"
                + " --schedule '" + model.fingerprint() + ":0*2.1'");
    }

    @Test
    void reproduce_modelBugOutsideAnExecution_namesTheScenarioAndDesign() {
        ScenarioModel model = new ScenarioModel(Parser.parse("x.scn", "scenario \"x\"\nprocess A\n"), Map.of());

        assertThat(ReplayLine.reproduce(bugOf(model, null)))
                .isEqualTo("met while checking: x.scn (not in one execution: no schedule replays it)");
    }

    private static ScenarioModelBug bugOf(ScenarioModel model, Schedule schedule) {
        return catchThrowableOfType(ScenarioModelBug.class, () -> ScenarioModelBug.during(model, () -> {
            throw new ModelBugException("model bug in A.main at step 3: boom", null, schedule);
        }));
    }

    @Test
    void quote_wordsShellsExpand_areQuoted() {
        for (String word : new String[] {"", "a b", "~/x", "=ls", "*", "a?b", "{a,b}", "x|y", "a\"b", "$HOME", "`id`",
            "a\\b", "new\nline", "tab\tbed", "!1"}) {
            assertThat(ShellWords.quote(word)).as(word).startsWith("'").endsWith("'");
        }
        assertThat(ShellWords.quote("catalog/userptr-munmap-race.scn")).isEqualTo("catalog/userptr-munmap-race.scn");
    }
}
