package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Exploration;
import accelmm.check.Explorer;
import accelmm.check.InvariantKind;
import accelmm.check.Model;
import accelmm.check.RunResult;
import accelmm.check.Strategy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code expect violation expectation} holds when any statement or inline expectation of the
 * scenario fails, so a catalog scenario that expects it must fail where it says: at the one
 * expectation that states the kernel's behaviour, in every interleaving, and nowhere else.
 */
class CatalogExpectationTest {

    private static final String PARENT_WRITE = "pinned-userptr-fork-parent-write";
    private static final Map<DesignKey, String> LEGACY = Map.of(DesignKey.USERPTR, "pin", DesignKey.FORK, "legacy");

    /** {@code FILE:LINE: } of the statement of {@code entry} that starts with {@code statement}. */
    private static String where(Catalog.Entry entry, String statement) {
        List<String> lines = entry.text().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith(statement)) {
                return entry.fileName() + ":" + (i + 1) + ": ";
            }
        }
        throw new AssertionError(statement + " is not in " + entry.fileName());
    }

    @Test
    void pinnedUserptrForkParentWrite_legacy_reportNamesTheExpectationOfTheParentsWrite() {
        Catalog.Entry entry = Catalog.find(PARENT_WRITE);
        List<ScenarioChecker.CombinationResult> results =
                ScenarioChecker.check(entry.scenario(), new Strategy.Auto(1, 2), Budget.DEFAULT);

        ScenarioChecker.CombinationResult legacy = results.stream()
                .filter(r -> r.combination().equals(LEGACY)).findFirst().orElseThrow();
        assertThat(legacy.holds()).isTrue();
        assertThat(legacy.counterexample().violation().invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(legacy.counterexample().violation().message()).startsWith(where(entry, "expect read d 12")
                + "`expect read d 12 == \"parent wrote\"` does not hold: read \"before fork\\x00\"");
    }

    @Test
    void pinnedUserptrForkParentWrite_legacy_noOtherStatementFailsInAnyInterleaving() {
        // Every interleaving, with the intended failure counted as clean: a complete search that
        // finds nothing shows that no other statement or expectation can fail under legacy.
        Catalog.Entry entry = Catalog.find(PARENT_WRITE);
        ScenarioModel model = new ScenarioModel(entry.scenario(), LEGACY);
        String intended = where(entry, "expect read d 12");
        Model others = (choices, trace) -> {
            RunResult r = model.execute(choices, trace);
            boolean theIntendedOne = r.violated() && r.violation().invariant() == InvariantKind.EXPECTATION
                    && r.violation().message().startsWith(intended);
            return theIntendedOne ? r.withViolation(null) : r;
        };

        Exploration e = new Explorer().explore(others, new Strategy.Dfs(64), new Budget(200_000, null));

        assertThat(e.violated()).as(() -> String.valueOf(e.firstViolation().violation())).isFalse();
        assertThat(e.complete()).isTrue();
    }
}
