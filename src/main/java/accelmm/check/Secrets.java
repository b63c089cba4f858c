package accelmm.check;

import accelmm.mm.Principal;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The secrets of one execution: bytes a scenario wrote as {@code secret "S"}, labelled so that
 * every copy (CPU, DMA, COW, migration, swap) carries the label, and the principals allowed to
 * read them — the writer and its {@code allow} list. Labels are small positive ints, the
 * secret's position in registration order.
 */
public final class Secrets {

    /** One secret: its name and who may read it. */
    public record Secret(int label, String name, Set<String> allowed) {
        public boolean allows(Principal principal) {
            return principal.equals(Principal.KERNEL) || allowed.contains(principal.name());
        }
    }

    private final List<Secret> secrets = new ArrayList<>();
    /**
     * The secrets by label: every writer and every access check of a run reaches them. A
     * registration reads them all (a known name keeps its label) and writes the new label's
     * entry; a check reads the entries of the labels it meets.
     */
    private final Shared shared;

    /** The secrets of a run of {@code sim}. */
    public Secrets(Simulation sim) {
        this.shared = sim.shared("secrets");
    }

    /** Secrets outside any run (unit tests of the invariants). */
    public Secrets() {
        this.shared = Shared.NONE;
    }

    /**
     * Registers secret {@code name} written by {@code writer}, readable also by {@code alsoAllowed};
     * a second write of the same name returns the first label.
     */
    public int register(String name, Principal writer, List<String> alsoAllowed) {
        shared.read();
        for (Secret s : secrets) {
            if (s.name().equals(name)) {
                return s.label();
            }
        }
        Set<String> allowed = new TreeSet<>(alsoAllowed);
        allowed.add(writer.name());
        Secret s = new Secret(secrets.size() + 1, name, Set.copyOf(allowed));
        shared.write(s.label(), s.label() + 1L);
        secrets.add(s);
        return s.label();
    }

    /** The secret with {@code label}. */
    public Secret byLabel(int label) {
        if (label < 1 || label > secrets.size()) {
            throw new IllegalArgumentException("no secret with label " + label);
        }
        shared.read(label, label + 1L);
        return secrets.get(label - 1);
    }

    /**
     * The recognisable bytes of secret {@code name}: its name, then a counting pattern, so that
     * a hex dump shows whose bytes they are.
     */
    public static byte[] bytes(String name, int size) {
        byte[] out = new byte[size];
        byte[] tag = ("<" + name + ">").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            out[i] = i < tag.length ? tag[i] : (byte) (0xA0 + (i % 64));
        }
        return out;
    }

    /** A label array of {@code size} bytes all labelled {@code label}. */
    public static int[] labels(int label, int size) {
        int[] out = new int[size];
        java.util.Arrays.fill(out, label);
        return out;
    }
}
