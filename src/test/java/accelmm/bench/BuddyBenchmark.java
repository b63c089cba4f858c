package accelmm.bench;

import accelmm.drm.DrmBuddy;
import accelmm.drm.DrmBuddyAllocResult;
import accelmm.drm.DrmBuddyBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
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

/**
 * The drm_buddy model ({@link DrmBuddy}) under load, 4 KiB chunks:
 *
 * <ul>
 *   <li>{@link #allocFree}: alloc/free pairs per second of one block size (4K, 64K, 2M; size ==
 *       min block size) on a 256M or 1G mm held half full: each pair allocates a block and
 *       frees a live one picked by a seeded random sequence, so splits and merges both happen.
 *   <li>{@link #allocFreeMixed}: the same with sizes drawn from 4K to 2M in 4K steps (seeded),
 *       not powers of two: multi-block allocations and the trim of the rounded-up last block.
 *   <li>{@link #fragmentationChurn}: time of one seeded random churn ({@value #CHURN_OPS}
 *       operations, sizes 4K..2M, about 75% occupancy). Setup runs the churn once and prints
 *       the fragmentation it leaves: the largest order still allocatable and the share of the
 *       free space held in blocks of the largest free order (100% = unfragmented).
 * </ul>
 *
 * Run: {@code bin/bench BuddyBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
public class BuddyBenchmark {

    static final long CHUNK = DrmBuddy.SZ_4K;
    static final int CHURN_OPS = 20_000;
    static final long CHURN_SEED = 42;
    static final int MIXED_SIZES = 4096;
    static final int BATCH = 64;
    static final int VICTIMS = 1 << 16;

    static long parseSize(String s) {
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> throw new IllegalArgumentException(s);
        };
        return Long.parseLong(s.substring(0, s.length() - 1)) * unit;
    }

    /** {@value #VICTIMS} seeded random numbers that pick which live allocation a pair frees. */
    static int[] victims() {
        Random random = new Random(CHURN_SEED);
        int[] out = new int[VICTIMS];
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextInt(Integer.MAX_VALUE);
        }
        return out;
    }

    /** Removes and returns the live allocation picked by victim number {@code step}. */
    static <T> T takeVictim(List<T> live, int[] victims, int step) {
        return removeSwap(live, victims[step & (VICTIMS - 1)] % live.size());
    }

    /** Removes element {@code index} by moving the last element into its place. */
    static <T> T removeSwap(List<T> live, int index) {
        T victim = live.get(index);
        live.set(index, live.get(live.size() - 1));
        live.remove(live.size() - 1);
        return victim;
    }

    /** An mm held half full of blocks of one size. */
    @State(Scope.Thread)
    public static class FixedSize {
        @Param({"4K", "64K", "2M"})
        public String blockSize;

        @Param({"256M", "1G"})
        public String mmSize;

        DrmBuddy mm;
        long size;
        final List<DrmBuddyBlock> live = new ArrayList<>();
        final int[] victims = victims();
        int step;

        @Setup(Level.Trial)
        public void setUp() {
            mm = new DrmBuddy();
            mm.init(parseSize(mmSize), CHUNK);
            size = parseSize(blockSize);
            for (long i = 0; i < mm.sizeBytes() / size / 2; i++) {
                live.add(mm.allocBlocks(0, mm.sizeBytes(), size, size).blocks().get(0));
            }
        }
    }

    /** An mm held about half full of allocations of mixed sizes. */
    @State(Scope.Thread)
    public static class MixedSize {
        @Param({"256M", "1G"})
        public String mmSize;

        DrmBuddy mm;
        final long[] sizes = new long[MIXED_SIZES];
        int next;
        final List<List<DrmBuddyBlock>> live = new ArrayList<>();
        final int[] victims = victims();
        int step;

        @Setup(Level.Trial)
        public void setUp() {
            mm = new DrmBuddy();
            mm.init(parseSize(mmSize), CHUNK);
            Random random = new Random(CHURN_SEED);
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = (1 + random.nextInt(512)) * CHUNK;
            }
            while (mm.availableBytes() > mm.sizeBytes() / 2) {
                live.add(alloc());
            }
        }

        List<DrmBuddyBlock> alloc() {
            long size = sizes[next++ & (MIXED_SIZES - 1)];
            return mm.allocBlocks(0, mm.sizeBytes(), size, CHUNK).blocks();
        }
    }

    /** The mm size of the churn; setup prints the fragmentation one churn leaves. */
    @State(Scope.Thread)
    public static class Churn {
        @Param({"256M", "1G"})
        public String mmSize;

        @Setup(Level.Trial)
        public void setUp() {
            DrmBuddy mm = churn(parseSize(mmSize));
            System.out.println(Fragmentation.of(mm).describe(mmSize));
            mm.fini();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public int allocFree(FixedSize s) {
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            DrmBuddyAllocResult r = s.mm.allocBlocks(0, s.mm.sizeBytes(), s.size, s.size);
            s.live.add(r.blocks().get(0));
            s.mm.freeBlock(takeVictim(s.live, s.victims, s.step++));
            sum += r.ret();
        }
        return sum;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public int allocFreeMixed(MixedSize s) {
        int blocks = 0;
        for (int i = 0; i < BATCH; i++) {
            List<DrmBuddyBlock> allocated = s.alloc();
            s.live.add(allocated);
            s.mm.freeBlocks(takeVictim(s.live, s.victims, s.step++));
            blocks += allocated.size();
        }
        return blocks;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long fragmentationChurn(Churn s) {
        DrmBuddy mm = churn(parseSize(s.mmSize));
        long avail = mm.availableBytes();
        mm.fini();
        return avail;
    }

    /**
     * {@value #CHURN_OPS} seeded operations on a fresh mm: while at least a quarter is free,
     * three in four allocate 4K..2M (any multiple of 4K, min block 4K), otherwise a random live
     * allocation is freed. The allocations are left live.
     */
    static DrmBuddy churn(long mmSize) {
        DrmBuddy mm = new DrmBuddy();
        mm.init(mmSize, CHUNK);
        Random random = new Random(CHURN_SEED);
        List<List<DrmBuddyBlock>> live = new ArrayList<>();
        for (int i = 0; i < CHURN_OPS; i++) {
            boolean alloc = live.isEmpty()
                    || random.nextInt(4) != 0 && mm.availableBytes() > mm.sizeBytes() / 4;
            if (alloc) {
                long size = (1 + random.nextInt(512)) * CHUNK;
                DrmBuddyAllocResult r = mm.allocBlocks(0, mm.sizeBytes(), size, CHUNK);
                if (!r.isError()) {
                    live.add(r.blocks());
                }
            } else {
                mm.freeBlocks(removeSwap(live, random.nextInt(live.size())));
            }
        }
        return mm;
    }

    /** What a churn leaves: free space, how it is split up, the largest block still allocatable. */
    record Fragmentation(long freeBytes, int freeBlocks, int largestAllocatableOrder, int largestFreeOrder,
            double shareInLargestFreeOrder) {

        static Fragmentation of(DrmBuddy mm) {
            List<DrmBuddyBlock> free = mm.freeList();
            int largestFree = free.stream().mapToInt(DrmBuddyBlock::order).max().orElse(-1);
            long inLargest = largestFree < 0 ? 0 : mm.freeBlockCount(largestFree) * (mm.chunkSizeBytes() << largestFree);
            return new Fragmentation(mm.availableBytes(), free.size(), largestAllocatableOrder(mm), largestFree,
                    mm.availableBytes() == 0 ? 0 : (double) inLargest / mm.availableBytes());
        }

        /** The highest order a plain allocation (size == min block) still gets; allocated and freed again. */
        static int largestAllocatableOrder(DrmBuddy mm) {
            for (int order = mm.maxOrder(); order >= 0; order--) {
                long size = mm.chunkSizeBytes() << order;
                DrmBuddyAllocResult r = mm.allocBlocks(0, mm.sizeBytes(), size, size);
                if (!r.isError()) {
                    mm.freeBlocks(r.blocks());
                    return order;
                }
            }
            return -1;
        }

        String describe(String mmSize) {
            return String.format(Locale.ROOT,
                    "BuddyBenchmark fragmentation: mm %s, seed %d, %d ops: %d MiB free in %d blocks;"
                            + " largest allocatable order %d (%d KiB); %.1f%% of free space in order-%d blocks",
                    mmSize, CHURN_SEED, CHURN_OPS, freeBytes >> 20, freeBlocks, largestAllocatableOrder,
                    (CHUNK << largestAllocatableOrder) >> 10, 100 * shareInLargestFreeOrder, largestFreeOrder);
        }
    }
}
