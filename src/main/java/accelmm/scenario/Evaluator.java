package accelmm.scenario;

import accelmm.check.ExpectationFailed;
import accelmm.check.Secrets;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Turns a statement's arguments into values in one thread's context: names resolve in the
 * thread's own process ({@code p}) or another's ({@code A.p}), waiting until they are bound;
 * data literals become bytes with their secret labels.
 */
final class Evaluator {

    /**
     * What an fd argument is passed on as when its number is no {@code int}: a negative fd,
     * which every {@code fget}-style lookup refuses with EBADF.
     */
    static final int NO_FD = -1;

    /** Bytes to store and their per-byte secret labels ({@code null}: none). */
    record DataBytes(byte[] bytes, int[] labels) {
    }

    private final World world;
    private final ProcessState self;
    private final String threadName;
    private final Runnable exitIfExiting;

    Evaluator(World world, ProcessState self, String threadName, Runnable exitIfExiting) {
        this.world = world;
        this.self = self;
        this.threadName = threadName;
        this.exitIfExiting = exitIfExiting;
    }

    ProcessState self() {
        return self;
    }

    /**
     * Binds {@code name} in this thread's process. A name copied from the parent at fork may be
     * bound again by the child, as a C child assigns a variable it inherited; the parser refuses
     * any other second binding.
     */
    void bind(String name, Bound value) {
        self.bind(name, value, threadName);
        world.changes.changed(Topic.bound(self.name, name));
    }

    /** The value bound to {@code ref}, waiting until it is bound. */
    Bound resolve(Value.Ref ref) {
        String process = ref.process().orElse(self.name);
        BooleanSupplier ready = () -> self.exiting()
                || world.process(process) != null && world.process(process).bound(ref.name());
        if (!ready.getAsBoolean()) {
            // Most names are bound by the time a statement uses them: the reason and the topics
            // are built for a wait only. The wait checks once more, touching what this check
            // touched, which adds nothing to the step's footprint.
            world.changes.await(() -> "name '" + ref + "' to be bound", ready,
                    Topic.exiting(self.name), Topic.exists(process), Topic.bound(process, ref.name()));
        }
        exitIfExiting.run();
        return world.process(process).binding(ref.name());
    }

    /** What a name or a field stands for, waiting until the name is bound. */
    Bound value(Value.Name name) {
        return switch (name) {
            case Value.Ref r -> resolve(r);
            case Value.Field f -> field(f);
        };
    }

    /**
     * A field of a bound record ({@code E.vm} of a debugger event). A name bound to anything
     * else, or a record without that field (an {@code open} event has no {@code va}), names
     * nothing: an expectation failure that says what the name is bound to. The load-time checks
     * refuse the fields they can tell apart already.
     */
    private Bound field(Value.Field f) {
        Bound base = resolve(f.base());
        if (base instanceof Bound.Fields record) {
            Bound value = record.fields().get(f.field());
            if (value != null) {
                return value;
            }
            throw new ExpectationFailed("'" + f + "' names nothing: '" + f.base() + "' is " + record.what()
                    + ", which has no field " + f.field());
        }
        throw new ExpectationFailed("'" + f + "' names nothing: '" + f.base() + "' is " + Bound.describe(base)
                + ", which has no fields");
    }

    /** A number: a literal, a bound number, or address arithmetic on one. */
    long number(Value.Scalar v) {
        return switch (v) {
            case Value.Num n -> n.value();
            case Value.Offset o -> number(o.base()) + o.delta();
            case Value.Ref r -> number(r, resolve(r));
            case Value.Field f -> number(f, field(f));
        };
    }

    private static long number(Value.Name name, Bound bound) {
        return switch (bound) {
            case Bound.Num n -> n.value();
            case Bound.Gem g -> g.handle();
            case Bound.Fence f -> throw new ExpectationFailed("'" + name + "' is a fence, not a number");
            case Bound.Err e -> throw new ExpectationFailed("'" + name + "' is bound to " + e.errno()
                    + " (its statement failed), so it cannot be used as a number");
            case Bound.Bytes b -> throw new ExpectationFailed("'" + name + "' holds bytes read, not a number");
            case Bound.Word w -> throw new ExpectationFailed("'" + name + "' is the word " + w.word() + ", not a number");
            case Bound.Fields r -> throw new ExpectationFailed("'" + name + "' is " + r.what() + ", not a number");
        };
    }

    /**
     * An fd argument (FD): a literal or a bound number. Linux takes an fd as an {@code int}
     * ({@code close} and {@code ioctl} as {@code unsigned int}) and finds it with {@code fget},
     * which refuses a negative one with EBADF ({@code close(-1)}). A number outside an {@code
     * int} is no open fd either: it is passed on as {@link #NO_FD}, never truncated to a number
     * that may be open.
     */
    int fd(Value.Scalar v) {
        long n = number(v);
        return n == (int) n ? (int) n : NO_FD;
    }

    /**
     * A GEM handle, VM ID or exec-queue ID argument: a literal or a bound number, passed on as it
     * is. The kernel's field is a {@code __u32}; the ID tables hand out the lowest free ID from 1,
     * as {@code idr_alloc(.., 1, 0)} and {@code xa_alloc} do, so a number no table holds (a bound
     * address or offset, say) gets the errno of any unknown ID ({@code gem_close} EINVAL from
     * {@code drm_gem_handle_delete}, {@code vm_destroy} ENOENT, ...), and the trace shows it as
     * it is — never truncated to a number that may name another object.
     */
    long id(Value.Scalar v) {
        return number(v);
    }

    /**
     * The bytes of a data literal to store, with their labels: a secret is registered for the
     * writing process (the first write of a name decides who may read it).
     */
    DataBytes data(Value.Data d) {
        if (d instanceof Value.Secret s) {
            int label = world.secrets.register(s.name(), self.task.principal(), s.allow());
            return new DataBytes(bytes(d), Secrets.labels(label, Math.toIntExact(s.sizeBytes())));
        }
        return new DataBytes(bytes(d), null);
    }

    /**
     * The bytes a data literal stands for, to compare with. Nothing is registered: comparing
     * with {@code secret "S"} writes no secret, so it neither decides who may read S nor needs a
     * process (a kernel thread may compare too).
     */
    static byte[] bytes(Value.Data d) {
        return switch (d) {
            case Value.Text t -> t.bytes();
            case Value.Repeat r -> {
                byte[] b = new byte[Math.toIntExact(r.count())];
                Arrays.fill(b, (byte) r.byteValue());
                yield b;
            }
            case Value.Secret s -> Secrets.bytes(s.name(), Math.toIntExact(s.sizeBytes()));
        };
    }
}
