package accelmm.sim;

import java.util.Arrays;

/**
 * A 128-bit fingerprint of a run's state, kept up to date as the state changes: an additive
 * Zobrist-style hash. The state is cut into numbered slots (a variable, an actor's program
 * counter, an actor's scheduler state), each holding a {@code long}; the hash is, in each of two
 * 64-bit lanes, the sum of a mix of (slot, value) over every slot. Writing a slot subtracts the
 * old value's term and adds the new one's, so keeping the hash costs two mixes per write and
 * nothing is ever recomputed.
 *
 * <p>A systematic explorer uses the fingerprint to recognise a state it has explored already
 * ({@link SchedulingPoint#fingerprinted()}). Two different states with the same 128 bits would
 * make it skip one: with a good mix, about n²/2¹²⁹ for n states, far below anything else that
 * can go wrong.
 *
 * <p>The model owns completeness: it calls {@link #covers(boolean)} with {@code true} only while
 * its slots hold everything that decides the run's future (data, every actor's position and
 * live locals), apart from the actors' scheduler states, which the simulation writes itself.
 * Where an actor's future depends on something unhashed (a Java stack deeper than the model
 * tracks, a timed sleeper), no fingerprint is reported.
 */
public final class StateHash {

    private static final long LANE_LOW = 0x9e3779b97f4a7c15L;
    private static final long LANE_HIGH = 0xc2b2ae3d27d4eb4fL;

    private long high;
    private long low;
    private long[] values = new long[16];
    private int slots;
    private boolean covers;

    /** A new slot, holding 0. */
    public int slot() {
        if (slots == values.length) {
            values = Arrays.copyOf(values, slots * 2);
        }
        int s = slots++;
        high += mix(s, 0, LANE_HIGH);
        low += mix(s, 0, LANE_LOW);
        return s;
    }

    /** Sets slot {@code s} to {@code value}. */
    public void set(int s, long value) {
        long old = values[s];
        if (old == value) {
            return;
        }
        values[s] = value;
        high += mix(s, value, LANE_HIGH) - mix(s, old, LANE_HIGH);
        low += mix(s, value, LANE_LOW) - mix(s, old, LANE_LOW);
    }

    /** Whether the slots hold everything that decides the future (see the class note). */
    public void covers(boolean on) {
        covers = on;
    }

    public boolean covers() {
        return covers;
    }

    public long high() {
        return high;
    }

    public long low() {
        return low;
    }

    /** A term of the sum: splitmix64's finaliser over the slot, then over the value with it. */
    private static long mix(int slot, long value, long lane) {
        return RandomChoiceSource.splitmix(RandomChoiceSource.splitmix(slot * lane + lane) ^ value);
    }
}
