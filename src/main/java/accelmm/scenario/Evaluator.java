package accelmm.scenario;

import accelmm.check.ExpectationFailed;
import accelmm.check.Secrets;
import java.util.Arrays;

/**
 * Turns a statement's arguments into values in one thread's context: names resolve in the
 * thread's own process ({@code p}) or another's ({@code A.p}), waiting until they are bound;
 * data literals become bytes with their secret labels.
 */
final class Evaluator {

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
        if (self.inherited.remove(name)) {
            self.bindings.put(name, value);
        } else if (self.bindings.putIfAbsent(name, value) != null) {
            throw new IllegalStateException(threadName + " binds '" + name + "' twice");
        }
        world.changes.changed();
    }

    /** The value bound to {@code ref}, waiting until it is bound. */
    Bound resolve(Value.Ref ref) {
        String process = ref.process().orElse(self.name);
        world.changes.await(() -> "name '" + ref + "' to be bound", () -> self.exiting
                || world.process(process) != null && world.process(process).bindings.containsKey(ref.name()));
        exitIfExiting.run();
        return world.process(process).bindings.get(ref.name());
    }

    Value.Ref ref(Value v) {
        if (v instanceof Value.Ref r) {
            return r;
        }
        throw new IllegalStateException("expected a name, got " + v);
    }

    /** A number: a literal, a bound number, or address arithmetic on one. */
    long number(Value v) {
        return switch (v) {
            case Value.Num n -> n.value();
            case Value.Offset o -> number(o.base()) + o.delta();
            case Value.Ref r -> switch (resolve(r)) {
                case Bound.Num n -> n.value();
                case Bound.Gem g -> g.handle();
                case Bound.Fence f -> throw new ExpectationFailed("'" + r + "' is a fence, not a number");
                case Bound.Err e -> throw new ExpectationFailed("'" + r + "' is bound to " + e.errno()
                        + " (its statement failed), so it cannot be used as a number");
                case Bound.Bytes b -> throw new ExpectationFailed("'" + r + "' holds bytes read, not a number");
            };
            default -> throw new IllegalStateException("not a number: " + v);
        };
    }

    /** A word argument: a process, device, event or enumerated choice. */
    String word(Value v) {
        return switch (v) {
            case Value.Word w -> w.word();
            case Value.Ref r when r.process().isEmpty() -> r.name();
            default -> v.toString();
        };
    }

    /** The bytes of a data literal; a secret is registered for the writing process. */
    DataBytes data(Value v) {
        return switch (v) {
            case Value.Text t -> new DataBytes(t.bytes(), null);
            case Value.Repeat r -> {
                byte[] b = new byte[(int) r.count()];
                Arrays.fill(b, (byte) r.byteValue());
                yield new DataBytes(b, null);
            }
            case Value.Secret s -> {
                int label = world.secrets.register(s.name(), self.task.principal(), s.allow());
                yield new DataBytes(Secrets.bytes(s.name(), (int) s.sizeBytes()), Secrets.labels(label, (int) s.sizeBytes()));
            }
            default -> throw new IllegalStateException("not data: " + v);
        };
    }
}
