package accelmm.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * The random choices a generated scenario is made of. {@link ScenarioWriter} reads every number
 * modulo the options open at that point (the statements the names bound so far allow, the
 * names of the right kind, the sizes and addresses of a small fixed set), so every plan writes
 * a valid scenario, and jqwik's shrinking (shorter lists, numbers towards 0) gives smaller and
 * plainer ones: 0 is always the first, plainest option.
 *
 * @param designs   at most two {@code design} lines
 * @param devices   one or two {@code kind=gpu} devices
 * @param processes how many processes are declared (A, B, C)
 * @param threads   the thread blocks, each owned by a declared process, a forked child or
 *                  grandchild, or the kernel
 */
public record ScenarioPlan(List<DesignGene> designs, List<DeviceGene> devices, int processes,
        List<ThreadGene> threads) {

    /** A {@code design} line: which key, and which of its values ({@code *} past the last). */
    public record DesignGene(int key, int values) {
    }

    /** A {@code device gpuN kind=gpu} line: its VRAM size (a choice of small ones) and p2p. */
    public record DeviceGene(int vram, boolean p2p) {
    }

    /** A thread block: whose it is, whether it starts {@code after} an event, its statements. */
    public record ThreadGene(int owner, int start, List<StatementGene> statements) {
    }

    /**
     * One statement: which of the operations open at that point, and choices for its arguments
     * ({@code f}: whether an fd or ID argument is written as a number, or as a name bound to an
     * address, instead of the name of what it stands for).
     */
    public record StatementGene(int operation, int a, int b, int c, int d, int e, int f) {
    }

    /** Plans of at most {@code maxThreads} thread blocks of at most {@code maxStatements} statements each. */
    public static Arbitrary<ScenarioPlan> plans(int maxThreads, int maxStatements) {
        Arbitrary<DesignGene> design = Combinators.combine(choice(), choice()).as(DesignGene::new);
        Arbitrary<DeviceGene> device = Combinators.combine(choice(), Arbitraries.of(false, true)).as(DeviceGene::new);
        Arbitrary<StatementGene> statement = Combinators.combine(choice(), choice(), choice(), choice(), choice(),
                choice(), choice()).as(StatementGene::new);
        Arbitrary<ThreadGene> thread = Combinators.combine(choice(), choice(),
                statement.list().ofMinSize(1).ofMaxSize(maxStatements)).as(ThreadGene::new);
        return Combinators.combine(design.list().ofMaxSize(2), device.list().ofMinSize(1).ofMaxSize(2),
                Arbitraries.integers().between(1, 3), thread.list().ofMinSize(1).ofMaxSize(maxThreads))
                .as(ScenarioPlan::new);
    }

    /** A choice among however many options there are; uniform, shrinking towards the first. */
    private static Arbitrary<Integer> choice() {
        return Arbitraries.integers().between(0, 719).withoutEdgeCases();
    }
}
