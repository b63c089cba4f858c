package accelmm.sim;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A 128-bit fingerprint of a run's state taken by walking the model's objects, for models whose
 * state is ordinary Java objects rather than {@link StateHash} slots (the scenario models: a
 * kernel, its devices, processes and their bindings). The walk starts at a root the model names
 * ({@link Simulation#fingerprintByWalking}) and at every actor, and hashes what it meets in a
 * fixed order: an object's fields by name (a subclass's first), a list's or an ordered map's
 * entries in their order, an array's elements. An object met again is hashed as the number the walk gave it
 * when it first met it, so two states hash alike only if their object graphs are alike, sharing
 * and cycles included, whatever the objects' identities.
 *
 * <p>What the walk takes as a value rather than walking it: strings, boxed numbers and enums by
 * their value; an {@link Actor} by its id (its scheduler state is hashed once, with the actors);
 * a {@link Shared} by its creation serial, and each actor's own task piece too, so that states
 * whose objects or actors were created in different orders differ (a stored subtree's
 * footprints name pieces by serial, see {@link Shared}); the {@link Simulation} as a mark; and objects of the classes the model calls
 * constant (the parsed scenario, say) by a number given to each such object once for the life
 * of this walker. Anything else outside the project, that is not a collection, map or {@link
 * Optional}, makes the state unhashable: {@link #fingerprint} says so rather than guess, and the
 * explorer then does not cache at that decision.
 *
 * <p>Every actor must be at a place whose future the state decides: not started, ended, or at a
 * position the model declared ({@link Simulation#preemptionPointAt}, {@link
 * Simulation#blockAt}); an actor anywhere else has Java locals the walk cannot see, and the
 * state is then unhashable. The lock-dependency graph, each actor's held locks and what it is
 * blocked on (with the waiter order of that primitive) are hashed too.
 *
 * <p>The walk recomputes the fingerprint from scratch at each decision that asks for one; its
 * cost grows with the state, not with the run. A walker is shared by every execution of a model
 * and may be used by several threads at once.
 */
public final class StateWalk {

    private static final long LANE_LOW = 0x9e3779b97f4a7c15L;
    private static final long LANE_HIGH = 0xc2b2ae3d27d4eb4fL;
    private static final long NULL = 0x5bd1e995L;
    /** Added to a walk number, so that a reference is never taken for a value. */
    private static final long REF = 0x61c8864680b583ebL;
    private static final long STARTED = 0x27d4eb2f165667c5L;
    private static final long NOT_STARTED = 0x165667b19e3779f9L;

    /** Why a state could not be hashed: an actor with no declared position, an object of a foreign class. */
    static final class Unhashable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unhashable(String why) {
            super(why, null, false, false);
        }
    }

    private final Predicate<Class<?>> constant;
    /** Whether a {@link Shared} is hashed by its serial (else as a mark), and the next serial too. */
    private final boolean namesPieces;
    private final IdentityHashMap<Object, Long> constants = new IdentityHashMap<>();
    private final ClassValue<Plan> plans = new ClassValue<>() {
        @Override
        protected Plan computeValue(Class<?> type) {
            return plan(type);
        }
    };

    /**
     * A walker that takes the objects of the classes {@code constant} accepts as constants: never
     * changed by a run, the same objects in every execution (a scenario's syntax tree, say).
     */
    public StateWalk(Predicate<Class<?>> constant) {
        this(constant, true);
    }

    /**
     * As {@link #StateWalk(Predicate)}; with {@code namesPieces} false, pieces of shared state are
     * not told apart by their creation serials: two runs that differ only in the order they
     * created independent objects (which commute) then end in equal fingerprints. Not for a
     * state cache (its stored footprints name pieces by serial), but for comparing the end
     * states of searches that explore different members of such classes of runs.
     */
    public StateWalk(Predicate<Class<?>> constant, boolean namesPieces) {
        this.constant = constant;
        this.namesPieces = namesPieces;
    }

    /** How objects of one class are hashed. */
    private enum Kind {
        STRING, BOXED, ENUM, CONSTANT, ACTOR, SHARED, SIMULATION,
        ARRAY, COLLECTION, MAP, OPTIONAL, FIELDS, REFUSED
    }

    private record Plan(Kind kind, long classHash, Field[] fields) {
    }

    private Plan plan(Class<?> type) {
        long classHash = text(type.getName());
        if (type == String.class) {
            return new Plan(Kind.STRING, classHash, null);
        }
        if (type == Long.class || type == Integer.class || type == Short.class || type == Byte.class
                || type == Character.class || type == Boolean.class) {
            return new Plan(Kind.BOXED, classHash, null);
        }
        if (type.isEnum() || (type.getSuperclass() != null && type.getSuperclass().isEnum())) {
            return new Plan(Kind.ENUM, classHash, null);
        }
        if (Actor.class.isAssignableFrom(type)) {
            return new Plan(Kind.ACTOR, classHash, null);
        }
        if (type == Shared.class) {
            return new Plan(Kind.SHARED, classHash, null);
        }
        if (type == Simulation.class) {
            return new Plan(Kind.SIMULATION, classHash, null);
        }
        if (constant.test(type)) {
            return new Plan(Kind.CONSTANT, classHash, null);
        }
        if (type.isArray()) {
            return new Plan(Kind.ARRAY, classHash, null);
        }
        if (Collection.class.isAssignableFrom(type)) {
            return new Plan(Kind.COLLECTION, classHash, null);
        }
        if (Map.class.isAssignableFrom(type)) {
            return new Plan(Kind.MAP, classHash, null);
        }
        if (type == Optional.class) {
            return new Plan(Kind.OPTIONAL, classHash, null);
        }
        if (!ownClass(type)) {
            return new Plan(Kind.REFUSED, classHash, null);
        }
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (!ownClass(c) && c != Record.class && c != Enum.class) {
                return new Plan(Kind.REFUSED, classHash, null);
            }
            Field[] declared = c.getDeclaredFields();
            Arrays.sort(declared, Comparator.comparing(Field::getName));
            for (Field f : declared) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true);
                    fields.add(f);
                }
            }
        }
        return new Plan(Kind.FIELDS, classHash, fields.toArray(Field[]::new));
    }

    /**
     * The project's classes, the classes the JVM makes for the project's lambdas among them (a
     * lambda of the JDK's makes the state unhashable).
     */
    private static boolean ownClass(Class<?> type) {
        return type.getName().startsWith("accelmm.");
    }

    /** The two lanes, the objects numbered so far and those still to walk. */
    private final class Walk {
        long high = LANE_HIGH;
        long low = LANE_LOW;
        final IdentityHashMap<Object, Integer> ids = new IdentityHashMap<>();
        final ArrayDeque<Object> queue = new ArrayDeque<>();

        void add(long v) {
            high = RandomChoiceSource.splitmix(high ^ v) + LANE_HIGH;
            low = RandomChoiceSource.splitmix(low + v * LANE_HIGH) ^ LANE_LOW;
        }

        /** Adds a reference: a value where the object is one, else the object's number. */
        void ref(Object o) {
            if (o == null) {
                add(NULL);
                return;
            }
            Plan plan = plans.get(o.getClass());
            switch (plan.kind) {
                case STRING -> {
                    add(plan.classHash);
                    add(text((String) o));
                }
                case BOXED -> {
                    add(plan.classHash);
                    add(o instanceof Boolean b ? (b ? 1 : 0)
                            : o instanceof Character c ? c : ((Number) o).longValue());
                }
                case ENUM -> {
                    add(plan.classHash);
                    add(((Enum<?>) o).ordinal());
                }
                case ACTOR -> {
                    add(plan.classHash);
                    add(((Actor) o).id());
                }
                case SHARED -> {
                    add(plan.classHash);
                    if (namesPieces) {
                        add(((Shared) o).serial());
                    }
                }
                case SIMULATION -> add(plan.classHash);
                case CONSTANT -> {
                    add(plan.classHash);
                    add(constantId(o));
                }
                case REFUSED -> throw new Unhashable("an object of " + o.getClass().getName());
                default -> {
                    Integer id = ids.get(o);
                    if (id == null) {
                        id = ids.size() + 1;
                        ids.put(o, id);
                        queue.addLast(o);
                    }
                    add(REF + id);
                }
            }
        }

        /** Walks what {@link #ref} queued, in the order it met them. */
        void drain() {
            Object o;
            while ((o = queue.pollFirst()) != null) {
                Plan plan = plans.get(o.getClass());
                add(plan.classHash);
                switch (plan.kind) {
                    case ARRAY -> array(o);
                    case COLLECTION -> {
                        Collection<?> c = (Collection<?>) o;
                        add(c.size());
                        for (Object e : c) {
                            ref(e);
                        }
                    }
                    case MAP -> {
                        Map<?, ?> m = (Map<?, ?>) o;
                        add(m.size());
                        for (Map.Entry<?, ?> e : m.entrySet()) {
                            ref(e.getKey());
                            ref(e.getValue());
                        }
                    }
                    case OPTIONAL -> ref(((Optional<?>) o).orElse(null));
                    case FIELDS -> fields(o, plan.fields);
                    default -> throw new IllegalStateException("queued a value: " + plan.kind);
                }
            }
        }

        private void fields(Object o, Field[] fields) {
            try {
                for (Field f : fields) {
                    Class<?> t = f.getType();
                    if (!t.isPrimitive()) {
                        ref(f.get(o));
                    } else if (t == long.class) {
                        add(f.getLong(o));
                    } else if (t == int.class) {
                        add(f.getInt(o));
                    } else if (t == boolean.class) {
                        add(f.getBoolean(o) ? 1 : 0);
                    } else if (t == double.class) {
                        add(Double.doubleToLongBits(f.getDouble(o)));
                    } else if (t == float.class) {
                        add(Float.floatToIntBits(f.getFloat(o)));
                    } else {
                        // byte, short, char
                        add(f.getLong(o));
                    }
                }
            } catch (IllegalAccessException e) {
                throw new Unhashable("a field of " + o.getClass().getName() + " is not readable");
            }
        }

        private void array(Object o) {
            switch (o) {
                case byte[] a -> {
                    add(a.length);
                    long word = 0;
                    for (int i = 0; i < a.length; i++) {
                        word = word << 8 | (a[i] & 0xff);
                        if ((i & 7) == 7) {
                            add(word);
                            word = 0;
                        }
                    }
                    add(word);
                }
                case int[] a -> {
                    add(a.length);
                    for (int v : a) {
                        add(v);
                    }
                }
                case long[] a -> {
                    add(a.length);
                    for (long v : a) {
                        add(v);
                    }
                }
                case boolean[] a -> {
                    add(a.length);
                    for (boolean v : a) {
                        add(v ? 1 : 0);
                    }
                }
                case char[] a -> {
                    add(a.length);
                    for (char v : a) {
                        add(v);
                    }
                }
                case short[] a -> {
                    add(a.length);
                    for (short v : a) {
                        add(v);
                    }
                }
                case Object[] a -> {
                    add(a.length);
                    for (Object v : a) {
                        ref(v);
                    }
                }
                default -> throw new Unhashable("an array of " + o.getClass().getComponentType());
            }
        }
    }

    /**
     * The fingerprint of a run's state: its {@code actors}, {@code lockDep}, the next piece serial
     * and the model's objects reachable from {@code root},
     * as {@code {high, low}}, or {@code null} when the state cannot be hashed (see the class note).
     */
    long[] fingerprint(Object root, List<Actor> actors, LockDep lockDep, int sharedSerial) {
        for (Actor a : actors) {
            // Most decisions of a run have some actor inside a kernel call: settled before any walk.
            if (a.state != Actor.State.DONE && a.thread != null && !a.positioned) {
                return null;
            }
        }
        Walk w = new Walk();
        try {
            for (Actor a : actors) {
                w.add(a.id());
                // Its task's piece: spawned on a schedule's whim, its serial is the summaries' name for it.
                w.add(a.shared().serial());
                w.add(a.state.ordinal() | (a.killed ? 4 : 0) | (a.timedOut ? 8 : 0));
                if (a.state == Actor.State.DONE) {
                    continue;
                }
                if (a.thread != null) {
                    w.add(STARTED);
                    w.add(a.position);
                } else {
                    // Not started: its future is its body from the start.
                    w.add(NOT_STARTED);
                }
                w.ref(a.body());
                w.ref(a.blockedOn);
                w.add(a.heldLocks.size());
                for (LockClass held : a.heldLocks) {
                    w.ref(held);
                }
            }
            w.ref(root);
            w.ref(lockDep);
            if (namesPieces) {
                w.add(sharedSerial);
            }
            w.drain();
        } catch (Unhashable e) {
            return null;
        }
        return new long[] {w.high, w.low};
    }

    private long constantId(Object o) {
        synchronized (constants) {
            return constants.computeIfAbsent(o, k -> (long) constants.size() + 1);
        }
    }

    /** A 64-bit hash of a string's characters. */
    private static long text(String s) {
        long h = s.length();
        for (int i = 0; i < s.length(); i++) {
            h = h * 0x100000001b3L + s.charAt(i);
        }
        return RandomChoiceSource.splitmix(h);
    }
}
