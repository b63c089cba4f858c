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
                  step  A.main                            A.unmapper                        gpu0 engine
                  ----  ------                            ----------                        -----------
                     1  vm_create -> 1
                     2  preempted at notifier_lock vm 1
                        read -> A.unmapper
                     3                                    munmap p 16K -> ok
                     4  vm_bind userptr -> ok
                     !                                                                      broke use-after-free
                  (one column per actor, one row per numbered step, ! the broken invariant; \
                a step longer than 32 characters goes on over the next lines)""");
    }

    @Test
    void render_noLongStep_legendSaysNothingWraps() {
        List<String> lines = SwimLane.render(List.of(new Step("t0", "a"), new Step("t1", "b")), "");

        assertThat(lines).containsExactly(
                "step  t0                                t1",
                "----  --                                --",
                "   1  a",
                "   2                                    b",
                "(one column per actor, one row per numbered step)");
    }

    @Test
    void wrap_noSpaceNear_cutsAtTheWidth() {
        String word = "x".repeat(40);

        assertThat(SwimLane.wrap(word)).containsExactly("x".repeat(32), "x".repeat(8));
    }

    @Test
    void render_longActorName_headerIsCut() {
        List<String> lines = SwimLane.render(List.of(new Step("a".repeat(40), "go")), "");

        assertThat(lines.get(0)).isEqualTo("step  " + "a".repeat(30) + "..");
    }

    @Test
    void actors_inOrderOfFirstStep() {
        assertThat(SwimLane.actors(STEPS)).containsExactly("A.main", "A.unmapper");
    }
}
