package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.RandomChoiceSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Whatever a scenario compares or passes as an argument — names bound to numbers, bytes,
 * errnos, fences, GEM handles or nothing, inherited or another process's, fields of any of
 * them, words, literals — it either is refused when loaded, with a {@link ScenarioError} inside
 * the text, or runs to a verdict: never an internal error of the interpreter.
 */
class LoadChecksPropertyTest {

    /** Bindings of every kind; {@code %s} are the generated statements of each thread. */
    private static final String TEMPLATE = """
            scenario "comparisons and arguments"
            device gpu0 kind=gpu
            process A
            process C

            thread A.main:
              fd = open gpu0
              p = mmap 4K
              write p "data"
              x = read p 4
              e = read 0x1000 4                                  => EFAULT
              bo = ioctl fd gem_create 4K
              vm = ioctl fd vm_create
              q = ioctl fd exec_queue_create vm=vm
              f = ioctl fd exec queue=q fill dst=0x100000 size=4K byte=1 => ok|error
              fork B
            %s
            thread B.main:
              k = mmap 4K
            %s
            thread C.main:
              c = mmap 4K
            %s
            thread kernel.k:
              signal started
            %s
            expect clean
            """;

    /** Per thread (A after its fork, B, C, the kernel's): names that thread may use, then names it may not. */
    private static final List<List<String>> BOUND = List.of(
            List.of("p", "x", "e", "f", "bo", "fd", "vm", "q", "B.k", "C.c"),
            List.of("p", "x", "e", "f", "bo", "fd", "k", "A.q", "C.c"),
            List.of("c", "A.p", "A.x", "A.e", "A.f", "A.bo", "A.fd", "B.k", "B.p"),
            List.of("A.p", "A.x", "A.e", "A.f", "A.bo", "A.vm", "B.k", "B.f", "C.c"));
    private static final List<String> UNBOUND = List.of("nope", "bf", "A.nope", "p.vm", "bo.vm", "x.caching", "e.va",
            "X.vm", "A.bo.vm", "B.k.size", "C.nope.x", "kernel.p", "mine", "k", "c", "C.p");

    private static final List<String> VALUES = List.of("ok", "EFAULT", "error", "ok|EINVAL", "3", "0x10000000", "4K",
            "\"data\"", "0xAB*4", "p+4K", "A.q-1", "wc", "mine");

    /** Statements of a process thread, and of a kernel thread; {@code %s} is a name, then a value. */
    private static final List<String> PROCESS_SHAPES = List.of("expect %s == %s", "expect %s != %s",
            "expect read %s 4 == \"data\"", "munmap %s 4K => ok|error", "close %s => ok|error",
            "ioctl fd gem_close %s => ok|error", "wait %s", "mmap %s 4K => ok|error", "write %s \"z\" => ok|error",
            "ioctl fd vm_destroy %s => ok|error");
    private static final List<String> KERNEL_SHAPES = List.of("expect %s == %s", "expect %s != %s", "wait %s",
            "migrate A %s 4K => ok|error", "evict %s => ok|error");

    @Property(tries = 400, seed = "9")
    void anyComparisonOrArgument_refusedAtAPositionOrRuns(@ForAll("scenarios") String text) {
        Scenario scenario;
        try {
            scenario = ModelCoverage.parse("combo.scn", text.getBytes(StandardCharsets.UTF_8));
        } catch (ScenarioError e) {
            String[] lines = text.split("\n", -1);
            for (ScenarioError.Problem p : e.problems()) {
                assertThat(p.line()).as(p.message()).isBetween(1, lines.length);
                String line = lines[p.line() - 1];
                assertThat(p.column()).as(p.message()).isBetween(1, line.codePointCount(0, line.length()) + 1);
                assertThat(p.sourceLine()).isEqualTo(line);
            }
            return;
        }
        ScenarioModel model = new ScenarioModel(scenario, DesignMatrix.combinations(scenario).get(0));
        for (long seed = 0; seed < 3; seed++) {
            // Throws (a ModelBugException) on an internal error; any verdict is fine.
            model.execute(new RandomChoiceSource(seed), false);
        }
    }

    /** One or two statements, each in one of the threads (A after its fork, B, C or the kernel's). */
    @Provide
    Arbitrary<String> scenarios() {
        Arbitrary<String[]> placed = Arbitraries.integers().between(0, 3).flatMap(thread -> statement(thread).map(st -> {
            String[] bodies = {"", "", "", ""};
            bodies[thread] = "  " + st + "\n";
            return bodies;
        }));
        return Combinators.combine(placed, placed).as((one, two) -> TEMPLATE.formatted(one[0] + two[0],
                one[1] + two[1], one[2] + two[2], one[3] + two[3]));
    }

    /** A statement for thread {@code thread}, mostly with names it may use. */
    private static Arbitrary<String> statement(int thread) {
        Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(BOUND.get(thread))),
                Tuple.of(1, Arbitraries.of(UNBOUND)));
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(VALUES), name);
        Arbitrary<String> shape = Arbitraries.of(thread == 3 ? KERNEL_SHAPES : PROCESS_SHAPES);
        return Combinators.combine(shape, name, value).as((sh, n, v) -> sh.startsWith("expect %s ")
                ? sh.formatted(n, v) : sh.formatted(n));
    }
}
