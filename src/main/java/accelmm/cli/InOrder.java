package accelmm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Independent tasks (one scenario's check each) on up to {@code jobs} threads, results in the
 * order of the input; the first failure in that order is rethrown, so the outcome is the one a
 * sequential loop gives.
 */
final class InOrder {

    private InOrder() {
    }

    static <T, R> List<R> map(List<T> items, int jobs, Function<T, R> task) {
        List<R> out = new ArrayList<>();
        if (jobs <= 1 || items.size() <= 1) {
            for (T item : items) {
                out.add(task.apply(item));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, items.size()), r -> {
            Thread t = new Thread(r, "accelmm-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> task.apply(item)));
            }
            for (Future<R> f : futures) {
                try {
                    out.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
