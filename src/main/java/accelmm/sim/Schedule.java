package accelmm.sim;

import java.util.Arrays;

/**
 * The decisions of one run, in order: for a scheduling decision the id of the actor that
 * continued, for a data choice the value chosen. Together with the scenario, the designs and
 * the version of accelmm, a schedule determines a run completely.
 *
 * <p>The token form is what a user copies into a replay command: decisions separated by
 * {@code .}, and a run of {@code n} equal decisions {@code v} written {@code v*n}; the empty
 * schedule is {@code -}. Example: {@code 0*3.1.0*2}.
 */
public final class Schedule {

    private static final Schedule EMPTY = new Schedule(new int[0]);

    private final int[] decisions;

    private Schedule(int[] decisions) {
        this.decisions = decisions;
    }

    public static Schedule empty() {
        return EMPTY;
    }

    public static Schedule of(int... decisions) {
        for (int d : decisions) {
            if (d < 0) {
                throw new IllegalArgumentException("negative decision " + d);
            }
        }
        return new Schedule(decisions.clone());
    }

    public int length() {
        return decisions.length;
    }

    public int decision(int index) {
        return decisions[index];
    }

    /** The first {@code count} decisions. */
    public Schedule prefix(int count) {
        return new Schedule(Arrays.copyOf(decisions, Math.min(count, decisions.length)));
    }

    /** The token form, see the class comment. */
    public String token() {
        if (decisions.length == 0) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < decisions.length) {
            int run = 1;
            while (i + run < decisions.length && decisions[i + run] == decisions[i]) {
                run++;
            }
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(decisions[i]);
            if (run > 1) {
                out.append('*').append(run);
            }
            i += run;
        }
        return out.toString();
    }

    /**
     * Parses a token made by {@link #token()}.
     *
     * @throws IllegalArgumentException with a one-line reason when the token is malformed
     */
    public static Schedule parse(String token) {
        String t = token.strip();
        if (t.equals("-")) {
            return EMPTY;
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty schedule token (the empty schedule is '-')");
        }
        Builder b = new Builder();
        for (String item : t.split("\\.", -1)) {
            int star = item.indexOf('*');
            int value = parseNumber(item, star < 0 ? item : item.substring(0, star));
            int count = star < 0 ? 1 : parseNumber(item, item.substring(star + 1));
            if (count == 0 || (long) b.size + count > 50_000_000L) {
                throw new IllegalArgumentException("bad repeat count in schedule item '" + item + "'");
            }
            for (int k = 0; k < count; k++) {
                b.add(value);
            }
        }
        return b.build();
    }

    private static int parseNumber(String item, String digits) {
        // Up to 10 digits, so that every int that token() writes parses back.
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                || Long.parseLong(digits) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad schedule item '" + item + "'");
        }
        return Integer.parseInt(digits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule s && Arrays.equals(decisions, s.decisions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(decisions);
    }

    @Override
    public String toString() {
        return token();
    }

    /** Accumulates decisions as a run makes them. */
    static final class Builder {
        private int[] items = new int[64];
        private int size;

        void add(int decision) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = decision;
        }

        int size() {
            return size;
        }

        Schedule build() {
            return size == 0 ? EMPTY : new Schedule(Arrays.copyOf(items, size));
        }
    }
}
