package accelmm.scenario;

import accelmm.mm.Errno;
import java.util.Arrays;

/**
 * What a name is bound to at run time: a number (fd, address, handle, offset), the errno of a
 * statement that failed as allowed, the bytes a {@code read} returned, or a record of a lower
 * layer (a fence). Names are bound once.
 */
sealed interface Bound {

    /** A plain number. */
    record Num(long value) implements Bound {
    }

    /** The statement that binds the name failed with {@code errno}, which its {@code =>} allowed. */
    record Err(Errno errno) implements Bound {
    }

    /** Bytes read by the CPU, with their secret labels (or null). */
    record Bytes(byte[] data) implements Bound {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(data, b.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Bytes[" + data.length + "]";
        }
    }

    /** An object of a lower layer that the language can wait on or inspect, e.g. a fence. */
    record Handle(Object object, long number) implements Bound {
    }
}
