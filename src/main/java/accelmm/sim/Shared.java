package accelmm.sim;

/**
 * A piece of the model's shared state, as the explorer's partial-order reduction sees it: a
 * lock, a wait queue, a task's scheduler state, an object's fields, a range of page frames or
 * page-table entries. The object that owns the state calls {@link #read()} or {@link #write()}
 * (or a ranged form) whenever a step reads or changes it; when the simulation observes
 * footprints ({@link Simulation#observeFootprints}) and its choice source wants them ({@link
 * ChoiceSource#wantsFootprints()}), each call adds an {@link Access} to what the running step
 * touched. Otherwise every call is one branch and returns.
 *
 * <p>A piece is named by its {@link Key}: its kind and the order of its creation within the
 * simulation. Executions that share a prefix of decisions create the same objects in the same
 * order, so the key names the same object in each of them (identity would not: every execution
 * builds its world anew). Should two executions diverge and give one key to two different
 * objects, the reduction only sees more conflicts than there are, which is safe.
 *
 * <p>Ownership rule: the class that holds the state calls these methods in its own getters and
 * mutators, so callers need not; state that is not behind a {@code Shared} must be private to
 * one actor or constant.
 */
public final class Shared {

    /** State outside any simulation (direct-mode helpers, constants): touches nothing. */
    public static final Shared NONE = new Shared(null, -1, "none");

    /**
     * A piece's name, equal across executions for the same object (see the class note); {@code
     * task} is the id of the actor whose scheduler state the piece is (runnable, blocked, ended),
     * or -1 for any other piece.
     */
    public record Key(int serial, String kind, int task) implements java.io.Serializable {
        /**
         * From the serial and task alone: no two pieces of one simulation share a serial, and
         * a task's kind is a string built anew in every execution, whose hash a record's own
         * {@code hashCode} would compute again each time (footprints hash every key they hold).
         */
        @Override
        public int hashCode() {
            return serial * 0x9e3779b1 + task;
        }

        @Override
        public String toString() {
            return kind + "#" + serial;
        }
    }

    private final Simulation sim;
    private final int serial;
    /** The kind; for a task's state, its name, "task " put before it when the key is built. */
    private final String kind;
    private final int task;
    /**
     * Built on first use: only a run that records footprints, or a declaration, names the piece,
     * and a world builds dozens of pieces per execution that a random run never names. Threads
     * that race to build it (on {@link #NONE}) build equal keys.
     */
    private Key key;
    private Access readAll;
    private Access writeAll;

    Shared(Simulation sim, int serial, String kind) {
        this(sim, serial, kind, -1);
    }

    /** A piece of kind {@code kind}, or the scheduler state of actor {@code task} named {@code kind} (-1: no task). */
    Shared(Simulation sim, int serial, String kind, int task) {
        this.sim = sim;
        this.serial = serial;
        this.kind = kind;
        this.task = task;
    }

    /** The creation serial alone, without building the key. */
    int serial() {
        return serial;
    }

    public Key key() {
        if (key == null) {
            key = new Key(serial, task < 0 ? kind : "task " + kind, task);
        }
        return key;
    }

    /** The step reads all of this piece. */
    public void read() {
        if (sim != null && sim.recordingFootprints) {
            sim.touch(readAll());
        }
    }

    /** The step changes this piece. */
    public void write() {
        if (sim != null && sim.recordingFootprints) {
            sim.touch(writeAll());
        }
    }

    /** The step reads entries {@code [lo, hi)} of this piece. */
    public void read(long lo, long hi) {
        if (sim != null && sim.recordingFootprints) {
            sim.touch(new Access(key(), lo, hi, Access.Mode.READ));
        }
    }

    /** The step changes entries {@code [lo, hi)} of this piece. */
    public void write(long lo, long hi) {
        if (sim != null && sim.recordingFootprints) {
            sim.touch(new Access(key(), lo, hi, Access.Mode.WRITE));
        }
    }

    /**
     * The step updates this piece in a way that commutes with every other such update (a
     * statistics counter, a set that only grows); it still conflicts with reads and writes.
     */
    public void add() {
        if (sim != null && sim.recordingFootprints) {
            sim.touch(new Access(key(), 0, Long.MAX_VALUE, Access.Mode.ADD));
        }
    }

    /** The access "reads all of this piece", for a preemption point's declaration. */
    public Access readAll() {
        if (readAll == null) {
            readAll = new Access(key(), 0, Long.MAX_VALUE, Access.Mode.READ);
        }
        return readAll;
    }

    /** The access "writes all of this piece", for a preemption point's declaration. */
    public Access writeAll() {
        if (writeAll == null) {
            writeAll = new Access(key(), 0, Long.MAX_VALUE, Access.Mode.WRITE);
        }
        return writeAll;
    }

    @Override
    public String toString() {
        return key().toString();
    }
}
