package accelmm.cli;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Ends a JVM that is as good as out of memory but never says so. G1, the default collector, has
 * no limit on the time spent collecting: with a heap that is nearly all live data it collects
 * again and again, and the program freezes without an OutOfMemoryError (Parallel GC's
 * {@code GCTimeLimit} and {@code GCHeapFreeLimit} exist for this). The watchdog looks twice a
 * second at the collectors' pause time and the heap left in use after the last collections;
 * when pauses took more than {@value #GC_SHARE_LIMIT} of the last {@value #WINDOW_MILLIS} ms and
 * the live data fills more than {@value #LIVE_SHARE_LIMIT} of the heap, it runs the given action
 * (one line and exit 3). It watches the command line's process only: the model never sees it.
 */
final class GcWatchdog {

    static final double GC_SHARE_LIMIT = 0.8;
    static final double LIVE_SHARE_LIMIT = 0.9;
    static final long WINDOW_MILLIS = 10_000;
    private static final long POLL_MILLIS = 500;

    private GcWatchdog() {
    }

    /**
     * Whether the JVM is thrashing: {@code pauseMillis} of the last {@code windowMillis} were spent
     * in collection pauses, and {@code liveBytes} of {@code maxBytes} survived the last collections.
     */
    static boolean thrashing(long pauseMillis, long windowMillis, long liveBytes, long maxBytes) {
        return windowMillis > 0 && maxBytes > 0
                && pauseMillis > GC_SHARE_LIMIT * windowMillis
                && liveBytes > LIVE_SHARE_LIMIT * maxBytes;
    }

    /** Starts the watchdog on a daemon thread; {@code outOfMemory} runs when the JVM thrashes. */
    static void start(Runnable outOfMemory) {
        Thread t = new Thread(() -> watch(outOfMemory), "accelmm-gc-watchdog");
        t.setDaemon(true);
        t.start();
    }

    private static void watch(Runnable outOfMemory) {
        // Stop-the-world collectors only: a concurrent cycle's time overlaps the program's work.
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(c -> !c.getName().contains("Concurrent"))
                .toList();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
                .toList();
        long maxBytes = Runtime.getRuntime().maxMemory();
        int slots = (int) (WINDOW_MILLIS / POLL_MILLIS);
        long[] pauses = new long[slots];
        long[] times = new long[slots];
        for (long n = 0; ; n++) {
            int i = (int) (n % slots);
            long now = System.nanoTime() / 1_000_000;
            long pause = collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
            // The oldest sample of the window is in the slot about to be overwritten.
            if (n >= slots && thrashing(pause - pauses[i], now - times[i], live(heap), maxBytes)) {
                outOfMemory.run();
                return;
            }
            pauses[i] = pause;
            times[i] = now;
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long live(List<MemoryPoolMXBean> heap) {
        long live = 0;
        for (MemoryPoolMXBean pool : heap) {
            MemoryUsage after = pool.getCollectionUsage();
            if (after != null) {
                live += after.getUsed();
            }
        }
        return live;
    }
}
