package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.DfsModels.Kind;
import accelmm.check.DfsModels.Op;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A DPOR search cut by its budget anywhere gives the counts of its first executions: a task
 * requested late may sort before one that was first when it ran, so every task keeps its counts
 * one by one (a search that trusted "first" once failed with "steps of 15 executions, 0 recorded").
 */
class DfsBudgetCutTest {

    @Test
    void dpor_everyBudget_cutsAtTheBudgetWithTheStepsOfItsExecutions() {
        List<List<Op>> actors = List.of(
                List.of(new Op(Kind.WRITE, 0), new Op(Kind.READ, 1), new Op(Kind.WRITE, 1)),
                List.of(new Op(Kind.READ, 0), new Op(Kind.WRITE, 1), new Op(Kind.READ, 0)),
                List.of(new Op(Kind.WRITE, 0), new Op(Kind.WRITE, 1)));
        Model model = DfsModels.ops(actors, 2, true, new TreeSet<>(), null);
        for (int bound : new int[] {2, Strategy.Dfs.UNBOUNDED}) {
            Exploration whole = new DfsSearch(model, new Strategy.Dfs(bound), 2).explore(new Budget(1_000_000, null));
            assertThat(whole.complete()).isTrue();
            for (long budget = 1; budget <= Math.min(whole.executions(), 40); budget++) {
                for (int jobs : new int[] {1, 2}) {
                    Exploration cut = new DfsSearch(model, new Strategy.Dfs(bound), 2)
                            .explore(new Budget(budget, null).withJobs(jobs));
                    assertThat(cut.executions()).as("bound %d budget %d jobs %d", bound, budget, jobs).isEqualTo(budget);
                    assertThat(cut.steps()).isPositive();
                }
            }
        }
    }
}
