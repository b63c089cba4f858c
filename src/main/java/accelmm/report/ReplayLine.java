package accelmm.report;

import accelmm.scenario.DesignKey;
import accelmm.scenario.ScenarioModelBug;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command lines printed for reproducing an execution, each word quoted for a POSIX shell,
 * on one line: a newline or tab in a file name is written as its visible escape (the pasted
 * command then names no file, rather than the printed line ending early).
 */
public final class ReplayLine {

    private ReplayLine() {
    }

    /** {@code bin/accelmm replay FILE --design K=V ... --schedule TOKEN}. */
    public static String command(String path, Map<DesignKey, String> combination, String token) {
        List<String> words = scenarioWords(path, combination);
        words.add("--schedule");
        words.add(token);
        return TerminalText.line(ShellWords.join(words));
    }

    /**
     * What reproduces a model bug: {@code replay: COMMAND} when it was met by one execution,
     * else the scenario and design it was met under.
     */
    public static String reproduce(ScenarioModelBug bug) {
        if (bug.token().isPresent()) {
            return "replay: " + command(bug.fileName(), bug.combination(), bug.token().get());
        }
        List<String> words = scenarioWords(bug.fileName(), bug.combination());
        return "met while checking: " + TerminalText.line(ShellWords.join(words.subList(2, words.size())))
                + " (not in one execution: no schedule replays it)";
    }

    private static List<String> scenarioWords(String path, Map<DesignKey, String> combination) {
        List<String> words = new ArrayList<>(List.of("bin/accelmm", "replay", path));
        combination.forEach((k, v) -> {
            words.add("--design");
            words.add(k.word() + "=" + v);
        });
        return words;
    }
}
