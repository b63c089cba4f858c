package accelmm.debug;

import accelmm.drm.DrmFile;
import accelmm.drm.ExecQueue;
import accelmm.drm.GpuVm;
import accelmm.drm.IdTable;
import accelmm.sim.Shared;
import java.util.EnumMap;
import java.util.Map;

/**
 * Models {@code struct xe_eudebug_resources}: the handles one debugger connection gives the
 * debuggee's objects ({@code xe_eudebug_add_handle}, {@code find_handle}, {@code
 * xe_eudebug_remove_handle} in xe_eudebug.c of the eudebug series). There is one table per
 * resource type, each an xarray with {@code XA_FLAGS_ALLOC1} filled by {@code xa_alloc}: the
 * first handle of every type is 1, a handle is the lowest free one, and a removed handle is
 * given again to the next object of that type. The same number in two types, or in two
 * connections, names different objects: handles are the connection's, not the debuggee's IDs.
 *
 * <p>Each table is also keyed by the object itself (an rhashtable on the object's address):
 * adding an object that already has a handle adds nothing ({@code -EEXIST}, which the driver
 * treats as "no event"), and an object is found and removed by identity. Only the types the
 * model has objects for are kept; the driver's LRC and debug-metadata tables are left out.
 */
final class XeEudebugResources {

    /** {@code XE_EUDEBUG_RES_TYPE_*}: one handle table each. */
    enum Type {
        CLIENT(DrmFile.class),
        VM(GpuVm.class),
        EXEC_QUEUE(ExecQueue.class);

        private final Class<?> objectClass;

        Type(Class<?> objectClass) {
            this.objectClass = objectClass;
        }
    }

    private final Map<Type, IdTable<Object>> tables = new EnumMap<>(Type.class);

    /** The tables: the connection's reader and the target's driver hooks both reach them. */
    private final Shared shared;

    XeEudebugResources(Shared shared) {
        this.shared = shared;
        for (Type type : Type.values()) {
            tables.put(type, new IdTable<>());
        }
    }

    /**
     * {@code _xe_eudebug_add_handle}: the new handle of {@code object} in its type's table, or 0
     * when the object already has one ({@code -EEXIST}: the caller sends no event for it).
     */
    int add(Type type, Object object) {
        requireType(type, object);
        shared.write();
        IdTable<Object> table = tables.get(type);
        if (table.idOf(object) != 0) {
            return 0;
        }
        return table.alloc(object);
    }

    /** {@code find_handle}: the handle of {@code object}, or 0 when it has none ({@code -ENOENT}). */
    int find(Type type, Object object) {
        requireType(type, object);
        shared.read();
        return tables.get(type).idOf(object);
    }

    /**
     * {@code _xe_eudebug_remove_handle}: frees the handle of {@code object} and returns it, or 0
     * when it had none ({@code -ENOENT}: no event).
     */
    int remove(Type type, Object object) {
        int handle = find(type, object);
        if (handle != 0) {
            shared.write();
            tables.get(type).erase(handle);
        }
        return handle;
    }

    /**
     * {@code find_resource}: the object {@code handle} names in {@code type}'s table, or null
     * when the handle is unknown or was removed. A handle is a {@code u64} in the uapi, so any
     * number may come in; only ints were handed out.
     */
    <T> T lookup(Type type, Class<T> objectClass, long handle) {
        if (type.objectClass != objectClass) {
            throw new IllegalArgumentException(type + " handles name " + type.objectClass.getSimpleName());
        }
        if (handle <= 0 || handle > Integer.MAX_VALUE) {
            return null;
        }
        shared.read();
        return objectClass.cast(tables.get(type).find((int) handle));
    }

    /** The number of handles held in {@code type}'s table. */
    int count(Type type) {
        shared.read();
        return tables.get(type).size();
    }

    private static void requireType(Type type, Object object) {
        if (!type.objectClass.isInstance(object)) {
            throw new IllegalArgumentException(type + " handles name " + type.objectClass.getSimpleName()
                    + ", not " + object);
        }
    }
}
