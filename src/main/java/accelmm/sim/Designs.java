package accelmm.sim;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The design chosen for every key in one run. A key not chosen explicitly takes its default,
 * the first constant of its enum.
 */
public final class Designs {

    private static final Designs DEFAULTS = new Designs(Map.of());

    private final Map<Class<?>, DesignValue> chosen;

    private Designs(Map<Class<?>, DesignValue> chosen) {
        this.chosen = chosen;
    }

    /** Every key at its default. */
    public static Designs defaults() {
        return DEFAULTS;
    }

    /** The given values, every other key at its default. At most one value per key. */
    public static Designs of(DesignValue... values) {
        Map<Class<?>, DesignValue> map = new LinkedHashMap<>();
        for (DesignValue v : values) {
            Class<?> key = ((Enum<?>) v).getDeclaringClass();
            if (map.put(key, v) != null) {
                throw new IllegalArgumentException("design key " + v.key() + " given twice");
            }
        }
        return new Designs(map);
    }

    /** The value chosen for the key that {@code type} models. */
    public <E extends Enum<E> & DesignValue> E get(Class<E> type) {
        DesignValue v = chosen.get(type);
        return v != null ? type.cast(v) : type.getEnumConstants()[0];
    }

    /** The explicit choices as {@code key=value} pairs sorted by key, e.g. {@code fork=legacy}. */
    @Override
    public String toString() {
        return chosen.values().stream()
                .sorted(Comparator.comparing(DesignValue::key))
                .map(v -> v.key() + "=" + v.value())
                .collect(Collectors.joining(" "));
    }
}
