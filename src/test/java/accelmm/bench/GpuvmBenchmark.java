package accelmm.bench;

import accelmm.drm.DrmGpuvm;
import accelmm.drm.GpuVa;
import accelmm.drm.VaOps;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Throughput of the drm_gpuvm model ({@link DrmGpuvm}) with {@link #mappings} live mappings
 * (1,000 and 100,000, to show the O(log n) cost), in operations per second:
 *
 * <ul>
 *   <li>{@link #smMapSplitApply}: sm_map + apply of a request centred in one mapping (one remap
 *       with both pieces and the map, GV-11), each followed by the sm_map + apply that maps the
 *       whole mapping back (three unmaps and a map) so the tree stays at {@link #mappings};
 *       counted as two operations.
 *   <li>{@link #smUnmapApply}: sm_unmap + apply of the middle of one mapping (a remap, GV-16),
 *       then the sm_map + apply that restores it (two unmaps and a map); two operations.
 *   <li>{@link #smMapSplitOpsOnly}: computing the split's ops without applying them.
 *   <li>{@link #findFirst}: lookup of the mapping at an address, moving by the stride;
 *       {@link #findFirstSequential} the same through consecutive mappings, whose tree paths
 *       stay in the CPU caches: the gap between the two at 100,000 mappings is memory latency,
 *       not the number of nodes visited.
 * </ul>
 *
 * Mapping i is {@code [16 i, 16 i + 16)} of object {@code i % 16} at offset {@code 16 i}; the
 * mapping each invocation works on moves by a prime stride, so consecutive invocations touch
 * distant parts of the tree. Run: {@code bin/bench GpuvmBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GpuvmBenchmark {

    static final long SIZE = 16;
    static final int OBJECTS = 16;
    /** An object no mapping uses: a split creates its vm_bo, the restore destroys it. */
    static final int OTHER_OBJECT = OBJECTS;
    static final int STRIDE = 7_919;

    @Param({"1000", "100000"})
    int mappings;

    private DrmGpuvm<Integer> vm;
    private int index;
    private long sequential;

    @Setup(Level.Trial)
    public void populate() {
        vm = new DrmGpuvm<>("bench", 0, mappings * SIZE);
        for (int i = 0; i < mappings; i++) {
            vm.apply(vm.smMap(i * SIZE, SIZE, i % OBJECTS, i * SIZE));
        }
    }

    @TearDown(Level.Trial)
    public void check() {
        vm.checkInvariants();
        if (vm.vaCount() != mappings) {
            throw new IllegalStateException(vm.vaCount() + " mappings left of " + mappings);
        }
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public int smMapSplitApply() {
        long base = nextIndex() * SIZE;
        VaOps<Integer> split = vm.smMap(base + 4, 4, OTHER_OBJECT, 0);
        vm.apply(split);
        return split.ops().size() + restore(base);
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public int smUnmapApply() {
        long base = nextIndex() * SIZE;
        VaOps<Integer> hole = vm.smUnmap(base + 4, 4);
        vm.apply(hole);
        return hole.ops().size() + restore(base);
    }

    @Benchmark
    public VaOps<Integer> smMapSplitOpsOnly() {
        return vm.smMap(nextIndex() * SIZE + 4, 4, OTHER_OBJECT, 0);
    }

    @Benchmark
    public GpuVa<Integer> findFirst() {
        return vm.findFirst(nextIndex() * SIZE + 5, 1);
    }

    @Benchmark
    public GpuVa<Integer> findFirstSequential() {
        sequential = (sequential + 1) % mappings;
        return vm.findFirst(sequential * SIZE + 5, 1);
    }

    /** Maps mapping {@code base / SIZE} back as populated; returns the number of ops. */
    private int restore(long base) {
        int i = (int) (base / SIZE);
        VaOps<Integer> ops = vm.smMap(base, SIZE, i % OBJECTS, base);
        vm.apply(ops);
        return ops.ops().size();
    }

    private long nextIndex() {
        index = (index + STRIDE) % mappings;
        return index;
    }
}
