package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.RandomChoiceSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Whatever a scenario compares or passes as an argument — names bound to numbers, bytes,
 * errnos, fences, GEM handles or nothing, inherited or another process's, fields of any of
 * them, words, literals — it either is refused when loaded, with a {@link ScenarioError} inside
 * the text, or runs to a verdict: never an internal error of the interpreter. What uses only
 * names its thread may use, and compares no word, always loads: the load checks refuse typos,
 * never a valid name (an {@code evict} of a name that {@code gem_create} does not bind aside:
 * that is refused as naming no object).
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

    /** Per thread (A after its fork, B, C, the kernel's): names that thread may use. */
    private static final List<List<String>> BOUND = List.of(
            List.of("p", "x", "e", "f", "bo", "fd", "vm", "q", "B.k", "C.c"),
            List.of("p", "x", "e", "f", "bo", "fd", "k", "A.q", "C.c"),
            List.of("c", "A.p", "A.x", "A.e", "A.f", "A.bo", "A.fd", "B.k", "B.p"),
            List.of("A.p", "A.x", "A.e", "A.f", "A.bo", "A.vm", "B.k", "B.f", "C.c"));
    /** Per thread: how it names a DRM fd. */
    private static final List<String> FD = List.of("fd", "fd", "A.fd", "");
    /** Names no thread may use as they are written: typos, fields of bindings without any, words. */
    private static final List<String> UNBOUND = List.of("nope", "bf", "A.nope", "p.vm", "bo.vm", "x.caching", "e.va",
            "X.vm", "A.bo.vm", "B.k.size", "C.nope.x", "kernel.p", "mine", "k", "c", "C.p");
    /** Values without names. */
    private static final List<String> LITERALS = List.of("ok", "EFAULT", "error", "ok|EINVAL", "3", "0x10000000",
            "4K", "\"data\"", "0xAB*4");
    /** Words: compared with a name (not a field), a plain name is a name, so these are typos. */
    private static final List<String> WORDS = List.of("wc", "mine");

    /**
     * Statements of a process thread, and of a kernel thread: {@code %1$s} is the thread's DRM
     * fd, {@code %2$s} a name, {@code %3$s} a value.
     */
    private static final List<String> PROCESS_SHAPES = List.of("expect %2$s == %3$s", "expect %2$s != %3$s",
            "expect read %2$s 4 == \"data\"", "munmap %2$s 4K => ok|error", "close %2$s => ok|error",
            "ioctl %1$s gem_close %2$s => ok|error", "wait %2$s", "mmap %2$s 4K => ok|error",
            "write %2$s \"z\" => ok|error", "ioctl %1$s vm_destroy %2$s => ok|error");
    private static final List<String> KERNEL_SHAPES = List.of("expect %2$s == %3$s", "expect %2$s != %3$s",
            "wait %2$s", "migrate A %2$s 4K => ok|error", "evict %2$s => ok|error");

    /** Generated statements, and whether they use only names their threads may use and no words. */
    record Text(String text, boolean valid) {
        @Override
        public String toString() {
            return (valid ? "valid:\n" : "may be refused:\n") + text;
        }
    }

    @Property(tries = 400, seed = "9", edgeCases = EdgeCasesMode.NONE)
    void anyComparisonOrArgument_refusedAtAPositionOrRuns(@ForAll("scenarios") Text generated) {
        String text = generated.text();
        Scenario scenario;
        try {
            scenario = ModelCoverage.parse("combo.scn", text.getBytes(StandardCharsets.UTF_8));
        } catch (ScenarioError e) {
            assertThat(generated.valid()).as("refused though it names only what its threads bind:\n%s", e.render())
                    .isFalse();
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
    Arbitrary<Text> scenarios() {
        Arbitrary<Placed> placed = Arbitraries.integers().between(0, 3).flatMap(thread -> statement(thread)
                .map(st -> new Placed(thread, st)));
        return Combinators.combine(placed, placed).as((one, two) -> {
            String[] bodies = {"", "", "", ""};
            bodies[one.thread()] += "  " + one.statement().text() + "\n";
            bodies[two.thread()] += "  " + two.statement().text() + "\n";
            return new Text(TEMPLATE.formatted((Object[]) bodies), one.statement().valid() && two.statement().valid());
        });
    }

    private record Placed(int thread, Text statement) {
    }

    /** A statement for thread {@code thread}, mostly with names it may use. */
    private static Arbitrary<Text> statement(int thread) {
        Arbitrary<Text> bound = Arbitraries.of(BOUND.get(thread)).map(n -> new Text(n, true));
        Arbitrary<Text> name = Arbitraries.frequencyOf(Tuple.of(4, bound),
                Tuple.of(1, Arbitraries.of(UNBOUND).map(n -> new Text(n, false))));
        Arbitrary<Text> value = Arbitraries.oneOf(Arbitraries.of(LITERALS).map(v -> new Text(v, true)), name,
                name.map(n -> new Text(n.text() + "+4K", n.valid())),
                Arbitraries.of(WORDS).map(w -> new Text(w, false)));
        Arbitrary<String> shape = Arbitraries.of(thread == 3 ? KERNEL_SHAPES : PROCESS_SHAPES);
        return Combinators.combine(shape, name, value).as((sh, n, v) -> {
            boolean usesValue = sh.contains("%3$s");
            // evict takes only a name gem_create bound (A.bo here); any other binding is refused.
            boolean evictsNoObject = sh.startsWith("evict ") && !n.text().equals("A.bo");
            return new Text(sh.formatted(FD.get(thread), n.text(), v.text()),
                    n.valid() && (!usesValue || v.valid()) && !evictsNoObject);
        });
    }
}
