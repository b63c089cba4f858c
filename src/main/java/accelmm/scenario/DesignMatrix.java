package accelmm.scenario;

import accelmm.accel.AccelDesign;
import accelmm.accel.DmabufExportDesign;
import accelmm.accel.QueueMmapDesign;
import accelmm.debug.CoredumpDesign;
import accelmm.debug.DebuggerDesign;
import accelmm.dmabuf.ImporterDesign;
import accelmm.drm.HandlesDesign;
import accelmm.drm.TeardownDesign;
import accelmm.drm.UserptrDesign;
import accelmm.mm.ForkDesign;
import accelmm.sim.DesignValue;
import accelmm.sim.Designs;
import accelmm.virt.KvmDesign;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The design combinations a scenario runs: the cartesian product of its {@code design} lines, in
 * the order written (the first line varies slowest); keys without a line keep their default. It
 * also maps each modelled key to the enum of the layer that implements it.
 */
final class DesignMatrix {

    /** The layer enum behind each key the model implements today. */
    private static final Map<DesignKey, Class<? extends Enum<?>>> MODELLED = new EnumMap<>(DesignKey.class);

    static {
        MODELLED.put(DesignKey.FORK, ForkDesign.class);
        MODELLED.put(DesignKey.USERPTR, UserptrDesign.class);
        MODELLED.put(DesignKey.HANDLES, HandlesDesign.class);
        MODELLED.put(DesignKey.TEARDOWN, TeardownDesign.class);
        MODELLED.put(DesignKey.DMABUF_EXPORT, DmabufExportDesign.class);
        MODELLED.put(DesignKey.IMPORTER, ImporterDesign.class);
        MODELLED.put(DesignKey.COREDUMP, CoredumpDesign.class);
        MODELLED.put(DesignKey.DEBUGGER, DebuggerDesign.class);
        MODELLED.put(DesignKey.QUEUE_MMAP, QueueMmapDesign.class);
        MODELLED.put(DesignKey.ACCEL, AccelDesign.class);
        MODELLED.put(DesignKey.KVM, KvmDesign.class);
        MODELLED.put(DesignKey.GUEST_CACHING, GuestCachingDesign.class);
    }

    private DesignMatrix() {
    }

    /** Whether the model implements the alternatives of {@code key}. */
    /** The model's enum for a modelled {@code key} ({@code kvm} → {@code KvmDesign}), or null. */
    static Class<? extends Enum<?>> designType(DesignKey key) {
        return MODELLED.get(key);
    }

    static boolean modelled(DesignKey key) {
        return MODELLED.containsKey(key);
    }

    /** Every combination, each a map in design-line order holding only the keys the scenario varies. */
    static List<Map<DesignKey, String>> combinations(Scenario scenario) {
        return combinations(scenario, Map.of());
    }

    /**
     * The combinations with the keys of {@code fixed} taking the values given there instead of
     * those the scenario lists (a key the scenario does not vary is added after its own, in the
     * order of {@code fixed}): each map holds the keys the scenario varies and the fixed ones.
     */
    static List<Map<DesignKey, String>> combinations(Scenario scenario, Map<DesignKey, List<String>> fixed) {
        List<Map<DesignKey, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        List<DesignKey> keys = new ArrayList<>();
        for (DesignLine line : scenario.designs()) {
            keys.add(line.key());
            out = times(out, line.key(), fixed.getOrDefault(line.key(), line.values()));
        }
        for (Map.Entry<DesignKey, List<String>> f : fixed.entrySet()) {
            if (!keys.contains(f.getKey())) {
                out = times(out, f.getKey(), f.getValue());
            }
        }
        return out;
    }

    /** Each of {@code partials} once per value of {@code key}, the values varying fastest. */
    private static List<Map<DesignKey, String>> times(List<Map<DesignKey, String>> partials, DesignKey key,
            List<String> values) {
        List<Map<DesignKey, String>> next = new ArrayList<>();
        for (Map<DesignKey, String> partial : partials) {
            for (String value : values) {
                Map<DesignKey, String> m = new LinkedHashMap<>(partial);
                m.put(key, value);
                next.add(m);
            }
        }
        return next;
    }

    /** The value {@code key} has in {@code combination}: the one it varies to, else its default. */
    static String value(Map<DesignKey, String> combination, DesignKey key) {
        return combination.getOrDefault(key, key.defaultValue());
    }

    /**
     * Every modelled key whose value in {@code combination} is not its default, with that
     * value, in key order ({@code kvm=pfn-walk userptr=hmm-no-retry}): what a replay token's
     * fingerprint hashes. Equal for two combinations exactly when they run alike (a key left out
     * and a key given its default are the same), and a design key added later, whose default is
     * how the model ran before it existed, leaves the tokens recorded before it valid.
     */
    static String canonical(Map<DesignKey, String> combination) {
        List<String> parts = new ArrayList<>();
        MODELLED.keySet().forEach(key -> {
            String value = value(combination, key);
            if (!value.equals(key.defaultValue())) {
                parts.add(key.word() + "=" + value);
            }
        });
        return String.join(" ", parts);
    }

    /** The combination as the simulation's {@link Designs}. */
    static Designs toDesigns(Map<DesignKey, String> combination) {
        List<DesignValue> values = new ArrayList<>();
        combination.forEach((key, value) -> {
            Class<? extends Enum<?>> type = MODELLED.get(key);
            if (type == null) {
                throw new IllegalStateException("design key " + key.word() + " is not modelled");
            }
            for (Enum<?> constant : type.getEnumConstants()) {
                DesignValue v = (DesignValue) constant;
                if (v.value().equals(value)) {
                    values.add(v);
                }
            }
        });
        return Designs.of(values.toArray(DesignValue[]::new));
    }

    /** {@code fork=legacy userptr=pin}, or {@code default} for the empty combination. */
    static String describe(Map<DesignKey, String> combination) {
        if (combination.isEmpty()) {
            return "default";
        }
        List<String> parts = new ArrayList<>();
        combination.forEach((k, v) -> parts.add(k.word() + "=" + v));
        return String.join(" ", parts);
    }
}
