package accelmm.drm;

import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The IDs of one kind of object — GEM handles, VM IDs or exec-queue IDs — as one DRM file uses
 * them, under the run's {@link HandlesDesign}. Per-file, the table is the file's own ({@code
 * drm_file.object_idr}, {@code xe_file.vm.xa}, {@code xe_file.exec_queue.xa}); device-global,
 * it is one table of the device that every file allocates from and looks up in.
 *
 * <p>Each entry remembers the file that allocated it: that file's postclose drops it. The file
 * also remembers every object it ever obtained (created, or got a handle to by import), by the
 * object's serial number, so a lookup can say whether the caller may know the object at all.
 * Per-file, every object a lookup can find was obtained by the caller; device-global, not so.
 */
final class FileIds<T extends DrmObject> {

    /** One ID: the object it names and the file that allocated it. */
    record Entry<T>(DrmFile file, T object) {
    }

    private final DrmFile file;
    private final IdTable<Entry<T>> table;
    private final TreeSet<Integer> obtained = new TreeSet<>();
    /** The set of objects obtained, which only grows (the table is its own piece). */
    private final Shared shared;

    FileIds(DrmFile file, IdTable<Entry<T>> table, Shared shared) {
        this.file = file;
        this.table = table;
        this.shared = shared;
    }

    /** {@code idr_alloc(.., 1, 0)} / {@code xa_alloc} with {@code XA_FLAGS_ALLOC1}: the lowest free ID. */
    int alloc(T object) {
        shared.add();
        obtained.add(object.id());
        return table.alloc(new Entry<>(file, object));
    }

    /**
     * The object {@code id} names in the table this file looks up in, or {@code null}; a number
     * outside an {@code int} names nothing (no table hands out IDs that high).
     */
    T find(long id) {
        if (id != (int) id) {
            return null;
        }
        Entry<T> e = table.find((int) id);
        return e == null ? null : e.object();
    }

    /** Removes {@code id}, whichever file allocated it; the object it named, or {@code null}. */
    T erase(int id) {
        Entry<T> e = table.erase(id);
        return e == null ? null : e.object();
    }

    /** Whether this file ever obtained {@code object}. */
    boolean obtained(T object) {
        shared.read();
        return obtained.contains(object.id());
    }

    /** The IDs this file allocated and still holds, ascending: what its postclose drops. */
    List<Integer> ownIds() {
        List<Integer> out = new ArrayList<>();
        for (int id : table.ids()) {
            if (table.find(id).file() == file) {
                out.add(id);
            }
        }
        return out;
    }

    /** The IDs of this file's own entries that name {@code object}, ascending. */
    List<Integer> idsOf(T object) {
        List<Integer> out = new ArrayList<>();
        for (int id : ownIds()) {
            if (table.find(id).object() == object) {
                out.add(id);
            }
        }
        return out;
    }
}
