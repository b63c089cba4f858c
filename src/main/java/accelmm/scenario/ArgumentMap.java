package accelmm.scenario;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The arguments of a {@link Statement.Call}, by parameter name, in the order given: an
 * immutable map over two arrays. A statement has a handful of arguments and the interpreter
 * looks them up on every execution of the statement, so a scan that compares the (usually
 * identical, since both come from {@link Operation}'s table) name strings by reference first
 * beats hashing; otherwise it behaves as the unmodifiable {@link java.util.LinkedHashMap} it
 * replaces (iteration order, {@code equals}, {@code hashCode}, {@code toString}).
 */
final class ArgumentMap extends AbstractMap<String, Value> {

    private final String[] names;
    private final Value[] values;

    private ArgumentMap(String[] names, Value[] values) {
        this.names = names;
        this.values = values;
    }

    /** An immutable copy of {@code args}, in its iteration order; a null name is refused. */
    static ArgumentMap copyOf(Map<String, Value> args) {
        if (args instanceof ArgumentMap a) {
            return a;
        }
        String[] names = new String[args.size()];
        Value[] values = new Value[args.size()];
        int i = 0;
        for (Map.Entry<String, Value> e : args.entrySet()) {
            names[i] = java.util.Objects.requireNonNull(e.getKey(), "argument name");
            values[i] = e.getValue();
            i++;
        }
        return new ArgumentMap(names, values);
    }

    @Override
    public Value get(Object name) {
        int i = indexOf(name);
        return i >= 0 ? values[i] : null;
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    private int indexOf(Object name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public Set<Map.Entry<String, Value>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Value>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    public Map.Entry<String, Value> next() {
                        if (next >= names.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }
}
