package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import accelmm.check.Budget;
import accelmm.check.ModelBugException;
import accelmm.check.Strategy;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Schedule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An argument of a form the parser never gives its parameter is a bug of the model, reported as
 * an internal error: never an {@code expectation} verdict, which would pass it off as something
 * the scenario states about the kernel.
 */
class InterpreterModelBugTest {

    private static final Position AT = new Position(5, 3);

    /** A scenario whose one thread runs {@code body}, as no parser would write it. */
    private static ScenarioModel modelOf(Statement... body) {
        ThreadBlock main = new ThreadBlock(new Position(4, 8), "A", "main", Optional.empty(), List.of(body));
        Scenario scenario = new Scenario("built.scn", "built by hand", List.of(), List.of(),
                List.of(new ProcessDecl(new Position(3, 9), "A", ProcessDecl.DEFAULT_UID, Set.of())), List.of(main),
                List.of(), "0000000000000000");
        return new ScenarioModel(scenario, Map.of());
    }

    /** One execution ends in a model bug, an IllegalStateException that says {@code what}. */
    private static void assertModelBugAt(ScenarioModel model, String what) {
        assertThatThrownBy(() -> model.execute(new RandomChoiceSource(0), false))
                .isInstanceOf(ModelBugException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining(what);
    }

    private static Statement.Call call(Operation op, Map<String, Value> args) {
        return new Statement.Call(AT, AT, "hand-made", Optional.empty(), op, args, Set.of(), Outcomes.SUCCESS,
                List.of());
    }

    @Test
    void wait_numberWhereTheParserGivesANameOnly_isAModelBugNotAnExpectation() {
        ScenarioModel model = modelOf(call(Operation.WAIT, Map.of("f", new Value.Num(3))));

        assertModelBugAt(model, "argument 'f'");
    }

    @Test
    void write_wordWhereTheParserGivesDataOnly_isAModelBugNotAnExpectation() {
        ScenarioModel model = modelOf(call(Operation.WRITE,
                Map.of("addr", new Value.Num(0x1000), "data", new Value.Word("hello"))));

        assertModelBugAt(model, "argument 'data'");
    }

    @Test
    void munmap_dataWhereTheParserGivesANumberOnly_isAModelBugNotAnExpectation() {
        ScenarioModel model = modelOf(call(Operation.MUNMAP,
                Map.of("addr", new Value.Text("x".getBytes()), "size", new Value.Num(4096))));

        assertModelBugAt(model, "argument 'addr'");
    }

    @Test
    void expectValue_wordComparedWithAName_isAModelBugNotAnExpectation() {
        // `expect p == wc` with p a name: the parser reads a plain name compared with a name as
        // a name, never as a word.
        Statement.Call mmap = new Statement.Call(new Position(5, 3), new Position(5, 7), "p = mmap 4K",
                Optional.of("p"), Operation.MMAP, Map.of("size", new Value.Num(4096)), Set.of(), Outcomes.SUCCESS,
                List.of());
        Statement.ExpectValue expect = new Statement.ExpectValue(new Position(6, 3), "expect p == wc",
                Value.Ref.local("p"), true, new Value.Word("wc"), List.of());
        ScenarioModel model = modelOf(mmap, expect);

        assertModelBugAt(model, "'wc' compared with a value that is no field");
    }

    @Test
    void check_modelBug_carriesTheFileDesignAndATokenThatReplaysIt() {
        ScenarioModel model = modelOf(call(Operation.WAIT, Map.of("f", new Value.Num(3))));

        ScenarioModelBug bug = catchThrowableOfType(ScenarioModelBug.class,
                () -> ScenarioChecker.check(model.scenario(), new Strategy.RandomWalk(1), new Budget(5, null)));

        assertThat(bug.fileName()).isEqualTo("built.scn");
        assertThat(bug.combination()).isEmpty();
        assertThat(bug.getCause()).isInstanceOf(ModelBugException.class).hasMessageContaining("argument 'f'");
        Schedule replayed = ReplayToken.parse(bug.token().orElseThrow()).scheduleFor(model);
        assertThatThrownBy(() -> model.execute(new ReplayChoiceSource(replayed), false))
                .isInstanceOf(ModelBugException.class).hasMessageContaining("argument 'f'");
    }

    @Test
    void wait_nameBoundToANumber_isStillAnExpectationFailureOfTheScenario() {
        // What a user can write and the parser accepts stays a verdict: a name bound to a number
        // used as a fence.
        assertThat(InterpreterHarness.firstViolation("""
                scenario "wait for a number"
                process A

                thread A.main:
                  p = mmap 4K
                  wait p
                """).message()).contains("wait needs a fence, got a number (");
    }

    @Test
    void evict_nameBoundToAnErrno_saysTheErrno() {
        String message = InterpreterHarness.firstViolation("""
                scenario "evict a failed gem_create"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl 9 gem_create 4K => EBADF

                thread kernel.evictor:
                  evict A.bo
                """).message();

        // Only a gem_create binds what evict takes (the load checks refuse any other binding);
        // a failed one binds its errno, which the run reports in the language's words.
        assertThat(message).contains("evict takes a name bound by gem_create (the exporter's object), got the errno "
                + "EBADF (its statement failed)").doesNotContain("Err[");
    }
}
