package accelmm.check;

/**
 * Part {@code index} (1-based) of {@code count} of an exploration, for spreading one search over
 * several machines: shard {@code I} of {@code N} runs the sampling executions whose index {@code
 * i} has {@code i % N == I - 1}, and a part of a {@link Strategy.Dfs}'s tasks ({@link
 * ShardedDfs}). {@link Strategy.Auto}'s DFS part is not split: every shard runs it whole, so
 * every shard knows where its slices end. Merging the shards' results (for sampling the lowest
 * violating index wins and counts add; for a DFS the union of the tasks in the search's order)
 * gives what one unsharded run gives.
 */
public record Shard(int index, int count) {

    /** The whole space: an unsharded run. */
    public static final Shard WHOLE = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("a shard is I/N with 1 <= I <= N");
        }
    }

    /** {@code I/N}, e.g. {@code 2/4}; an IllegalArgumentException with a one-line message otherwise. */
    public static Shard parse(String text) {
        var m = java.util.regex.Pattern.compile("(\\d{1,6})/(\\d{1,6})").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("a shard is I/N, e.g. 1/4, got '" + text + "'");
        }
        int i = Integer.parseInt(m.group(1));
        int n = Integer.parseInt(m.group(2));
        if (n < 1 || i < 1 || i > n) {
            throw new IllegalArgumentException("a shard I/N needs 1 <= I <= N, got '" + text + "'");
        }
        return new Shard(i, n);
    }

    public boolean whole() {
        return count == 1;
    }

    /** Whether this shard runs sampling execution {@code i}. */
    public boolean owns(long i) {
        return i % count == index - 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
