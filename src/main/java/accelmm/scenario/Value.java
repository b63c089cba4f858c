package accelmm.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An argument or an expected value in a statement. Which forms an argument may take depends
 * on its parameter (see {@link Operation}): a size is always a {@link Num}; an address may be a
 * {@link Num}, a {@link Ref}, a {@link Field} or an {@link Offset} — a {@link Scalar}; data is a
 * {@link Data}. The interpreter reads each argument as its parameter's type ({@link
 * Statement.Call#scalar}, {@link Statement.Call#data}, ...) and switches over these sealed
 * types, so a form the parser gives a parameter is a form the interpreter handles; any other
 * would be a bug of the model, never a verdict.
 */
public sealed interface Value permits Value.Scalar, Value.Word, Value.Data, Outcomes {

    /** What stands for a number at run time: a literal, a name or field bound to one, or arithmetic on one. */
    sealed interface Scalar extends Value permits Num, Name, Offset {
    }

    /** A name or a field of one: what an expectation checks, what waits until it is bound. */
    sealed interface Name extends Scalar permits Ref, Field {
    }

    /** A number or a size, already in bytes ({@code 16K} is 16384). */
    record Num(long value) implements Scalar {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /**
     * A bound name: {@code p} (in the caller's own process) or {@code A.p} (bound by process
     * {@code A}, or {@code kernel}).
     */
    record Ref(Optional<String> process, String name) implements Name {

        static Ref local(String name) {
            return new Ref(Optional.empty(), name);
        }

        @Override
        public String toString() {
            return process.map(p -> p + ".").orElse("") + name;
        }
    }

    /** A field of a bound record: {@code I.caching}, {@code E.vm}, {@code A.e.va}. */
    record Field(Ref base, String field) implements Name {
        @Override
        public String toString() {
            return base + "." + field;
        }
    }

    /** Address arithmetic: {@code p+4K} is {@code Offset(p, 4096)}, {@code p-8} is {@code Offset(p, -8)}. */
    record Offset(Name base, long delta) implements Scalar {
        @Override
        public String toString() {
            return base + (delta < 0 ? "-" : "+") + Math.abs(delta);
        }
    }

    /**
     * A word: an enumerated choice ({@code rw}, {@code dontfork}, {@code vram,system}), a
     * process, device, event or new name, or a symbol compared with a field ({@code wc} in
     * {@code expect I.caching == wc}).
     */
    record Word(String word) implements Value {
        @Override
        public String toString() {
            return word;
        }
    }

    /** A data literal: what {@code write} stores and {@code expect read} compares. */
    sealed interface Data extends Value permits Text, Repeat, Secret {

        /** The number of bytes this literal stands for. */
        long sizeBytes();
    }

    /** {@code "text"}: the UTF-8 bytes of the text, with escapes decoded. */
    record Text(byte[] bytes) implements Data {

        public Text {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public long sizeBytes() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Text t && Arrays.equals(bytes, t.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("\"");
            for (byte b : bytes) {
                int c = b & 0xff;
                if (c == '"' || c == '\\') {
                    s.append('\\').append((char) c);
                } else if (c == '\n') {
                    s.append("\\n");
                } else if (c >= 0x20 && c < 0x7f) {
                    s.append((char) c);
                } else {
                    s.append(String.format("\\x%02x", c));
                }
            }
            return s.append('"').toString();
        }
    }

    /** {@code 0xAB*4K}: one byte value repeated {@code count} times. */
    record Repeat(int byteValue, long count) implements Data {
        @Override
        public long sizeBytes() {
            return count;
        }

        @Override
        public String toString() {
            return String.format("0x%02x*%d", byteValue, count);
        }
    }

    /**
     * {@code secret "S" [size=N] [allow P1,P2]}: recognisable bytes labelled as secret S, which
     * the writing process and the {@code allow} list may read.
     */
    record Secret(String name, long sizeBytes, List<String> allow) implements Data {

        /** The length of a secret without {@code size=}. */
        public static final long DEFAULT_SIZE = 64;

        public Secret {
            allow = List.copyOf(allow);
        }

        @Override
        public String toString() {
            return "secret \"" + name + "\"" + (sizeBytes == DEFAULT_SIZE ? "" : " size=" + sizeBytes)
                    + (allow.isEmpty() ? "" : " allow " + String.join(",", allow));
        }
    }
}
