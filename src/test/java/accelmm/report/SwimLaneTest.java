package accelmm.report;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.report.Counterexample.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwimLaneTest {

    private static final List<Step> STEPS = List.of(
            new Step("A.main", "vm_create -> 1"),
            new Step("A.main", "preempted at notifier_lock vm 1 read -> A.unmapper"),
            new Step("A.unmapper", "munmap p 16K -> ok"),
            new Step("A.main", "vm_bind userptr -> ok"));

    @Test
    void render_smallTrace_oneColumnPerActorOneRowPerStep() {
        String table = String.join("\n", SwimLane.render(STEPS, new Step("gpu0 engine", "broke use-after-free"), "  "));

        assertThat(table).isEqualTo("""
                  step  A.main                          A.unmapper                      gpu0 engine
                  ----  ------                          ----------                      -----------
                     1  vm_create -> 1
                     2  preempted at notifier_lock v..
                     3                                  munmap p 16K -> ok
                     4  vm_bind userptr -> ok
                     !                                                                  broke use-after-free
                  (one column per actor, one row per numbered step, ! the broken invariant; \
                a cell longer than 30 characters is cut and ends in ..)""");
    }

    @Test
    void render_noLongCell_legendSaysNothingIsCut() {
        List<String> lines = SwimLane.render(List.of(new Step("t0", "a"), new Step("t1", "b")), "");

        assertThat(lines).containsExactly(
                "step  t0                              t1",
                "----  --                              --",
                "   1  a",
                "   2                                  b",
                "(one column per actor, one row per numbered step; no cell is cut)");
    }

    @Test
    void actors_inOrderOfFirstStep() {
        assertThat(SwimLane.actors(STEPS)).containsExactly("A.main", "A.unmapper");
    }
}
