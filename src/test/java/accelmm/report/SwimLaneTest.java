package accelmm.report;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.report.Counterexample.Kind;
import accelmm.report.Counterexample.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwimLaneTest {

    private static final List<Step> STEPS = List.of(
            new Step(1, "A.main", Kind.OPERATION, "vm_create", "1", 14),
            new Step(2, "A.main", Kind.PREEMPTED, "notifier_lock vm 1 read", "A.unmapper", 15),
            new Step(3, "A.unmapper", Kind.OPERATION, "munmap p 16K", "ok", 24),
            new Step(4, "A.main", Kind.OPERATION, "vm_bind userptr", "ok", 15),
            new Step(5, "gpu0 engine", Kind.VIOLATION, "DEVICE read of pfn 1: it is free", "use-after-free", 0));

    @Test
    void render_smallTrace_oneColumnPerActorOneRowPerStep_theBreakingStepNumberedAndMarked() {
        // 120 columns: three columns of 36 (the widest the room allows) and the legend wrapped.
        assertThat(SwimLane.render(STEPS, "", 120)).containsExactly(
                "step  A.main                                A.unmapper                            gpu0 engine",
                "----  ------                                ----------                            -----------",
                "   1  vm_create -> 1",
                "   2  preempted at notifier_lock vm 1 read",
                "      -> A.unmapper",
                "   3                                        munmap p 16K -> ok",
                "   4  vm_bind userptr -> ok",
                "  5!                                                                              broke use-after-free: DEVICE read of",
                "                                                                                  pfn 1: it is free",
                "(one column per actor, one row per numbered step, ! the step that broke the invariant; a step longer than 36 characters",
                "goes on over the next lines)");
    }

    @Test
    void render_narrowWidth_columnsShareItAndTheLegendWraps() {
        List<String> lines = SwimLane.render(STEPS, "", 60);

        // 60 columns, 4 for the numbers: three columns of 16 and their gaps.
        assertThat(lines.get(0)).isEqualTo("step  A.main            A.unmapper        gpu0 engine");
        assertThat(lines).allMatch(l -> l.length() <= 60, "fits 60 columns");
        assertThat(lines.get(lines.size() - 1)).endsWith("lines)");
    }

    @Test
    void render_manyActorsInANarrowWidth_keepTheNarrowestColumns() {
        List<Step> steps = List.of(new Step("a", "x"), new Step("b", "x"), new Step("c", "x"), new Step("d", "x"),
                new Step("e", "x"), new Step("f", "x"));

        List<String> lines = SwimLane.render(steps, "", 40);

        assertThat(lines.get(0)).isEqualTo("step  a" + " ".repeat(SwimLane.MIN_COLUMN + 1) + "b" + " ".repeat(
                SwimLane.MIN_COLUMN + 1) + "c" + " ".repeat(SwimLane.MIN_COLUMN + 1) + "d" + " ".repeat(
                SwimLane.MIN_COLUMN + 1) + "e" + " ".repeat(SwimLane.MIN_COLUMN + 1) + "f");
    }

    @Test
    void render_noLongStep_legendSaysNothingWraps() {
        List<String> lines = SwimLane.render(List.of(new Step(1, "t0", Kind.OPERATION, "a", "", 0),
                new Step(2, "t1", Kind.OPERATION, "b", "", 0)), "");

        assertThat(lines).containsExactly(
                "step  t0" + " ".repeat(36) + "t1",
                "----  --" + " ".repeat(36) + "--",
                "   1  a",
                "   2  " + " ".repeat(38) + "b",
                "(one column per actor, one row per numbered step)");
    }

    @Test
    void render_longActorName_headerIsCut() {
        List<String> lines = SwimLane.render(List.of(new Step("a".repeat(60), "go")), "");

        assertThat(lines.get(0)).isEqualTo("step  " + "a".repeat(SwimLane.MAX_COLUMN - 2) + "..");
    }

    @Test
    void actors_inOrderOfFirstStep() {
        assertThat(SwimLane.actors(STEPS)).containsExactly("A.main", "A.unmapper", "gpu0 engine");
    }
}
