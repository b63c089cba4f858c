package accelmm.scenario;

import accelmm.dmabuf.DmaFence;
import accelmm.drm.GemObject;
import accelmm.mm.Errno;
import java.util.Arrays;
import java.util.Map;

/**
 * What a name is bound to at run time: a number (fd, address, handle, offset), the errno of a
 * statement that failed as allowed, the bytes a {@code read} returned, or a record of a lower
 * layer (a fence). Names are bound once.
 */
sealed interface Bound {

    /**
     * What the name holds, in the scenario language's words, for messages to the user ("a number
     * (1)", "a fence"), never a Java record's text.
     */
    static String describe(Bound b) {
        return switch (b) {
            case Num n -> "a number (" + n.value() + ")";
            case Err e -> "the errno " + e.errno() + " (its statement failed)";
            case Bytes bytes -> bytes.data().length + " bytes read";
            case Gem g -> "a GEM handle (" + g.handle() + ")";
            case Fence f -> "a fence";
            case Word w -> "the word " + w.word();
            case Fields f -> f.what();
        };
    }

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

    /** A GEM handle, as a number, that remembers the object it named when it was bound ({@code evict}). */
    record Gem(GemObject object, long handle) implements Bound {
    }

    /** A symbolic field value ({@code vm} of {@code E.type}, {@code create} of {@code E.flags}). */
    record Word(String word) implements Bound {
    }

    /**
     * A record with named fields ({@code E.vm}, {@code E.type}): {@code what} describes it in
     * messages ("a vm_bind_op event"); a field it lacks names nothing.
     */
    record Fields(String what, Map<String, Bound> fields) implements Bound {
        public Fields {
            fields = Map.copyOf(fields);
        }
    }

    /** A job's fence: waited on with {@code wait}, compared with outcomes; not a number. */
    record Fence(DmaFence fence) implements Bound {
    }
}
