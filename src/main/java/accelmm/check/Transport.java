package accelmm.check;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Work and outcomes as bytes for another JVM of the same accelmm ({@link RemoteTasks}): Java
 * serialization of the records that travel, whose classes every member has. Reading takes
 * accelmm's own classes and the JDK's language and collection classes only: bytes from the
 * network that name any other class are refused before it is loaded.
 */
final class Transport {

    /** The classes that may come back from bytes. */
    private static final java.io.ObjectInputFilter ONLY_ACCELMM = java.io.ObjectInputFilter.Config.createFilter(
            "accelmm.**;java.lang.*;java.util.*;!*");

    private Transport() {
    }

    static byte[] bytes(Serializable value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot travel to another JVM: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    static Object object(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(ONLY_ACCELMM);
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new UncheckedIOException("not work or an outcome of this accelmm: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }
}
